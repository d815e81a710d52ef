import type { EntityTable } from '../entity-table.js'

/** Drafts waiting for a person (see actions/ports.ts `Approval`). */
export const approvalsTable: EntityTable = {
  entity: 'approval',
  table: 'approvals',
  idKind: 'approval',
  notFound: 'ACTION_APPROVAL_NOT_FOUND',
  columns: { citations: 'json', decidedAt: 'time', createdAt: 'time' },
  sortable: ['createdAt', 'status', 'id'],
  defaultSort: ['createdAt'],
  filters: { status: 'text', reason: 'text', conversationId: 'text', assigneeId: 'text', messageId: 'text' },
  search: ['draftText'],
  references: [],
}

/** Console notifications for a person or the team (user null). */
export const notificationsTable: EntityTable = {
  entity: 'notification',
  table: 'notifications',
  idKind: 'notification',
  notFound: 'ACTION_NOTIFICATION_NOT_FOUND',
  columns: { payload: 'json', readAt: 'time', createdAt: 'time' },
  sortable: ['createdAt', 'id'],
  defaultSort: ['-createdAt'],
  filters: { kind: 'text', conversationId: 'text' },
  search: [],
  references: [],
}

/** Outbound effects waiting for (or done with) delivery. */
export const outboxTable: EntityTable = {
  entity: 'outbox entry',
  table: 'outbox',
  idKind: 'outbox',
  notFound: 'CRM_MESSAGE_NOT_FOUND',
  columns: { attempts: 'int', nextAttemptAt: 'time', createdAt: 'time', updatedAt: 'time' },
  sortable: ['createdAt', 'id'],
  defaultSort: ['createdAt'],
  filters: { status: 'text', channel: 'text', messageId: 'text' },
  search: [],
  references: [],
}

/** The agent setting that holds the executor's limits (`ActionLimits`). */
export const ACTION_LIMITS_SETTING = 'actions.limits'

/** The agent setting that holds the workspace's assignment rules (`AssignmentRules`). */
export const ASSIGNMENT_RULES_SETTING = 'actions.assignment_rules'
