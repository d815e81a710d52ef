import { AppError } from '../../core/index.js'
import {
  parseAssignmentRules,
  type ActionLimits,
  type Approval,
  type AssignmentRules,
  type Notification,
} from '../../actions/index.js'
import type { Actor } from '../../crm/actor.js'
import { writeAudit } from '../audit.js'
import { getRow, listRows, type ListQuery, type Page } from '../entity-table.js'
import { inTransaction, type RepositoryContext } from '../crm/context.js'
import { parseLimits, parseStoredAssignmentRules } from './action-store.js'
import {
  ACTION_LIMITS_SETTING,
  ASSIGNMENT_RULES_SETTING,
  approvalsTable,
  notificationsTable,
  outboxTable,
} from './tables.js'

/** Whose notifications a request may see: a user's own and the team's; an API token only the team's. */
export interface NotificationViewer {
  readonly userId: string | null
}

export interface OutboxEntry {
  id: string
  messageId: string
  channel: string
  status: 'pending' | 'sending' | 'sent' | 'failed'
  attempts: number
  nextAttemptAt: string | null
  lastError: string | null
  idempotencyKey: string
  createdAt: string
  updatedAt: string
}

/** Reads for the API and console: drafts, notifications, the outbox; the executor's stored limits. */
export function createActionsRepository(context: RepositoryContext) {
  const { store, clock } = context
  const codec = store.codec

  const listApprovals = (query: ListQuery): Promise<Page<Approval>> =>
    listRows<Approval>(store, approvalsTable, query)

  const getApproval = (id: string): Promise<Approval> => getRow<Approval>(store, approvalsTable, id)

  async function listNotifications(
    query: ListQuery & { readonly unread?: boolean },
    viewer: NotificationViewer,
  ): Promise<Page<Notification>> {
    return listRows<Notification>(store, notificationsTable, query, (qb) => {
      let scoped = qb.where((eb) =>
        viewer.userId === null
          ? eb('userId', 'is', null)
          : eb.or([eb('userId', '=', viewer.userId), eb('userId', 'is', null)]),
      )
      if (query.unread) scoped = scoped.where('readAt', 'is', null)
      return scoped
    })
  }

  /** Marks a notification read (once; reading it again keeps the first time). 404 when not the viewer's. */
  async function markNotificationRead(id: string, viewer: NotificationViewer): Promise<Notification> {
    const notification = await getRow<Notification>(store, notificationsTable, id)
    if (notification.userId !== null && notification.userId !== viewer.userId) {
      throw new AppError('ACTION_NOTIFICATION_NOT_FOUND', `notification "${id}" does not exist`, {
        details: { id },
      })
    }
    if (notification.readAt !== null) return notification
    await store.db
      .updateTable('notifications')
      .set(codec.encode(notificationsTable.columns, { readAt: clock.now() }))
      .where('id', '=', id)
      .where('readAt', 'is', null)
      .execute()
    return getRow<Notification>(store, notificationsTable, id)
  }

  /** The outbox rows of a message (one, unless something is badly wrong). */
  async function outboxForMessage(messageId: string): Promise<OutboxEntry[]> {
    const rows = await store.db
      .selectFrom('outbox')
      .selectAll()
      .where('messageId', '=', messageId)
      .orderBy('id')
      .execute()
    return rows.map((row) => codec.decode<OutboxEntry>(outboxTable.columns, row))
  }

  async function limits(): Promise<ActionLimits> {
    const row = await store.db
      .selectFrom('agent_settings')
      .select('value')
      .where('key', '=', ACTION_LIMITS_SETTING)
      .executeTakeFirst()
    return parseLimits(row?.value ?? null)
  }

  async function saveLimits(next: ActionLimits, actor: Actor): Promise<ActionLimits> {
    const now = clock.now()
    await inTransaction(store, async (db) => {
      const value = codec.json(next)
      const updated = await db
        .updateTable('agent_settings')
        .set({ value, updatedAt: now.toISOString() })
        .where('key', '=', ACTION_LIMITS_SETTING)
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) === 0) {
        await db
          .insertInto('agent_settings')
          .values({ key: ACTION_LIMITS_SETTING, value, updatedAt: now.toISOString() })
          .execute()
      }
      await writeAudit(
        db,
        codec,
        actor,
        {
          action: 'actions.limits.save',
          targetType: 'agent_setting',
          targetId: ACTION_LIMITS_SETTING,
          details: { aiRepliesPerHour: next.aiRepliesPerHour },
        },
        now,
      )
    })
    return limits()
  }

  async function assignmentRules(): Promise<AssignmentRules> {
    const row = await store.db
      .selectFrom('agent_settings')
      .select('value')
      .where('key', '=', ASSIGNMENT_RULES_SETTING)
      .executeTakeFirst()
    return parseStoredAssignmentRules(row?.value ?? null)
  }

  /**
   * Replaces the assignment rules after validating them (every problem with its path) and checking that each
   * person named is a user; audited.
   */
  async function saveAssignmentRules(raw: unknown, actor: Actor): Promise<AssignmentRules> {
    const rules = parseAssignmentRules(raw)
    const now = clock.now()
    await inTransaction(store, async (db) => {
      const named = [...new Set(rules.rules.flatMap((rule) => rule.assignTo))]
      const known = new Set(
        named.length === 0
          ? []
          : (await db.selectFrom('users').select('id').where('id', 'in', named).execute()).map(
              (row) => row.id,
            ),
      )
      const issues = rules.rules.flatMap((rule, index) =>
        rule.assignTo.flatMap((id, position) =>
          known.has(id)
            ? []
            : [{ path: `rules[${index}].assignTo[${position}]`, message: `no user has the id "${id}"` }],
        ),
      )
      if (issues.length > 0) {
        throw new AppError(
          'ACTION_ASSIGNMENT_INVALID',
          `invalid assignment rules: ${issues
            .slice(0, 3)
            .map((issue) => `${issue.path}: ${issue.message}`)
            .join('; ')}`,
          { details: { issues } },
        )
      }
      const value = codec.json(rules)
      const updated = await db
        .updateTable('agent_settings')
        .set({ value, updatedAt: now.toISOString() })
        .where('key', '=', ASSIGNMENT_RULES_SETTING)
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) === 0) {
        await db
          .insertInto('agent_settings')
          .values({ key: ASSIGNMENT_RULES_SETTING, value, updatedAt: now.toISOString() })
          .execute()
      }
      await writeAudit(
        db,
        codec,
        actor,
        {
          action: 'actions.assignment_rules.save',
          targetType: 'agent_setting',
          targetId: ASSIGNMENT_RULES_SETTING,
          details: { rules: rules.rules.map((rule) => rule.name).join(', ') },
        },
        now,
      )
    })
    return assignmentRules()
  }

  return {
    assignmentRules,
    saveAssignmentRules,
    listApprovals,
    getApproval,
    listNotifications,
    markNotificationRead,
    outboxForMessage,
    limits,
    saveLimits,
  }
}

export type ActionsRepository = ReturnType<typeof createActionsRepository>
