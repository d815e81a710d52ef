import { AppError, newId } from '../../core/index.js'
import {
  DEFAULT_ACTION_LIMITS,
  NO_ASSIGNMENT_RULES,
  parseAssignmentRules,
  type AssignmentRules,
  type ActionLimits,
  type ActionResult,
  type ActionStore,
  type ActionTransaction,
  type Approval,
  type ConversationState,
  type MessageState,
} from '../../actions/index.js'
import type { Conversation } from '../../crm/conversations.js'
import type { BusinessHours } from '../../crm/workspace.js'
import type { customerPatchSchema } from '../../crm/customers.js'
import { writeAudit } from '../audit.js'
import type { Db, Store } from '../database.js'
import { getRow } from '../entity-table.js'
import type { RepositoryContext } from '../crm/context.js'
import { createConversationsRepository } from '../crm/conversations-repository.js'
import { createCustomersRepository } from '../crm/customers-repository.js'
import { insertMessage } from '../crm/messages-repository.js'
import { createNotesRepository } from '../crm/notes-repository.js'
import { createTasksRepository } from '../crm/tasks-repository.js'
import { conversationsTable, messagesTable } from '../crm/tables.js'
import type { z } from 'zod'
import { fanOutNotification } from '../channels/notification-deliveries.js'
import { recordLiveEvent } from '../live/live-events.js'
import {
  ACTION_LIMITS_SETTING,
  ASSIGNMENT_RULES_SETTING,
  approvalsTable,
  notificationsTable,
  outboxTable,
} from './tables.js'

type CustomerPatch = z.output<typeof customerPatchSchema>

const effectColumns = { result: 'json', createdAt: 'time' } as const

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}

/** Reads the stored executor limits; anything missing or malformed falls back to the defaults. */
export function parseLimits(value: unknown): ActionLimits {
  const stored = (typeof value === 'string' ? JSON.parse(value) : value) as Partial<ActionLimits> | null
  const perHour = stored?.aiRepliesPerHour
  return {
    aiRepliesPerHour:
      typeof perHour === 'number' && Number.isInteger(perHour) && perHour >= 0
        ? perHour
        : DEFAULT_ACTION_LIMITS.aiRepliesPerHour,
  }
}

/** Reads the stored assignment rules (validated when saved); none stored: no rules. */
export function parseStoredAssignmentRules(value: unknown): AssignmentRules {
  if (value === null || value === undefined) return NO_ASSIGNMENT_RULES
  return parseAssignmentRules(typeof value === 'string' ? JSON.parse(value) : value)
}

/**
 * The executor's store port: `transaction` opens one database transaction and hands the actions a view of
 * it. The CRM repositories are built over a store bound to that transaction, so their validation (an
 * assignee must be a user, email and phone normalised, attributes checked) and their audit entries join the
 * same commit. On Postgres a conversation read for an action is row-locked, so actions on one conversation
 * (a takeover and an AI reply) are serialised; SQLite has one writer anyway.
 */
