import { z } from 'zod'
import { CONVERSATION_STATUSES, HANDLERS, PRIORITIES, tagSchema } from '../crm/index.js'
import { parseIsoDuration } from './schedule.js'
import { bilingualTemplateSchema, templateSchema } from './templates.js'

/**
 * The actions a workflow step can take. Issue 5 lists reply … call_webhook; `update_conversation`
 * (close, reopen, escalate the priority, give back to the AI) and `notify` (tell the team or a person)
 * are added because the built-in workflows need them — see docs/decisions/2026-11-25-workflow-definitions.md.
 */
export const ACTION_NAMES = [
  'reply',
  'draft_for_approval',
  'hand_off',
  'assign',
  'tag',
  'update_customer',
  'update_conversation',
  'add_note',
  'create_task',
  'send_survey',
  'schedule_follow_up',
  'notify',
  'call_webhook',
] as const
export type ActionName = (typeof ACTION_NAMES)[number]

/** Methods a webhook step or a call_webhook action may use. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/**
 * A duration written as ISO-8601 (`PT1H`, `P3D`); see {@link parseIsoDuration}.
 */
export const durationSchema = z
  .string()
  .max(40)
  .superRefine((value, context) => {
    const parsed = parseIsoDuration(value)
    if (!parsed.ok) context.addIssue({ code: 'custom', message: parsed.message })
  })
  .meta({ description: 'An ISO-8601 duration of weeks, days, hours, minutes, seconds: PT1H, P3D, P1DT12H.' })

const USER_ID = /^usr_[0-9A-HJKMNP-TV-Z]{26}$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * Who an assignment, approval or notification goes to: `team` (the unassigned queue: everyone with the
 * agent role), `assignee` (the conversation's assignee, else the team), a user id (`usr_…`) or a user's
 * email address.
 */
export const recipientSchema = z
  .string()
  .max(254)
  .superRefine((value, context) => {
    if (value === 'team' || value === 'assignee' || USER_ID.test(value) || EMAIL.test(value)) return
    context.addIssue({
      code: 'custom',
      message: `recipient ${JSON.stringify(value)} is not team, assignee, a user id (usr_…) or a user's email address`,
    })
  })
  .meta({ description: 'team, assignee, a user id (usr_…) or a user email.' })

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/

/** An absolute http(s) URL without credentials; never a template, so a message cannot redirect a call. */
export const webhookUrlSchema = z
  .string()
  .max(2_000)
  .superRefine((value, context) => {
    const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
    if (value.includes('{{')) {
      context.addIssue({
        code: 'custom',
        message: `url ${shown} contains a placeholder; webhook URLs are fixed — send facts in the body`,
      })
      return
    }
    let url: URL
    try {
      url = new URL(value)
    } catch {
      context.addIssue({
        code: 'custom',
        message: `url ${shown} is not an absolute URL; write one such as https://hooks.example.com/agentcrm`,
      })
      return
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      context.addIssue({
        code: 'custom',
        message: `url ${shown} uses ${url.protocol.replace(':', '')}; only http and https are allowed`,
      })
    } else if (url.username || url.password) {
      context.addIssue({
        code: 'custom',
        message: `url ${shown} carries credentials; put them in a header instead`,
      })
    }
  })

/** Request headers of a webhook: at most 20, names as HTTP allows, values without line breaks. */
export const headersSchema = z
  .record(z.string().regex(HEADER_NAME, 'a header name such as X-Signature'), z.string().max(2_000))
  .superRefine((headers, context) => {
    const names = Object.keys(headers)
    if (names.length > 20)
      context.addIssue({ code: 'custom', message: `${names.length} headers; at most 20` })
    for (const name of names) {
      if (/[\r\n\u0000]/.test(headers[name]))
        context.addIssue({
          code: 'custom',
          path: [name],
          message: 'a header value must not contain line breaks',
        })
    }
  })

function depth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0
  let deepest = 0
  for (const child of Object.values(value as Record<string, unknown>)) {
    deepest = Math.max(deepest, depth(child))
    if (deepest > 8) break
  }
  return deepest + 1
}

