import { sql, type Expression, type SqlBool } from 'kysely'
import { AppError } from '../../core/index.js'
import type { Conversation } from '../../crm/conversations.js'
import { containsText, type Page } from '../entity-table.js'
import type { RepositoryContext } from './context.js'
import { conversationsTable } from './tables.js'

/** The console's queues: assigned to me, handed to people but unassigned, handled by the AI, everything. */
export const INBOX_QUEUES = ['all', 'mine', 'unassigned', 'ai'] as const
export type InboxQueue = (typeof INBOX_QUEUES)[number]

export interface InboxQuery {
  readonly queue: InboxQueue
  /** The caller; `mine` needs one. */
  readonly userId: string | null
  readonly status?: string
  readonly channel?: string
  readonly priority?: string
  readonly handler?: string
  readonly assigneeId?: string
  readonly customerId?: string
  /** The intent / sentiment the agent perceived in the conversation's latest handled message. */
  readonly intent?: string
  readonly sentiment?: string
  readonly q?: string
  readonly limit?: number
  readonly cursor?: string
}

/** A conversation as the inbox lists it: who, the last message, and what the agent last perceived. */
export interface InboxItem extends Conversation {
  readonly customer: { readonly id: string; readonly name: string | null }
  readonly assignee: { readonly id: string; readonly name: string | null; readonly email: string } | null
  readonly lastMessage: {
    readonly id: string
    readonly text: string
    readonly direction: string
    readonly authorKind: string
    readonly sentAt: string
  } | null
  /** From the latest decision record of the conversation; null before the agent handled a message. */
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

/** A decision record of one message of a conversation, as stored. */
export interface ConversationDecision {
  readonly id: string
  readonly messageId: string | null
  readonly action: string
  readonly confidence: number
  readonly intent: string | null
  readonly sentiment: string | null
  readonly record: Record<string, unknown>
  readonly createdAt: string
}

/** A person's correction of a message's intent or sentiment (a training example). */
export interface MessageCorrection {
  readonly id: string
  readonly messageId: string
  readonly task: string
  readonly label: string
  readonly createdBy: string | null
  readonly createdAt: string
}

export interface Assignee {
  readonly id: string
  readonly name: string | null
  readonly email: string
  readonly role: string
}

const PREVIEW = 200

function encodeCursor(activity: string, id: string): string {
  return Buffer.from(JSON.stringify([activity, id])).toString('base64url')
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      value.every((v) => typeof v === 'string') &&
      !Number.isNaN(Date.parse(value[0]))
    ) {
      return value as [string, string]
    }
  } catch {
    // falls through to the error below
  }
  throw new AppError(
    'CORE_VALIDATION_FAILED',
    'cursor is not one this list returned; start again without it',
    {
      details: { field: 'cursor' },
    },
  )
}

/**
 * The console inbox's reads: the conversation list with queues and filters on the latest perception, most
 * recent activity first (keyset over `coalesce(lastMessageAt, createdAt)` and id); the decision records
 * and corrections of one conversation; the people a conversation can be assigned to.
 */
