/**
 * The ports the executor needs, implemented by `store/actions`. Every write of one action run happens in one
 * transaction: `ActionStore.transaction` opens it, and inside it the same method joins it, so several
 * actions applied "in one go" commit or roll back together.
 */
import type { Citation } from '../agent/index.js'
import type {
  Actor,
  BusinessHours,
  ChannelKind,
  ConversationStatus,
  Customer,
  Handler,
  NoteCreate,
  Priority,
  TaskCreate,
} from '../crm/index.js'
import type { ActionResult } from './result.js'
import type { ActionLimits, HandlerState } from './takeover.js'
import type { AssignmentRules } from './assignment.js'

/** A conversation as the executor sees it (read with a row lock on Postgres inside a transaction). */
export interface ConversationState {
  readonly id: string
  readonly customerId: string
  readonly inboxId: string
  readonly channel: ChannelKind
  readonly status: ConversationStatus
  readonly handler: Handler
  readonly assigneeId: string | null
  readonly tags: readonly string[]
}

export interface MessageState {
  readonly id: string
  readonly conversationId: string
  readonly customerId: string
  readonly direction: 'inbound' | 'outbound'
  readonly authorKind: string
  readonly text: string
  /** Email: why a program sent it (stored at ingest), so it is never answered; null or absent otherwise. */
  readonly automatic?: string | null
}

export const APPROVAL_STATUSES = ['pending', 'approved', 'edited', 'rejected'] as const
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number]

/**
 * Why a draft waits for a person: the agent was not sure enough (`needs_approval`), a person handles the
 * conversation (`human_handler`: a suggestion), or the AI used up its hourly replies (`reply_cap`).
 */
export const APPROVAL_REASONS = ['needs_approval', 'human_handler', 'reply_cap'] as const
export type ApprovalReason = (typeof APPROVAL_REASONS)[number]

/** A draft reply waiting for a person; it becomes a message only when approved or edited. */
export interface Approval {
  readonly id: string
  readonly conversationId: string
  /** The inbound message the draft answers. */
  readonly messageId: string | null
  readonly decisionId: string | null
  readonly draftText: string
  readonly citations: readonly Citation[]
  readonly status: ApprovalStatus
  readonly reason: ApprovalReason
  /** Who is asked to review it; null: the team. */
  readonly assigneeId: string | null
  readonly decidedBy: string | null
  readonly decidedAt: string | null
  /** The outbound message an approval or edit created. */
  readonly resultMessageId: string | null
  readonly createdAt: string
}

/**
 * `workflow_notice`: a workflow's `notify` step (a low survey score, an SLA at risk); `duplicate_suggestion`:
 * an email or phone a message revealed belongs to another customer — a person decides whether to merge.
 */
export const NOTIFICATION_KINDS = [
  'hand_off',
  'assigned',
  'approval_requested',
  'workflow_failed',
  'workflow_notice',
  'duplicate_suggestion',
] as const
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]

/** A notice in the console for one person, or for the team's unassigned queue when `userId` is null. */
export interface Notification {
  readonly id: string
  readonly kind: NotificationKind
  readonly conversationId: string | null
  readonly userId: string | null
  readonly payload: Readonly<Record<string, unknown>>
  readonly readAt: string | null
  readonly createdAt: string
}

/** An entry of the audit log: field names and scalar details only, never values. */
export interface ActionAuditEntry {
  readonly action: string
  readonly targetType: string
  readonly targetId: string | null
  readonly fields?: readonly string[]
  readonly details?: Readonly<Record<string, string | number | boolean | null>>
}

/** Customer fields an action may set (merge semantics: absent keeps, null clears). */
export interface CustomerChanges {
  readonly name?: string | null
  readonly email?: string | null
  readonly phone?: string | null
  readonly locale?: string
  readonly tier?: Customer['tier']
  readonly lifecycleStage?: Customer['lifecycleStage']
  readonly acquisitionSource?: string | null
  readonly tags?: readonly string[]
  readonly attributes?: Readonly<Record<string, string | number | boolean | null>>
}

/** Opens a unit of work; inside one, joins it. */
export interface ActionStore {
  transaction<T>(work: (tx: ActionTransaction) => Promise<T>): Promise<T>
}

