import { z } from 'zod'
import { isTimeZone } from '../core/index.js'
import { conditionSchema, type Condition } from '../crm/conditions/index.js'
import { eventTypeSchema } from '../crm/index.js'
import {
  ACTION_NAMES,
  HTTP_METHODS,
  durationSchema,
  headersSchema,
  recipientSchema,
  webhookBodySchema,
  webhookUrlSchema,
  type ActionName,
} from './action-inputs.js'
import { checkCron, timeZoneMessage } from './schedule.js'
import { templateSchema, type TemplateText } from './templates.js'

/** Workflow keys and step ids: kebab-case, so they read well in URLs, logs and run histories. */
export const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** What starts a run. */
export const TRIGGER_TYPES = [
  'message.received',
  'conversation.resolved',
  'order.created',
  'event.tracked',
  'survey.answered',
  'schedule',
  'manual',
] as const
export type TriggerType = (typeof TRIGGER_TYPES)[number]

export const STEP_TYPES = ['perceive', 'reason', 'action', 'branch', 'wait', 'approval', 'webhook'] as const
export type StepType = (typeof STEP_TYPES)[number]

/** The events a wait step can wait for: the same events that start runs (for the run's own customer). */
export const WAIT_EVENTS = [
  'message.received',
  'conversation.resolved',
  'order.created',
  'event.tracked',
  'survey.answered',
] as const
export type WaitEvent = (typeof WAIT_EVENTS)[number]

/** What a manually started run is about. */
export const MANUAL_SUBJECTS = ['customer', 'conversation', 'message', 'order'] as const

/** Limits that keep a definition small enough to read, validate and store. */
export const WORKFLOW_LIMITS = Object.freeze({
  steps: 100,
  keyLength: 64,
  nameLength: 200,
  descriptionLength: 2_000,
  fileChars: 256 * 1024,
})

const kebab = (what: string, example: string) =>
  z
    .string()
    .min(1)
    .max(WORKFLOW_LIMITS.keyLength)
    .regex(
      KEBAB_CASE,
      `${what} is kebab-case: lower-case letters, digits and single dashes, such as ${example}`,
    )

export const stepIdSchema = kebab('a step id', 'check-score')
const nextSchema = stepIdSchema.optional()

const cronSchema = z
  .string()
  .max(200)
  .superRefine((value, context) => {
    const checked = checkCron(value)
    if (!checked.ok) context.addIssue({ code: 'custom', message: checked.message })
  })
const timeZoneSchema = z
  .string()
  .max(64)
  .superRefine((value, context) => {
    if (!isTimeZone(value)) context.addIssue({ code: 'custom', message: timeZoneMessage(value) })
  })

/**
 * What starts a run. `schedule` fires on a 5-field cron in `timeZone` (default: the workspace's); with
 * `forEach` it starts one run per conversation that is open or pending and satisfies `where`.
 */
export const triggerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('message.received') }),
  z.strictObject({ type: z.literal('conversation.resolved') }),
  z.strictObject({ type: z.literal('order.created') }),
  z.strictObject({ type: z.literal('event.tracked'), eventName: eventTypeSchema.optional() }),
  z.strictObject({ type: z.literal('survey.answered') }),
  z.strictObject({
    type: z.literal('schedule'),
    cron: cronSchema,
    timeZone: timeZoneSchema.optional(),
    forEach: z
      .strictObject({ entity: z.literal('conversation'), where: conditionSchema.optional() })
      .optional(),
  }),
  z.strictObject({ type: z.literal('manual'), subject: z.enum(MANUAL_SUBJECTS).optional() }),
])
export type WorkflowTrigger = z.output<typeof triggerSchema>

