/** The API shapes the inbox reads (see src/server/routes/inbox.ts, conversations.ts, approvals.ts). */

export type ConversationStatus = 'open' | 'pending' | 'resolved' | 'closed'
export type Priority = 'low' | 'normal' | 'high' | 'urgent'
export type Channel = 'chat' | 'email' | 'sms' | 'phone' | 'api'

export const STATUSES: readonly ConversationStatus[] = ['open', 'pending', 'resolved', 'closed']
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent']
export const CHANNELS: readonly Channel[] = ['chat', 'email', 'sms', 'phone', 'api']
export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const
export const QUEUES = ['mine', 'unassigned', 'ai', 'all'] as const
export type Queue = (typeof QUEUES)[number]

export interface Conversation {
  readonly id: string
  readonly inboxId: string
  readonly customerId: string
  readonly channel: Channel
  readonly status: ConversationStatus
  readonly handler: 'ai' | 'human'
  readonly priority: Priority
  readonly assigneeId: string | null
  readonly subject: string | null
  readonly tags: string[]
  readonly lastMessageAt: string | null
  readonly createdAt: string
  readonly updatedAt: string
}

export interface InboxItem extends Conversation {
  readonly customer: { readonly id: string; readonly name: string | null }
  readonly assignee: { readonly id: string; readonly name: string | null; readonly email: string } | null
  readonly lastMessage: {
    readonly id: string
    readonly text: string
    readonly direction: 'inbound' | 'outbound'
    readonly authorKind: string
    readonly sentAt: string
  } | null
  readonly perception: {
    readonly messageId: string | null
    readonly intent: string | null
    readonly sentiment: string | null
    readonly action: string
    readonly confidence: number
    readonly handOffReason: string | null
  } | null
  readonly pendingApprovals: number
}

export interface Message {
  readonly id: string
  readonly conversationId: string
  readonly direction: 'inbound' | 'outbound'
  readonly authorKind: 'customer' | 'agent' | 'ai' | 'system'
  readonly authorId: string | null
  readonly text: string
  readonly deliveryStatus: 'pending' | 'sent' | 'failed' | null
  readonly sentAt: string
}

export interface Evidence {
  readonly feature: string
  readonly weight: number
}
export interface PerceivedLabel {
  readonly label: string
  readonly confidence: number
  readonly alternatives?: readonly { label: string; confidence: number }[]
  readonly evidence?: readonly Evidence[]
}
export interface Entity {
  readonly type: string
  readonly value: string
  readonly start: number
  readonly end: number
  readonly confidence?: number
  readonly normalized?: unknown
}
export interface Citation {
  readonly externalId: string | null
  readonly articleId: string
  readonly title: string
  readonly passage: string
  readonly score: number
}
export interface RetrievalHit {
  readonly articleId: string
  readonly externalId: string | null
  readonly kind: string
  readonly title: string
  readonly score: number
  readonly strength: number
  readonly crossLingual?: boolean
  readonly matchedTerms?: readonly string[]
}

/** The stored decision record (src/agent/agent-service.ts DecisionRecord); read defensively. */
export interface DecisionRecord {
  readonly perception?: {
    readonly language?: string
    readonly intent?: PerceivedLabel | null
    readonly sentiment?: (PerceivedLabel & { score?: number }) | null
    readonly entities?: readonly Entity[]
    readonly urgency?: unknown
  }
  readonly retrieval?: {
    readonly query?: string
    readonly queryLanguage?: string
    readonly indexVersion?: number
    readonly hits?: readonly RetrievalHit[]
    readonly translatedTerms?: readonly { source: string; target: string }[]
  }
  readonly rulesFired?: readonly string[]
  readonly policyVersion?: number | null
  readonly thresholds?: Record<string, unknown>
  readonly decision?: {
    readonly action?: string
    readonly confidence?: number
    readonly reply?: string | null
    readonly citations?: readonly Citation[]
    readonly handOffReason?: string | null
    readonly explanation?: string
    readonly signals?: Record<string, number>
  }
  readonly models?: Record<string, number | null>
  readonly llm?: {
    used?: boolean
    provider?: string
    model?: string
    latencyMs?: number
    fallbackReason?: string
  }
  readonly latencyMs?: Record<string, number>
  readonly decidedAt?: string
}

export interface ConversationDecision {
  readonly id: string
  readonly messageId: string | null
  readonly action: string
  readonly confidence: number
  readonly intent: string | null
  readonly sentiment: string | null
  readonly record: DecisionRecord
  readonly createdAt: string
}

export interface Correction {
  readonly id: string
  readonly messageId: string
  readonly task: 'intent' | 'sentiment'
  readonly label: string
  readonly createdAt: string
}

export interface Approval {
  readonly id: string
  readonly conversationId: string
  readonly messageId: string | null
  readonly draftText: string
  readonly citations: readonly Citation[]
  readonly status: string
  readonly reason: string
  readonly createdAt: string
}

export interface Note {
  readonly id: string
  readonly authorId: string | null
  readonly body: string
  readonly createdAt: string
}

export interface Task {
  readonly id: string
  readonly title: string
  readonly status: string
  readonly priority: Priority
  readonly dueAt: string | null
  readonly createdAt: string
}

export interface Attachment {
  readonly id: string
  readonly messageId: string | null
  readonly filename: string
  readonly contentType: string
  readonly size: number
}

export interface Assignee {
  readonly id: string
  readonly name: string | null
  readonly email: string
  readonly role: string
}
