/** The API shapes the customer pages read (see src/crm/* and src/store/crm/customer-360.ts). */

export const TIERS = ['standard', 'silver', 'gold', 'vip'] as const
export const STAGES = ['lead', 'prospect', 'customer', 'churned'] as const

export interface Customer {
  readonly id: string
  readonly externalId: string | null
  readonly name: string | null
  readonly email: string | null
  readonly phone: string | null
  readonly locale: string
  readonly tier: (typeof TIERS)[number]
  readonly lifecycleStage: (typeof STAGES)[number]
  readonly acquisitionSource: string | null
  readonly firstSeenAt: string | null
  readonly lastSeenAt: string | null
  readonly tags: string[]
  readonly archivedAt: string | null
  readonly erasedAt: string | null
  readonly mergedIntoId: string | null
  readonly createdAt: string
}

export interface Money {
  readonly amount: number
  readonly currency: string
}

export interface OrderRow {
  readonly id: string
  readonly number: string
  readonly status: string
  readonly currency: string
  readonly totalAmount: number
  readonly placedAt: string
  readonly carrier: string | null
  readonly trackingNumber: string | null
  readonly items: { sku: string; name: string | null; quantity: number; unitAmount: number }[]
}

export interface ConversationRow {
  readonly id: string
  readonly channel: string
  readonly status: string
  readonly handler: string
  readonly subject: string | null
  readonly lastMessageAt: string | null
  readonly createdAt: string
}

export interface Customer360 {
  readonly customer: Customer
  readonly mergedFrom: string | null
  readonly company: { id: string; name: string } | null
  readonly identities: { id: string; kind: string; address: string; verified: boolean; createdAt: string }[]
  readonly stats: {
    readonly orderCount: number
    readonly lifetimeValue: Money
    readonly otherCurrencies: Money[]
    readonly lastOrderAt: string | null
    readonly openConversations: number
    readonly openTasks: number
  }
  readonly recentOrders: OrderRow[]
  readonly conversations: ConversationRow[]
  readonly tasks: { id: string; title: string; status: string; priority: string; dueAt: string | null }[]
  readonly notes: { id: string; body: string; createdAt: string }[]
  readonly recentEvents: {
    id: string
    type: string
    source: string
    properties: Record<string, unknown>
    occurredAt: string
  }[]
}

export interface ConsentEvent {
  readonly id: string
  readonly purpose: string
  readonly channel: string
  readonly status: 'granted' | 'withdrawn'
  readonly source: string
  readonly at: string
}

export interface Survey {
  readonly id: string
  readonly conversationId: string
  readonly kind: string
  readonly score: number | null
  readonly comment: string | null
  readonly sentAt: string
  readonly answeredAt: string | null
}

export interface DuplicateSuggestion {
  readonly notificationId: string
  readonly kind: string | null
  readonly source: string | null
  readonly conversationId: string | null
  readonly suggestedAt: string
  readonly other: Pick<Customer, 'id' | 'name' | 'email' | 'phone' | 'tier' | 'createdAt'>
}