export function createInboxRepository(context: RepositoryContext) {
  const { store } = context
  const { db, codec } = store

  async function list(query: InboxQuery): Promise<Page<InboxItem>> {
    if (query.queue === 'mine' && query.userId === null) {
      throw new AppError(
        'CORE_VALIDATION_FAILED',
        'queue "mine" needs a signed-in user; an API token has no conversations of its own — use assigneeId',
        { details: { field: 'queue' } },
      )
    }
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 200)
    const activity = sql<string>`coalesce(c.last_message_at, c.created_at)`
    const latestDecision = (column: 'intent' | 'sentiment') =>
      sql<
        string | null
      >`(select d.${sql.ref(column)} from agent_decisions d where d.conversation_id = c.id order by d.created_at desc, d.id desc limit 1)`

    let qb = db.selectFrom('conversations as c').selectAll('c').select(activity.as('activity'))
    if (query.queue === 'mine') qb = qb.where('c.assigneeId', '=', query.userId)
    if (query.queue === 'unassigned')
      qb = qb.where('c.handler', '=', 'human').where('c.assigneeId', 'is', null)
    if (query.queue === 'ai') qb = qb.where('c.handler', '=', 'ai')
    const equal = {
      status: 'c.status',
      channel: 'c.channel',
      priority: 'c.priority',
      handler: 'c.handler',
    } as const
    for (const [field, column] of Object.entries(equal)) {
      const value = query[field as keyof typeof equal]
      if (value !== undefined) qb = qb.where(column, '=', value)
    }
    if (query.assigneeId !== undefined) qb = qb.where('c.assigneeId', '=', query.assigneeId)
    if (query.customerId !== undefined) qb = qb.where('c.customerId', '=', query.customerId)
    if (query.intent !== undefined) qb = qb.where(latestDecision('intent'), '=', query.intent)
    if (query.sentiment !== undefined) qb = qb.where(latestDecision('sentiment'), '=', query.sentiment)
    const q = query.q?.trim()
    if (q) {
      qb = qb.where((eb) =>
        eb.or([
          containsText(eb, store.dialect, 'c.subject', q),
          eb.exists(
            eb
              .selectFrom('customers as cu')
              .select('cu.id')
              .whereRef('cu.id', '=', 'c.customerId')
              .where((inner) =>
                inner.or([
                  containsText(inner, store.dialect, 'cu.name', q),
                  containsText(inner, store.dialect, 'cu.email', q),
                ]),
              ),
          ),
          eb.exists(
            eb
              .selectFrom('messages as m')
              .select('m.id')
              .whereRef('m.conversationId', '=', 'c.id')
              .where((inner) => containsText(inner, store.dialect, 'm.text', q)),
          ),
        ]),
      )
    }
    if (query.cursor) {
      const [after, id] = decodeCursor(query.cursor)
      const at = new Date(after).toISOString()
      qb = qb.where(
        (eb) =>
          sql<SqlBool>`(${activity} < ${at} or (${activity} = ${at} and ${eb.ref('c.id')} < ${id}))` as Expression<SqlBool>,
      )
    }
    const rows = await qb
      .orderBy(activity, 'desc')
      .orderBy('c.id', 'desc')
      .limit(limit + 1)
      .execute()
    const more = rows.length > limit
    const page = rows.slice(0, limit)
    const conversations = page.map((row) => ({
      conversation: codec.decode<Conversation>(conversationsTable.columns, row),
      activity: codec.decode<{ at: string }>({ at: 'time' }, { at: row.activity }).at,
    }))
    const items = await enrich(conversations.map((entry) => entry.conversation))
    const last = conversations.at(-1)
    return { items, nextCursor: more && last ? encodeCursor(last.activity, last.conversation.id) : null }
  }

  async function enrich(conversations: Conversation[]): Promise<InboxItem[]> {
    if (conversations.length === 0) return []
    const ids = conversations.map((c) => c.id)
    const customerIds = [...new Set(conversations.map((c) => c.customerId))]
    const assigneeIds = [...new Set(conversations.flatMap((c) => (c.assigneeId ? [c.assigneeId] : [])))]
    const [customers, assignees, messages, decisions, approvals] = await Promise.all([
      db.selectFrom('customers').select(['id', 'name']).where('id', 'in', customerIds).execute(),
      assigneeIds.length === 0
        ? Promise.resolve([])
        : db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', assigneeIds).execute(),
      // the newest message of each conversation
      db
        .selectFrom('messages as m')
        .select(['m.id', 'm.conversationId', 'm.text', 'm.direction', 'm.authorKind', 'm.sentAt'])
        .where('m.conversationId', 'in', ids)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('messages as n')
                .select('n.id')
                .whereRef('n.conversationId', '=', 'm.conversationId')
                .where((eb) =>
                  eb.or([
                    eb('n.sentAt', '>', eb.ref('m.sentAt')),
                    eb.and([eb('n.sentAt', '=', eb.ref('m.sentAt')), eb('n.id', '>', eb.ref('m.id'))]),
                  ]),
                ),
            ),
          ),
        )
        .execute(),
      db
        .selectFrom('agent_decisions as d')
        .select([
          'd.id',
          'd.conversationId',
          'd.messageId',
          'd.intent',
          'd.sentiment',
          'd.action',
          'd.confidence',
          'd.handOffReason',
          'd.createdAt',
        ])
        .where('d.conversationId', 'in', ids)
        .orderBy('d.createdAt', 'asc')
        .orderBy('d.id', 'asc')
        .execute(),
      db
        .selectFrom('approvals')
        .select(['conversationId', (eb) => eb.fn.countAll().as('count')])
        .where('conversationId', 'in', ids)
        .where('status', '=', 'pending')
        .groupBy('conversationId')
        .execute(),
    ])
    const customerById = new Map(customers.map((row) => [String(row.id), row]))
    const assigneeById = new Map(assignees.map((row) => [String(row.id), row]))
    const messageBy = new Map(messages.map((row) => [String(row.conversationId), row]))
    const decisionBy = new Map(decisions.map((row) => [String(row.conversationId), row])) // the last wins
    const approvalsBy = new Map(approvals.map((row) => [String(row.conversationId), Number(row.count)]))
    return conversations.map((conversation) => {
      const customer = customerById.get(conversation.customerId)
      const assignee = conversation.assigneeId ? assigneeById.get(conversation.assigneeId) : undefined
      const message = messageBy.get(conversation.id)
      const decision = decisionBy.get(conversation.id)
      return {
        ...conversation,
        customer: { id: conversation.customerId, name: (customer?.name as string | null) ?? null },
        assignee: assignee
          ? {
              id: String(assignee.id),
              name: (assignee.name as string | null) ?? null,
              email: String(assignee.email),
            }
          : null,
        lastMessage: message
          ? {
              id: String(message.id),
              text: String(message.text).slice(0, PREVIEW),
              direction: String(message.direction),
              authorKind: String(message.authorKind),
              sentAt: codec.decode<{ at: string }>({ at: 'time' }, { at: message.sentAt }).at,
            }
          : null,
        perception: decision
          ? {
              messageId: (decision.messageId as string | null) ?? null,
              intent: (decision.intent as string | null) ?? null,
              sentiment: (decision.sentiment as string | null) ?? null,
              action: String(decision.action),
              confidence: Number(decision.confidence),
              handOffReason: (decision.handOffReason as string | null) ?? null,
            }
          : null,
        pendingApprovals: approvalsBy.get(conversation.id) ?? 0,
      }
    })
  }

  /** Every decision record and correction of a conversation's messages, oldest first (404 for an unknown one). */
  async function explanations(
    conversationId: string,
  ): Promise<{ items: ConversationDecision[]; corrections: MessageCorrection[] }> {
    const exists = await db
      .selectFrom('conversations')
      .select('id')
      .where('id', '=', conversationId)
      .executeTakeFirst()
    if (!exists) {
      throw new AppError('CRM_CONVERSATION_NOT_FOUND', `conversation "${conversationId}" does not exist`, {
        details: { id: conversationId },
      })
    }
    const [decisions, corrections] = await Promise.all([
      db
        .selectFrom('agent_decisions')
        .selectAll()
        .where('conversationId', '=', conversationId)
        .orderBy('createdAt', 'asc')
        .orderBy('id', 'asc')
        .execute(),
      db
        .selectFrom('training_examples as e')
        .innerJoin('messages as m', 'm.id', 'e.messageId')
        .select(['e.id', 'e.messageId', 'e.task', 'e.label', 'e.createdBy', 'e.createdAt'])
        .where('m.conversationId', '=', conversationId)
        .where('e.source', '=', 'correction')
        .orderBy('e.createdAt', 'asc')
        .orderBy('e.id', 'asc')
        .execute(),
    ])
    return {
      items: decisions.map((row) =>
        codec.decode<ConversationDecision>({ record: 'json', createdAt: 'time' }, row),
      ),
      corrections: corrections.map((row) => codec.decode<MessageCorrection>({ createdAt: 'time' }, row)),
    }
  }

  /** Active people who can take a conversation (agents and admins). */
  async function assignees(): Promise<Assignee[]> {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'name', 'email', 'role'])
      .where('active', '=', codec.bool(true))
      .where('role', 'in', ['agent', 'admin'])
      .orderBy('email')
      .execute()
    return rows.map((row) => ({
      id: String(row.id),
      name: (row.name as string | null) ?? null,
      email: String(row.email),
      role: String(row.role),
    }))
  }

  return { list, explanations, assignees }
}

export type InboxRepository = ReturnType<typeof createInboxRepository>
