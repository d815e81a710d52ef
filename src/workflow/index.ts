/**
 * Workflows as data (docs/decisions/2026-11-25-workflow-definitions.md): definitions in JSON or YAML — a
 * trigger and steps joined by `next`/`then`/`else`/`onReject` — validated with every problem reported by
 * path, and the built-in workflows. Pure: no database, no network.
 */
export {
  parseWorkflowFile,
  validateWorkflow,
  workflowDefinitionSchema,
  workflowEdges,
  workflowInvalidError,
  type WorkflowEdge,
  type WorkflowFileFormat,
  type WorkflowIssue,
  type WorkflowValidation,
} from './definition.js'
export {
  KEBAB_CASE,
  MANUAL_SUBJECTS,
  STEP_SCHEMAS,
  STEP_TYPES,
  TRIGGER_TYPES,
  WAIT_EVENTS,
  WORKFLOW_KEYS,
  WORKFLOW_LIMITS,
  stepSchema,
  triggerSchema,
  workflowShapeSchema,
  type ActionStep,
  type ApprovalStep,
  type BranchStep,
  type PerceiveStep,
  type ReasonStep,
  type StepType,
  type TriggerType,
  type WaitEvent,
  type WaitStep,
  type WebhookStep,
  type WorkflowDefinition,
  type WorkflowStep,
  type WorkflowTrigger,
} from './schema.js'
export {
  ACTION_INPUT_SCHEMAS,
  ACTION_NAMES,
  ACTION_TARGETS,
  HTTP_METHODS,
  PROFILE_ENTITY_TYPES,
  durationSchema,
  recipientSchema,
  type ActionInput,
  type ActionName,
} from './action-inputs.js'
export {
  FACT_GROUPS,
  FACT_GROUP_SOURCES,
  WORKFLOW_FIELDS,
  WORKFLOW_FIELD_CATALOGUE,
  stepNeeds,
  stepProvides,
  triggerGroups,
  type FactGroup,
  type WorkflowFieldSpec,
} from './facts.js'
export {
  MAX_TEMPLATE_CHARS,
  bilingualTemplateSchema,
  renderTemplate,
  templatePlaceholders,
  templateSchema,
  type Placeholder,
  type TemplateLanguage,
  type TemplateText,
} from './templates.js'
export { MAX_DURATION_DAYS, checkCron, nextCronTime, parseIsoDuration, type Checked } from './schedule.js'
export * from './builtin/index.js'
export {
  retryDelayMs,
  type EnqueueOptions,
  type JobHandler,
  type Queue,
  type QueueJob,
  type QueueStats,
  type WorkOptions,
} from './queue-port.js'
export { createScheduler, SCHEDULE_CATCH_UP_MS, type Scheduler, type SchedulerOptions } from './scheduler.js'