/** What an action reads and writes, all inside one transaction. */
export interface ActionTransaction extends ActionStore {
  readonly conversations: {
    /** 404 `CRM_CONVERSATION_NOT_FOUND` for an unknown id; locks the row on Postgres. */
    get(id: string): Promise<ConversationState>
    /** Sets handler and assignee (the assignee must be a user: 400 otherwise). */
    setHandler(id: string, state: HandlerState, actor: Actor): Promise<void>
    setStatus(id: string, status: ConversationStatus, actor: Actor): Promise<void>
    setTags(id: string, tags: readonly string[], actor: Actor): Promise<void>
    setPriority(id: string, priority: Priority, actor: Actor): Promise<void>
  }
  readonly messages: {
    /** 404 `CRM_MESSAGE_NOT_FOUND` for an unknown id. */
    get(id: string): Promise<MessageState>
    /** Inserts an outbound message (`deliveryStatus: pending`); returns its id. */
    insertOutbound(input: {
      readonly conversationId: string
      readonly text: string
      readonly authorKind: 'ai' | 'agent' | 'system'
      readonly authorId: string | null
      readonly at: Date
    }): Promise<string>
    /** How many outbound AI messages the conversation got since `since`. */
    countAiRepliesSince(conversationId: string, since: Date): Promise<number>
  }
  readonly outbox: {
    /** Queues a message for delivery under an idempotency key (unique); returns the outbox row id. */
    enqueue(input: {
      readonly messageId: string
      readonly channel: ChannelKind
      readonly idempotencyKey: string
      readonly at: Date
    }): Promise<string>
  }
  readonly approvals: {
    insert(input: {
      readonly conversationId: string
      readonly messageId: string | null
      readonly decisionId: string | null
      readonly draftText: string
      readonly citations: readonly Citation[]
      readonly reason: ApprovalReason
      readonly assigneeId: string | null
      readonly at: Date
    }): Promise<string>
    /** 404 `ACTION_APPROVAL_NOT_FOUND` for an unknown id. */
    get(id: string): Promise<Approval>
    /** Records the decision on a pending approval; false when it was no longer pending. */
    settle(
      id: string,
      outcome: {
        readonly status: Exclude<ApprovalStatus, 'pending'>
        readonly decidedBy: string | null
        readonly resultMessageId: string | null
        readonly at: Date
      },
    ): Promise<boolean>
  }
  readonly surveys: {
    /** Records a survey sent on a conversation; returns its id. The token must be unique. */
    insert(input: {
      readonly conversationId: string
      readonly customerId: string
      readonly messageId: string
      readonly kind: 'csat'
      readonly language: string
      readonly token: string
      readonly at: Date
    }): Promise<string>
  }
  readonly notifications: {
    insert(input: {
      readonly kind: NotificationKind
      readonly conversationId: string | null
      readonly userId: string | null
      readonly payload: Readonly<Record<string, unknown>>
      readonly at: Date
    }): Promise<string>
  }
  readonly crm: {
    customer(id: string): Promise<Customer>
    /** Merges fields and attributes into a customer (validated; attributes against their definitions). */
    updateCustomer(id: string, changes: CustomerChanges, actor: Actor): Promise<void>
    addNote(input: NoteCreate, actor: Actor): Promise<string>
    createTask(input: TaskCreate, actor: Actor): Promise<string>
    userExists(id: string): Promise<boolean>
  }
  readonly effects: {
    find(idempotencyKey: string): Promise<{ readonly action: string; readonly result: ActionResult } | null>
    record(idempotencyKey: string, action: string, result: ActionResult, at: Date): Promise<void>
  }
  limits(): Promise<ActionLimits>
  readonly assignment: {
    /** The workspace's assignment rules and what evaluating them needs. */
    settings(): Promise<{
      readonly rules: AssignmentRules
      readonly timeZone: string
      readonly businessHours: BusinessHours
      readonly baseCurrency: string
    }>
    /** Open human-handled conversations per person, for the active ones among `userIds`. */
    load(userIds: readonly string[]): Promise<ReadonlyMap<string, number>>
  }
  audit(actor: Actor, entry: ActionAuditEntry, at: Date): Promise<void>
}