const perceiveStep = z.strictObject({ id: stepIdSchema, type: z.literal('perceive'), next: nextSchema })
const reasonStep = z.strictObject({ id: stepIdSchema, type: z.literal('reason'), next: nextSchema })
const actionStep = z.strictObject({
  id: stepIdSchema,
  type: z.literal('action'),
  action: z.enum(ACTION_NAMES),
  /** Checked against the action's own schema (ACTION_INPUT_SCHEMAS); absent means `{}`. */
  input: z.record(z.string(), z.unknown()).optional(),
  next: nextSchema,
})
const branchStep = z.strictObject({
  id: stepIdSchema,
  type: z.literal('branch'),
  condition: conditionSchema,
  then: stepIdSchema,
  /** Absent: the run ends when the condition does not hold. */
  else: stepIdSchema.optional(),
})
const waitStep = z.strictObject({
  id: stepIdSchema,
  type: z.literal('wait'),
  /** Wait this long… */
  duration: durationSchema.optional(),
  /** …or until this event happens for the run's customer (at most `timeout`; then the run goes on without it). */
  until: z.enum(WAIT_EVENTS).optional(),
  /** With `until: event.tracked`: only events of this type. */
  eventName: eventTypeSchema.optional(),
  timeout: durationSchema.optional(),
  next: nextSchema,
})
const approvalStep = z.strictObject({
  id: stepIdSchema,
  type: z.literal('approval'),
  assignee: recipientSchema.optional(),
  /** What the person is asked to approve. */
  message: templateSchema.optional(),
  /** A request still open after this long counts as rejected. */
  timeout: durationSchema.optional(),
  /** Approved: `next`. Rejected or timed out: `onReject`, or the run ends. */
  next: nextSchema,
  onReject: stepIdSchema.optional(),
})
const webhookStep = z.strictObject({
  id: stepIdSchema,
  type: z.literal('webhook'),
  url: webhookUrlSchema,
  method: z.enum(HTTP_METHODS),
  headers: headersSchema.optional(),
  body: webhookBodySchema.optional(),
  next: nextSchema,
})

/** Every step shape by type: perceive, reason, action, branch, wait, approval, webhook. */
export const STEP_SCHEMAS = {
  perceive: perceiveStep,
  reason: reasonStep,
  action: actionStep,
  branch: branchStep,
  wait: waitStep,
  approval: approvalStep,
  webhook: webhookStep,
} as const satisfies Record<StepType, z.ZodObject>

export const stepSchema = z.discriminatedUnion('type', [
  perceiveStep,
  reasonStep,
  actionStep,
  branchStep,
  waitStep,
  approvalStep,
  webhookStep,
])

export type PerceiveStep = z.output<typeof perceiveStep>
export type ReasonStep = z.output<typeof reasonStep>
export type ActionStep = z.output<typeof actionStep> & { readonly action: ActionName }
export type BranchStep = Omit<z.output<typeof branchStep>, 'condition'> & { readonly condition: Condition }
export type WaitStep = z.output<typeof waitStep>
export type ApprovalStep = Omit<z.output<typeof approvalStep>, 'message'> & {
  readonly message?: TemplateText
}
export type WebhookStep = z.output<typeof webhookStep>
export type WorkflowStep =
  PerceiveStep | ReasonStep | ActionStep | BranchStep | WaitStep | ApprovalStep | WebhookStep

/** The top-level keys of a definition. */
export const WORKFLOW_KEYS = ['key', 'name', 'description', 'trigger', 'steps'] as const

/**
 * The shape of a workflow definition, without the checks that span steps (ids, references, the graph,
 * facts): `workflowDefinitionSchema` in definition.ts adds those.
 */
export const workflowShapeSchema = z.strictObject({
  key: kebab('a workflow key', 'inbound-inquiry'),
  name: z.string().trim().min(1).max(WORKFLOW_LIMITS.nameLength),
  description: z.string().max(WORKFLOW_LIMITS.descriptionLength).optional(),
  trigger: triggerSchema,
  steps: z.array(stepSchema).min(1).max(WORKFLOW_LIMITS.steps),
})

/**
 * A workflow definition as users write it (JSON or YAML): a trigger and steps. The first step is where a
 * run starts; each step names the step after it in `next` (a branch in `then` and `else`, an approval in
 * `next` and `onReject`); a step without a successor ends the run.
 */
export interface WorkflowDefinition {
  readonly key: string
  readonly name: string
  readonly description?: string
  readonly trigger: WorkflowTrigger
  readonly steps: readonly WorkflowStep[]
}
