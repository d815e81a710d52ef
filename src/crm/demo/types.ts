/** Shapes produced by the demo-data generator (plain data, ready to be mapped onto store rows). */

export interface DemoOptions {
  customers: number
  seed: number
  /** Anchor: every time is at or before it, spread over the previous ~365 days. */
  now: Date
}

export interface BilingualText {
  zh: string
  en: string
}

export interface DemoCompany {
  key: string
  name: string
  domain: string
  /** Extension: both spellings of the name and an industry, for display and filters. */
  names: BilingualText
  industry: string
}

export interface DemoProduct {
  sku: string
  name: BilingualText
  category: string
  /** Integer minor units (fen). */
  priceAmount: number
  currency: 'CNY'
  description: BilingualText
  attributes: Record<string, string | number | boolean>
  /** Extension: how customers refer to it in chat (`耳机`, `Air Pro`), without articles in English. */
  aliases: { zh: readonly string[]; en: readonly string[] }
}

export type DemoLocale = 'zh-CN' | 'en-US' | 'en-GB' | 'zh-TW' | 'zh-HK'
export type DemoTier = 'standard' | 'silver' | 'gold' | 'vip'

export interface DemoAddress {
  line1: string
  city: string
  region: string
  postalCode: string
  /** ISO 3166-1 alpha-2. */
  country: string
}

export interface DemoCustomer {
  /** `c000001` for index 0: the number is index + 1, zero-padded to at least six digits. */
  key: string
  externalId: string
  name: string
  locale: DemoLocale
  email: string | null
  /** As a customer would type it: `138 0013 8000`, `+86 139-1234-5678`, `+1 415 555 0100`. */
  phone: string | null
  companyKey: string | null
  tier: DemoTier
  acquisitionSource: string
  firstSeenAt: string
  tags: string[]
  attributes: Record<string, string | number | boolean>
  /** The city, in the customer's language. */
  city: string
  address: DemoAddress
}

export interface DemoOrderItem {
  sku: string
  quantity: number
  unitAmount: number
}

export type DemoOrderStatus =
  'pending' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded' | 'returned'
export type DemoPaymentMethod = 'alipay' | 'wechat_pay' | 'card' | 'paypal' | 'cod'
export type DemoPaymentStatus = 'pending' | 'paid' | 'refunded' | 'partially_refunded' | 'failed'

export interface DemoRefund {
  amount: number
  reason: string
  at: string
}

export interface DemoReturn {
  sku: string
  quantity: number
  reason: string
  at: string
}

export interface DemoOrder {
  /** `c000001-o1`: the customer's key and the order's position in time. */
  key: string
  /** `LM20261024-582130`: Shanghai date of placement and a number unique across the whole data set. */
  number: string
  externalId: string
  customerKey: string
  status: DemoOrderStatus
  items: DemoOrderItem[]
  currency: 'CNY'
  subtotalAmount: number
  discountAmount: number
  shippingAmount: number
  totalAmount: number
  couponCode: string | null
  paymentMethod: DemoPaymentMethod
  paymentStatus: DemoPaymentStatus
  shippingAddress: DemoAddress & { name: string; phone: string | null }
  /** `顺丰 SF Express`, `中通 ZTO Express`, `京东物流 JD Logistics`, `DHL Express`, `UPS`. */
  carrier: string | null
  trackingNumber: string | null
  placedAt: string
  /** Extension: when payment went through (cash on delivery: at delivery). */
  paidAt: string | null
  shippedAt: string | null
  expectedAt: string | null
  deliveredAt: string | null
  /** Extension: when the order was cancelled, if it was. */
  cancelledAt: string | null
  refunds: DemoRefund[]
  returns: DemoReturn[]
}

export type DemoEventType =
  | 'page_view'
  | 'product_view'
  | 'search'
  | 'add_to_cart'
  | 'remove_from_cart'
  | 'checkout_started'
  | 'order_placed'
  | 'coupon_applied'
  | 'login'
  | 'review_posted'

export interface DemoEvent {
  type: DemoEventType
  customerKey: string | null
  anonymousId: string | null
  sessionId: string
  sku: string | null
  properties: Record<string, string | number | boolean>
  source: 'web' | 'app' | 'mini_program'
  occurredAt: string
}

export type DemoSentiment = 'positive' | 'neutral' | 'negative'

export interface DemoMessage {
  direction: 'inbound' | 'outbound'
  authorKind: 'customer' | 'agent' | 'ai' | 'system'
  text: string
  sentAt: string
  /** Ground truth, only on customer messages. */
  label: { intent: string; sentiment: DemoSentiment } | null
  /** Extension: the message's main language (a mostly-Chinese message with English words is `zh`). */
  language: 'zh' | 'en'
}

export type DemoChannel = 'chat' | 'email' | 'sms' | 'phone' | 'api'

export interface DemoConversation {
  /** `c000001-cv1`. */
  key: string
  customerKey: string
  channel: DemoChannel
  status: 'open' | 'pending' | 'resolved' | 'closed'
  handler: 'ai' | 'human'
  priority: 'low' | 'normal' | 'high' | 'urgent'
  subject: string | null
  createdAt: string
  messages: DemoMessage[]
  /** Extension: the order the conversation is about, if any. */
  orderKey: string | null
}