export function createActionStore(context: RepositoryContext): ActionStore {
  const { store } = context
  const codec = store.codec

  function bind(db: Db): ActionTransaction {
    const bound: Store = { ...store, db }
    const boundContext: RepositoryContext = { ...context, store: bound }
    const conversations = createConversationsRepository(boundContext)
    const customers = createCustomersRepository(boundContext)
    const notes = createNotesRepository(boundContext)
    const tasks = createTasksRepository(boundContext)

    const conversationRow = async (id: string): Promise<Conversation> => {
      let query = db.selectFrom('conversations').selectAll().where('id', '=', id)
      if (store.dialect === 'postgres') query = query.forUpdate()
      const row = id.includes('\u0000') ? undefined : await query.executeTakeFirst()
      if (row === undefined) {
        throw new AppError('CRM_CONVERSATION_NOT_FOUND', `conversation "${id}" does not exist`, {
          details: { id },
        })
      }
      return codec.decode<Conversation>(conversationsTable.columns, row)
    }

    const tx: ActionTransaction = {
      transaction: (work) => work(tx),
      conversations: {
        async get(id): Promise<ConversationState> {
          const row = await conversationRow(id)
          return {
            id: row.id,
            customerId: row.customerId,
            inboxId: row.inboxId,
            channel: row.channel,
            status: row.status,
            handler: row.handler,
            assigneeId: row.assigneeId,
            tags: row.tags,
          }
        },
        async setHandler(id, state, actor) {
          await conversations.update(id, { handler: state.handler, assigneeId: state.assigneeId }, actor)
        },
        async setStatus(id, status, actor) {
          await conversations.update(id, { status }, actor)
        },
        async setTags(id, tags, actor) {
          await conversations.update(id, { tags: [...tags] }, actor)
        },
        async setPriority(id, priority, actor) {
          await conversations.update(id, { priority }, actor)
        },
      },
      messages: {
        async get(id): Promise<MessageState> {
          const row = await getRow<Record<string, unknown>>(bound, messagesTable, id, db)
          // automatic mail was flagged at ingest (email_messages): the guard holds without the headers
          const email = await db
            .selectFrom('email_messages')
            .select(['automatic'])
            .where('messageId', '=', id)
            .executeTakeFirst()
          return {
            id: String(row.id),
            conversationId: String(row.conversationId),
            customerId: String(row.customerId),
            direction: row.direction === 'outbound' ? 'outbound' : 'inbound',
            authorKind: String(row.authorKind),
            text: String(row.text),
            automatic: (email?.automatic as string | null | undefined) ?? null,
          }
        },
        async insertOutbound(input) {
          const conversation = await conversationRow(input.conversationId)
          return insertMessage(
            boundContext,
            db,
            {
              conversation,
              direction: 'outbound',
              authorKind: input.authorKind,
              authorId: input.authorId,
              text: input.text,
              sentAt: input.at.toISOString(),
            },
            input.at,
          )
        },
        async countAiRepliesSince(conversationId, since) {
          const row = await db
            .selectFrom('messages')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('conversationId', '=', conversationId)
            .where('direction', '=', 'outbound')
            .where('authorKind', '=', 'ai')
            .where('createdAt', '>=', since.toISOString())
            // A draft a person approved was their call, not the AI's: it does not count.
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom('approvals')
                    .select('approvals.id')
                    .whereRef('approvals.resultMessageId', '=', 'messages.id'),
                ),
              ),
            )
            .executeTakeFirst()
          return Number(row?.n ?? 0)
        },
      },
      outbox: {
        async enqueue(input) {
          const id = newId('outbox', input.at.getTime())
          try {
            await db
              .insertInto('outbox')
              .values(
                codec.encode(outboxTable.columns, {
                  id,
                  messageId: input.messageId,
                  channel: input.channel,
                  status: 'pending',
                  attempts: 0,
                  nextAttemptAt: input.at,
                  lastError: null,
                  idempotencyKey: input.idempotencyKey,
                  createdAt: input.at,
                  updatedAt: input.at,
                }),
              )
              .execute()
          } catch (error) {
            if (!isUniqueViolation(error)) throw error
            throw new AppError(
              'ACTION_IDEMPOTENCY_KEY_REUSED',
              `the outbox already holds a message under idempotency key "${input.idempotencyKey}"; nothing was sent twice`,
              { details: { idempotencyKey: input.idempotencyKey }, cause: error },
            )
          }
          return id
        },
      },
      approvals: {
        async insert(input) {
          const id = newId('approval', input.at.getTime())
          await db
            .insertInto('approvals')
            .values(
              codec.encode(approvalsTable.columns, {
                id,
                conversationId: input.conversationId,
                messageId: input.messageId,
                decisionId: input.decisionId,
                draftText: input.draftText,
                citations: input.citations,
                status: 'pending',
                reason: input.reason,
                assigneeId: input.assigneeId,
                decidedBy: null,
                decidedAt: null,
                resultMessageId: null,
                createdAt: input.at,
              }),
            )
            .execute()
          await recordLiveEvent(
            db,
            codec,
            { kind: 'approval.created', conversationId: input.conversationId, approvalId: id },
            input.at,
          )
          return id
        },
        get: (id) => getRow<Approval>(bound, approvalsTable, id, db),
        async settle(id, outcome) {
          const result = await db
            .updateTable('approvals')
            .set(
              codec.encode(approvalsTable.columns, {
                status: outcome.status,
                decidedBy: outcome.decidedBy,
                decidedAt: outcome.at,
                resultMessageId: outcome.resultMessageId,
              }),
            )
            .where('id', '=', id)
            .where('status', '=', 'pending')
            .executeTakeFirst()
          return Number(result.numUpdatedRows) === 1
        },
      },
      surveys: {
        async insert(input) {
          const id = newId('survey', input.at.getTime())
          await db
            .insertInto('surveys')
            .values({
              id,
              conversationId: input.conversationId,
              customerId: input.customerId,
              messageId: input.messageId,
              kind: input.kind,
              language: input.language,
              token: input.token,
              score: null,
              comment: null,
              sentAt: codec.encode({ sentAt: 'time' }, { sentAt: input.at }).sentAt,
              answeredAt: null,
            })
            .execute()
          return id
        },
      },
      notifications: {
        async insert(input) {
          const id = newId('notification', input.at.getTime())
          await db
            .insertInto('notifications')
            .values(
              codec.encode(notificationsTable.columns, {
                id,
                kind: input.kind,
                conversationId: input.conversationId,
                userId: input.userId,
                payload: input.payload,
                readAt: null,
                createdAt: input.at,
              }),
            )
            .execute()
          await fanOutNotification(db, { notificationId: id, userId: input.userId, at: input.at })
          await recordLiveEvent(
            db,
            codec,
            {
              kind: 'notification.created',
              conversationId: input.conversationId,
              notificationId: id,
              userId: input.userId,
            },
            input.at,
          )
          return id
        },
      },
      crm: {
        customer: (id) => customers.get(id, db),
        async updateCustomer(id, changes, actor) {
          const { tags, ...rest } = changes
          const patch: CustomerPatch = {
            ...rest,
            ...(tags === undefined ? {} : { tags: [...tags] }),
            ...(changes.attributes === undefined ? {} : { attributes: { ...changes.attributes } }),
          }
          await customers.update(id, patch, actor)
        },
        addNote: async (input, actor) => (await notes.create(input, actor)).id,
        createTask: async (input, actor) => (await tasks.create(input, actor)).id,
        async userExists(id) {
          const row = id.includes('\u0000')
            ? undefined
            : await db
                .selectFrom('users')
                .select('id')
                .where('id', '=', id)
                .where('active', '=', codec.bool(true))
                .executeTakeFirst()
          return row !== undefined
        },
      },
      effects: {
        async find(idempotencyKey) {
          const row = await db
            .selectFrom('action_effects')
            .selectAll()
            .where('idempotencyKey', '=', idempotencyKey)
            .executeTakeFirst()
          if (row === undefined) return null
          const decoded = codec.decode<{ action: string; result: ActionResult }>(effectColumns, row)
          return { action: decoded.action, result: decoded.result }
        },
        async record(idempotencyKey, action, result, at) {
          try {
            await db
              .insertInto('action_effects')
              .values(codec.encode(effectColumns, { idempotencyKey, action, result, createdAt: at }))
              .execute()
          } catch (error) {
            if (!isUniqueViolation(error)) throw error
            // Two runs with one key raced; this one rolls back whole and a retry replays the winner.
            throw new AppError(
              'ACTION_IDEMPOTENCY_KEY_REUSED',
              `idempotency key "${idempotencyKey}" ran concurrently; nothing of this run was kept — retry to get the first result`,
              { details: { idempotencyKey, action }, cause: error },
            )
          }
        },
      },
      async limits() {
        const row = await db
          .selectFrom('agent_settings')
          .select('value')
          .where('key', '=', ACTION_LIMITS_SETTING)
          .executeTakeFirst()
        return parseLimits(row?.value ?? null)
      },
      assignment: {
        async settings() {
          const row = await db
            .selectFrom('agent_settings')
            .select('value')
            .where('key', '=', ASSIGNMENT_RULES_SETTING)
            .executeTakeFirst()
          const workspace = await db
            .selectFrom('workspace')
            .select(['timeZone', 'businessHours', 'baseCurrency'])
            .executeTakeFirstOrThrow()
          const decoded = codec.decode<{ businessHours: BusinessHours }>(
            { businessHours: 'json' },
            { businessHours: workspace.businessHours },
          )
          return {
            rules: parseStoredAssignmentRules(row?.value ?? null),
            timeZone: workspace.timeZone as string,
            businessHours: decoded.businessHours,
            baseCurrency: workspace.baseCurrency as string,
          }
        },
        async load(userIds) {
          const ids = userIds.filter((id) => !id.includes('\u0000'))
          if (ids.length === 0) return new Map()
          const active = await db
            .selectFrom('users')
            .select('id')
            .where('id', 'in', ids)
            .where('active', '=', codec.bool(true))
            .execute()
          const load = new Map<string, number>(active.map((row) => [row.id as string, 0]))
          if (load.size === 0) return load
          const open = await db
            .selectFrom('conversations')
            .select(['assigneeId', (eb) => eb.fn.countAll().as('n')])
            .where('assigneeId', 'in', [...load.keys()])
            .where('status', 'in', ['open', 'pending'])
            .groupBy('assigneeId')
            .execute()
          for (const row of open) load.set(row.assigneeId as string, Number(row.n))
          return load
        },
      },
      audit: (actor, entry, at) => writeAudit(db, codec, actor, entry, at),
    }
    return tx
  }

  return {
    transaction: (work) => store.db.transaction().execute((trx) => work(bind(trx))),
  }
}
