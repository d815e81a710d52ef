export {
  openStore,
  redactUrl,
  type Store,
  type StoreOptions,
  type Dialect,
  type Db,
  type Row,
} from './database.js'
export { parseDatabaseUrl, type DatabaseTarget } from './url.js'
export { createCodec, type Codec, type ColumnKinds, type ColumnKind } from './codec.js'
export { migrateToLatest, type MigrateResult } from './migrate.js'
export * from './crm/index.js'
export {
  createAccessRepository,
  type AccessRepository,
  type Principal,
  type User,
  type ApiToken,
} from './auth/access-repository.js'
export type { Page, ListQuery, EntityTable } from './entity-table.js'
export * from './transfer/index.js'
export {
  createModelRegistry,
  type ModelRegistry,
  type ModelVersion,
  type TrainingExample,
} from './nlu/model-registry.js'
export {
  createKnowledgeRepository,
  articlesTable,
  type KnowledgeRepository,
} from './knowledge/knowledge-repository.js'
export { createAgentRepository, type AgentRepository, type StoredDecision } from './agent/agent-repository.js'
export { createContextSource, orderSummary } from './agent/context-source.js'
export { compileCondition } from './conditions/compile-sql.js'
export {
  createWorkflowsRepository,
  canonicalJson,
  workflowsTable,
  WORKFLOW_SOURCES,
  type StoredWorkflow,
  type WorkflowSaveOutcome,
  type WorkflowSource,
  type WorkflowVersion,
  type WorkflowsRepository,
} from './workflow/workflows-repository.js'
export { createActionStore, parseLimits } from './actions/action-store.js'
export {
  createActionsRepository,
  type ActionsRepository,
  type NotificationViewer,
  type OutboxEntry,
} from './actions/actions-repository.js'
export { approvalsTable, notificationsTable, outboxTable } from './actions/tables.js'
export {
  createRunsRepository,
  runsTable,
  type RunsRepository,
  type RunStep,
} from './workflow/runs-repository.js'
export { createSweepRepository } from './workflow/sweep-repository.js'
export {
  createSurveysRepository,
  type AnsweredSurvey,
  type SurveysRepository,
} from './actions/surveys-repository.js'
export { createWebhookReceipts, type WebhookReceipts } from './channels/webhook-receipts.js'
export {
  createEmailMailboxes,
  type EmailMailboxes,
  type MailboxLease,
  type MailboxStatus,
} from './channels/email-mailboxes.js'
export {
  createOutboxDeliveries,
  type OutboxClaim,
  type OutboxDeliveries,
} from './channels/outbox-deliveries.js'
export {
  createNotificationDeliveries,
  fanOutNotification,
  type NotificationClaim,
  type NotificationDeliveries,
  type NotificationTarget,
} from './channels/notification-deliveries.js'
export {
  createLiveEventsRepository,
  recordLiveEvent,
  LIVE_EVENT_KINDS,
  LIVE_EVENT_RETENTION_MS,
  type LiveEvent,
  type LiveEventKind,
  type LiveEventsRepository,
} from './live/live-events.js'
export { createChatVisitors, type ChatVisitor, type ChatVisitors } from './channels/chat-visitors.js'
export * from './console/index.js'
export {
  createTrainingJobsRepository,
  trainingJobsTable,
  type TrainingJob,
  type TrainingJobStatus,
  type TrainingJobsRepository,
} from './nlu/training-jobs-repository.js'
