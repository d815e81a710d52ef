/** Built-in label sets of CONTRACTS.md — exact. Users' own datasets may use any labels. */
export const BUILTIN_INTENT_LABELS = [
  'order_status',
  'shipping_delay',
  'refund_request',
  'return_exchange',
  'cancel_order',
  'payment_issue',
  'invoice_request',
  'product_inquiry',
  'price_promotion',
  'after_sales_warranty',
  'complaint',
  'praise',
  'account_login',
  'change_address',
  'human_agent',
  'greeting',
  'thanks_goodbye',
  'out_of_scope',
] as const

export type BuiltinIntentLabel = (typeof BUILTIN_INTENT_LABELS)[number]

export const SENTIMENT_LABELS = ['positive', 'neutral', 'negative'] as const

export type SentimentLabel = (typeof SENTIMENT_LABELS)[number]

export const CORPUS_LANGUAGES = ['zh', 'en'] as const
