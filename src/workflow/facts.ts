import { DECISION_ACTIONS, HAND_OFF_REASONS, POLICY_FIELDS } from '../agent/index.js'
import type { FieldCatalogue, FieldSpec } from '../crm/conditions/index.js'
import { CONVERSATION_STATUSES, HANDLERS, PRIORITIES, channelKindSchema } from '../crm/index.js'
import type { ActionName } from './action-inputs.js'
import type { WorkflowStep, WorkflowTrigger } from './schema.js'

/**
 * The facts a run knows come in groups, each from somewhere: the trigger (the message, conversation,
 * customer, order, event or survey answer that started the run) or an earlier step (perceive gives the
 * perception, reason the decision, a wait for an event that event, a webhook step its response).
 * Conditions and `{{placeholders}}` may use a fact only where its group is certain to be there.
 */
export const FACT_GROUPS = [
  'message',
  'conversation',
  'customer',
  'order',
  'event',
  'survey',
  'perception',
  'decision',
  'webhook',
] as const
export type FactGroup = (typeof FACT_GROUPS)[number]

/** Where each group comes from, in the words an error message uses. */
export const FACT_GROUP_SOURCES: Readonly<Record<FactGroup, string>> = Object.freeze({
  message:
    'the message that started the run (trigger message.received, or manual with subject message), or a wait until message.received',
  conversation:
    'the trigger (message.received, conversation.resolved, survey.answered, schedule with forEach conversation, or manual with subject conversation or message)',
  customer:
    'any trigger about a customer (every trigger except schedule without forEach and manual without a subject)',
  order:
    'trigger order.created (or manual with subject order), a wait until order.created, or a reason step (the order the message is about)',
  event: 'trigger event.tracked or a wait until event.tracked',
  survey: 'trigger survey.answered or a wait until survey.answered',
  perception: 'a perceive step',
  decision: 'a reason step',
  webhook: 'a webhook step',
})

/** A fact a workflow may name, with the group that provides it. */
export interface WorkflowFieldSpec extends FieldSpec {
  readonly group: FactGroup
}

const from = (group: FactGroup, spec: FieldSpec): WorkflowFieldSpec => ({ ...spec, group })
const policy = (name: keyof typeof POLICY_FIELDS, group: FactGroup) => from(group, POLICY_FIELDS[name])

/**
 * Every fact a workflow condition or template may name. The perception, customer and order facts are the
 * agent policies' (same names, same meaning); the rest are the run's own.
 */
export const WORKFLOW_FIELDS: Readonly<Record<string, WorkflowFieldSpec>> = Object.freeze({
  intent: policy('intent', 'perception'),
  'intent.confidence': policy('intent.confidence', 'perception'),
  sentiment: policy('sentiment', 'perception'),
  'sentiment.score': policy('sentiment.score', 'perception'),
  urgency: policy('urgency', 'perception'),
  'urgency.level': policy('urgency.level', 'perception'),
  'urgency.cues': policy('urgency.cues', 'perception'),
  language: policy('language', 'perception'),
  'entities.types': policy('entities.types', 'perception'),
  amount: policy('amount', 'perception'),
  text: policy('text', 'message'),
  channel: policy('channel', 'message'),

  'decision.action': from('decision', {
    type: 'string',
    values: DECISION_ACTIONS,
    description:
      'What the reason step decided: answer, answer_with_approval, ask_clarifying, hand_off, no_reply.',
  }),
  'decision.confidence': from('decision', {
    type: 'number',
    description: 'Confidence of the decision, 0 to 1.',
  }),
  'decision.hand_off_reason': from('decision', {
    type: 'string',
    values: HAND_OFF_REASONS,
    description: 'Why the decision hands off (missing otherwise).',
  }),
  'decision.reply': from('decision', {
    type: 'string',
    description: 'The reply the decision wrote, in the customer’s language.',
  }),
  'decision.rules_fired': from('decision', { type: 'string[]', description: 'Policy rules that fired.' }),

  'customer.name': from('customer', { type: 'string', description: 'The customer’s name.' }),
  'customer.locale': from('customer', {
    type: 'string',
    description: 'The customer’s locale (zh-CN, en-US).',
  }),
  'customer.tier': policy('customer.tier', 'customer'),
  'customer.tags': policy('customer.tags', 'customer'),
  'customer.lifetime_value': policy('customer.lifetime_value', 'customer'),
  'customer.open_orders': policy('customer.open_orders', 'customer'),

  'order.number': from('order', { type: 'string', description: 'The order number.' }),
  'order.status': policy('order.status', 'order'),
  'order.total': policy('order.total', 'order'),

  'conversation.status': from('conversation', {
    type: 'string',
    values: CONVERSATION_STATUSES,
    description: 'open, pending (waiting on the customer), resolved or closed.',
  }),
  'conversation.handler': from('conversation', {
    type: 'string',
    values: HANDLERS,
    description: 'Who handles it: ai or human (after a hand-off, an assignment or a human reply).',
  }),
  'conversation.priority': from('conversation', {
    type: 'string',
    values: PRIORITIES,
    description: 'low, normal, high or urgent.',
  }),
  'conversation.channel': from('conversation', {
    type: 'string',
    values: channelKindSchema.options,
    description: 'The conversation’s channel.',
  }),
  'conversation.tags': from('conversation', { type: 'string[]', description: 'Tags on the conversation.' }),
  'conversation.assigned': from('conversation', {
    type: 'boolean',
    description: 'True when someone is assigned.',
  }),
  'conversation.days_since_customer_reply': from('conversation', {
    type: 'number',
    description:
      'Whole days since our last message went unanswered by the customer; missing when the customer wrote last.',
  }),
  'conversation.first_response_business_minutes': from('conversation', {
    type: 'number',
    description:
      'Business minutes (workspace hours) the conversation has waited for its first response; missing once answered.',
  }),
  'conversation.open_business_minutes': from('conversation', {
    type: 'number',
    description: 'Business minutes since the conversation was opened, while it is open or pending.',
  }),

  'event.name': from('event', {
    type: 'string',
    description: 'The tracked event’s type (page_view, add_to_cart).',
  }),
  'survey.score': from('survey', { type: 'number', description: 'The survey score (CSAT 1–5).' }),
  'survey.comment': from('survey', { type: 'string', description: 'The comment the customer left, if any.' }),
  'webhook.status': from('webhook', {
    type: 'number',
    description: 'HTTP status of the webhook step’s response.',
  }),
} satisfies Record<string, WorkflowFieldSpec>)