/** A JSON body of a webhook whose texts may hold placeholders: under 16 KiB, at most 8 levels deep. */
export const webhookBodySchema = z.record(z.string().max(128), z.unknown()).superRefine((value, context) => {
  if (depth(value) > 8)
    context.addIssue({ code: 'custom', message: 'the body may nest at most 8 levels deep' })
  else if (JSON.stringify(value).length > 16 * 1024)
    context.addIssue({ code: 'custom', message: 'the body must be under 16 KiB as JSON' })
})

const tagList = z.array(tagSchema).min(1).max(20)
/** Which record a tag or note goes on. */
export const ACTION_TARGETS = ['conversation', 'customer'] as const
/** The entity types whose values `update_customer` can store on a customer's profile. */
export const PROFILE_ENTITY_TYPES = ['email', 'phone', 'address'] as const

/**
 * The input of each action as a workflow author writes it (strict: unknown keys are refused). Every text
 * is a template (`{{fact}}` placeholders). The executor resolves these into its own runtime inputs.
 */
export const ACTION_INPUT_SCHEMAS = {
  /** Sends a message to the customer: `template`, or (absent) the reply the reason step wrote. */
  reply: z.strictObject({ template: templateSchema.optional() }),
  /** Drafts the reply for a person to approve, edit or reject; nothing is sent before that. */
  draft_for_approval: z.strictObject({
    template: templateSchema.optional(),
    assignee: recipientSchema.optional(),
    note: templateSchema.optional(),
  }),
  /** Makes the conversation's handler `human`; it lands with `assignee` or in the unassigned queue. */
  hand_off: z.strictObject({ assignee: recipientSchema.optional(), note: templateSchema.optional() }),
  assign: z.strictObject({ assignee: recipientSchema }),
  tag: z
    .strictObject({
      target: z.enum(ACTION_TARGETS).optional(),
      add: tagList.optional(),
      remove: tagList.optional(),
    })
    .refine((input) => input.add !== undefined || input.remove !== undefined, {
      message: 'give the tags to add, to remove, or both',
      path: ['add'],
    }),
  /**
   * Fills empty profile fields from what the perceived message revealed. A value that belongs to another
   * customer records a duplicate suggestion for a person to review: customers are never merged automatically.
   */
  update_customer: z.strictObject({
    fromEntities: z.array(z.enum(PROFILE_ENTITY_TYPES)).min(1).max(PROFILE_ENTITY_TYPES.length),
    onDuplicate: z.literal('suggest').optional(),
  }),
  update_conversation: z
    .strictObject({
      status: z.enum(CONVERSATION_STATUSES).optional(),
      priority: z.enum(PRIORITIES).optional(),
      handler: z.enum(HANDLERS).optional(),
    })
    .refine((input) => Object.keys(input).length > 0, {
      message: 'give status, priority, handler or several',
      path: ['status'],
    }),
  add_note: z.strictObject({ target: z.enum(ACTION_TARGETS).optional(), body: templateSchema }),
  create_task: z.strictObject({
    title: templateSchema,
    description: templateSchema.optional(),
    priority: z.enum(PRIORITIES).optional(),
    dueIn: durationSchema.optional(),
    assignee: recipientSchema.optional(),
  }),
  /** A CSAT survey (a service message, not marketing) in the customer's language. */
  send_survey: z.strictObject({
    survey: z.literal('csat'),
    scale: z
      .strictObject({ min: z.number().int().min(0).max(1), max: z.number().int().min(2).max(10) })
      .optional(),
    question: bilingualTemplateSchema,
    commentPrompt: bilingualTemplateSchema.optional(),
  }),
  /** Brings the conversation back to a person after a delay (a reminder task), unless it moved on. */
  schedule_follow_up: z.strictObject({ after: durationSchema, note: templateSchema.optional() }),
  notify: z.strictObject({
    to: recipientSchema,
    message: templateSchema,
    via: z
      .array(z.enum(['console', 'email', 'webhook']))
      .min(1)
      .max(3)
      .optional(),
  }),
  /** Fire and forget through the outbox (one delivery per run and step); see the webhook step to wait. */
  call_webhook: z.strictObject({
    url: webhookUrlSchema,
    method: z.enum(['POST', 'PUT', 'PATCH']).optional(),
    headers: headersSchema.optional(),
    body: webhookBodySchema.optional(),
  }),
} as const satisfies Record<ActionName, z.ZodType>

export type ActionInput<Name extends ActionName> = z.output<(typeof ACTION_INPUT_SCHEMAS)[Name]>