/** The catalogue as `validateCondition` takes it. */
export const WORKFLOW_FIELD_CATALOGUE: FieldCatalogue = WORKFLOW_FIELDS

/** The groups a trigger provides from the start of every run. */
export function triggerGroups(trigger: WorkflowTrigger): FactGroup[] {
  switch (trigger.type) {
    case 'message.received':
      return ['message', 'conversation', 'customer']
    case 'conversation.resolved':
      return ['conversation', 'customer']
    case 'order.created':
      return ['order', 'customer']
    case 'event.tracked':
      return ['event', 'customer']
    case 'survey.answered':
      return ['survey', 'conversation', 'customer']
    case 'schedule':
      return trigger.forEach ? ['conversation', 'customer'] : []
    case 'manual':
      switch (trigger.subject) {
        case 'message':
          return ['message', 'conversation', 'customer']
        case 'conversation':
          return ['conversation', 'customer']
        case 'order':
          return ['order', 'customer']
        case 'customer':
          return ['customer']
        default:
          return []
      }
  }
}

const WAIT_PROVIDES: Readonly<Record<string, FactGroup>> = {
  'message.received': 'message',
  'order.created': 'order',
  'event.tracked': 'event',
  'survey.answered': 'survey',
}

/** The groups a step adds for the steps after it. */
export function stepProvides(step: Pick<WorkflowStep, 'type'> & { readonly until?: string }): FactGroup[] {
  switch (step.type) {
    case 'perceive':
      return ['perception']
    case 'reason':
      return ['decision', 'order']
    case 'webhook':
      return ['webhook']
    case 'wait':
      return step.until !== undefined && WAIT_PROVIDES[step.until] ? [WAIT_PROVIDES[step.until]] : []
    default:
      return []
  }
}

/** The groups a step itself needs (besides the facts its conditions and templates name). */
export function stepNeeds(step: {
  readonly type: string
  readonly action?: string
  readonly input?: Readonly<Record<string, unknown>>
  readonly assignee?: unknown
}): FactGroup[] {
  switch (step.type) {
    case 'perceive':
      return ['message']
    case 'reason':
      return ['message', 'perception']
    case 'approval':
      return step.assignee === 'assignee' ? ['conversation'] : []
    case 'action':
      return actionNeeds(step.action as ActionName, step.input ?? {})
    default:
      return []
  }
}

function actionNeeds(action: ActionName, input: Readonly<Record<string, unknown>>): FactGroup[] {
  const target = input.target === 'customer' ? 'customer' : 'conversation'
  const assignee = input.assignee === 'assignee' || input.to === 'assignee' ? (['conversation'] as const) : []
  switch (action) {
    case 'reply':
    case 'draft_for_approval':
      return input.template === undefined ? ['conversation', 'decision', ...assignee] : ['conversation']
    case 'hand_off':
    case 'assign':
    case 'update_conversation':
    case 'schedule_follow_up':
      return ['conversation']
    case 'tag':
    case 'add_note':
      return [target]
    case 'update_customer':
      return ['customer', 'perception']
    case 'send_survey':
      return ['customer', 'conversation']
    case 'create_task':
    case 'notify':
      return [...assignee]
    case 'call_webhook':
      return []
  }
}
