/**
 * The authored actions of issue 5 that go beyond the agent's own (send_survey, notify,
 * update_conversation, schedule_follow_up, create_task with its due date and assignee, update_customer
 * from perceived entities, call_webhook), and the computed conversation facts and `forEach` subjects of
 * scheduled workflows. Part of the composition root: `createWorkflowServices` asks it first.
 */
import { createHmac } from 'node:crypto'
import { AppError, isAppError, type Clock } from '../core/index.js'
import { systemActor } from '../crm/actor.js'
import {
  evaluateCondition,
  isWithinBusinessHours,
  type Condition,
  type ConditionOptions,
} from '../crm/conditions/index.js'
import {
  createTaskAction,
  handOffAction,
  notifyAction,
  sendSurveyAction,
  updateConversationAction,
  updateCustomerAction,
  type ActionResult,
  type ActionService,
} from '../actions/index.js'
import type { Perception } from '../agent/index.js'
import type { Store } from '../store/index.js'
import type { RunSubject } from '../workflow/engine.js'
import { parseIsoDuration } from '../workflow/schedule.js'
import { renderTemplate, type TemplateLanguage, type TemplateText } from '../workflow/templates.js'

/** How long a webhook call may take before it counts as failed (and the engine retries it). */
export const WEBHOOK_TIMEOUT_MS = 10_000
/** The most conversations one tick of a `forEach` schedule looks at. */
export const FOR_EACH_LIMIT = 1_000

export interface WorkflowActionDeps {
  readonly store: Store
  readonly clock: Clock
  readonly actions: Pick<ActionService, 'run'>
  readonly perceive: (text: string, context: { customerName?: string }) => Promise<Perception>
  readonly conditionOptions: () => Promise<ConditionOptions>
  /** The public URL a survey token is appended to (`https://crm.example.com/api/v1/surveys/`). */
  readonly surveyAnswerUrl: string
  /** Signs webhook calls (`X-AgentCRM-Signature`). */
  readonly webhookSecret: string
  readonly fetch?: typeof fetch
  readonly webhookTimeoutMs?: number
  /** A conversation an action changed: fires `conversation.resolved` when it became resolved. */
  readonly conversationChanged: (conversationId: string) => Promise<void>
  /** Adds an email or phone identity to a customer unless it is known; says who owns it otherwise. */
  readonly addIdentity: (
    customerId: string,
    kind: 'email' | 'phone',
    address: string,
  ) => Promise<{ status: 'added' | 'known' } | { status: 'duplicate'; customerId: string }>
}

type Facts = Readonly<Record<string, unknown>>
interface ActionContextIn {
  readonly idempotencyKey: string
  readonly facts: Facts
}

function summary(result: ActionResult): Record<string, unknown> {
  return {
    action: result.action,
    status: result.status,
    replayed: result.replayed,
    effects: result.effects.map((effect) => ({ kind: effect.kind, id: effect.id })),
  }
}

function requireFact(facts: Facts, name: string, action: string): string {
  const value = facts[name]
  if (typeof value !== 'string' || value === '') {
    throw new AppError(
      'WORKFLOW_INVALID',
      `${action} needs ${name}, which this run does not have (its trigger or an earlier step provides it)`,
    )
  }
  return value
}

const CJK = /[\u3400-\u9fff]/

/**
 * Business minutes between two instants on the workspace's hours, counted in 5-minute steps over at
 * most the last 14 days (enough for SLAs of hours; a conversation older than that is far past them).
 */
export function businessMinutesBetween(from: Date, to: Date, options: ConditionOptions): number {
  const step = 5 * 60_000
  const start = Math.max(from.getTime(), to.getTime() - 14 * 86_400_000)
  let minutes = 0
  for (let at = start; at < to.getTime(); at += step) {
    if (isWithinBusinessHours(new Date(at), options.timeZone, options.businessHours))
      minutes += Math.min(step, to.getTime() - at) / 60_000
  }
  return Math.floor(minutes)
}

export function createWorkflowActions(deps: WorkflowActionDeps) {
  const { store, clock } = deps
  const run = (action: Parameters<ActionService['run']>[0], input: unknown, key: string) =>
    deps.actions.run(action, input, systemActor, { idempotencyKey: key })

  /** The customer's language: the conversation's (its last inbound message), else the customer's locale. */
  async function language(facts: Facts): Promise<TemplateLanguage> {
    const conversationId = facts['conversation.id']
    if (typeof conversationId === 'string') {
      const last = await store.db
        .selectFrom('messages')
        .select(['text'])
        .where('conversationId', '=', conversationId)
        .where('direction', '=', 'inbound')
        .orderBy('sentAt', 'desc')
        .limit(1)
        .executeTakeFirst()
      if (last) return CJK.test(String(last.text)) ? 'zh' : 'en'
    }
    const locale = facts['customer.locale']
    return typeof locale === 'string' && !locale.toLowerCase().startsWith('zh') ? 'en' : 'zh'
  }

  /** team → null (the unassigned queue); assignee → the conversation's, else null; a user id or email. */
  async function recipient(to: unknown, facts: Facts): Promise<string | null> {
    if (typeof to !== 'string' || to === 'team') return null
    if (to === 'assignee') {
      const assignee = facts['conversation.assignee']
      return typeof assignee === 'string' ? assignee : null
    }
    if (to.startsWith('usr_')) return to
    const user = await store.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', to.toLowerCase())
      .executeTakeFirst()
    return user ? String(user.id) : null
  }

  function dueAt(duration: unknown): string | undefined {
    if (typeof duration !== 'string') return undefined
    const parsed = parseIsoDuration(duration)
    return parsed.ok ? new Date(clock.now().getTime() + parsed.value).toISOString() : undefined
  }

  function renderDeep(value: unknown, facts: Facts): unknown {
    if (typeof value === 'string') return renderTemplate(value, facts)
    if (Array.isArray(value)) return value.map((item) => renderDeep(item, facts))
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, facts)]))
    return value
  }

  async function callWebhook(input: Record<string, unknown>, context: ActionContextIn) {
    const url = String(input.url)
    const body = JSON.stringify(renderDeep(input.body ?? {}, context.facts))
    const timestamp = String(Math.floor(clock.now().getTime() / 1000))
    const signature = createHmac('sha256', deps.webhookSecret).update(`${timestamp}.${body}`).digest('hex')
    const headers: Record<string, string> = {
      ...((input.headers as Record<string, string> | undefined) ?? {}),
      'content-type': 'application/json',
      'idempotency-key': context.idempotencyKey,
      'x-agentcrm-timestamp': timestamp,
      'x-agentcrm-signature': `v1=${signature}`,
    }
    let response: Response
    try {
      response = await (deps.fetch ?? fetch)(url, {
        method: String(input.method ?? 'POST'),
        headers,
        body,
        signal: AbortSignal.timeout(deps.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS),
      })
    } catch (error) {
      throw new AppError(
        'WORKFLOW_WEBHOOK_FAILED',
        `webhook ${url} could not be called: ${(error as Error).message}`,
        {
          cause: error,
        },
      )
    }
    await response.body?.cancel()
    if (!response.ok) {
      throw new AppError(
        'WORKFLOW_WEBHOOK_FAILED',
        `webhook ${url} answered ${response.status}; the step is retried, then the run fails`,
        { details: { status: response.status } },
      )
    }
    return { action: 'call_webhook', status: 'done', httpStatus: response.status }
  }

  async function enrichCustomer(input: Record<string, unknown>, context: ActionContextIn) {
    const { facts, idempotencyKey } = context
    const customerId = requireFact(facts, 'customer.id', 'update_customer')
    const wanted = new Set((input.fromEntities as string[] | undefined) ?? ['email', 'phone'])
    const text = typeof facts['message.text'] === 'string' ? facts['message.text'] : ''
    // entity values are personal data: read again from the message, never stored in the run's facts
    const perception = await deps.perceive(text, {})
    const found: { kind: 'email' | 'phone'; address: string }[] = []
    for (const entity of perception.entities) {
      if ((entity.type === 'email' || entity.type === 'phone') && wanted.has(entity.type))
        found.push({ kind: entity.type, address: String(entity.normalized ?? entity.value) })
    }
    const effects: Record<string, unknown>[] = []
    const fields: Record<string, string> = {}
    let suggestions = 0
    for (const [index, identity] of found.entries()) {
      let outcome: Awaited<ReturnType<WorkflowActionDeps['addIdentity']>>
      try {
        outcome = await deps.addIdentity(customerId, identity.kind, identity.address)
      } catch (error) {
        // an unusable value (a phone that does not parse) is skipped, not a failed run
        if (isAppError(error) && error.kind === 'user') continue
        throw error
      }
      if (outcome.status === 'duplicate') {
        suggestions++
        const result = await run(
          notifyAction,
          {
            kind: 'duplicate_suggestion',
            conversationId: (facts['conversation.id'] as string | undefined) ?? null,
            message: `Possible duplicate: a ${identity.kind} this customer wrote belongs to another customer. Review and merge if they are the same person.`,
            details: { customerId, otherCustomerId: outcome.customerId, kind: identity.kind },
          },
          `${idempotencyKey}:duplicate:${index}`,
        )
        effects.push(...(summary(result).effects as Record<string, unknown>[]))
      } else if (fields[identity.kind] === undefined) fields[identity.kind] = identity.address
    }
    if (Object.keys(fields).length > 0) {
      const result = await run(
        updateCustomerAction,
        { customerId, fields, onlyEmpty: true },
        `${idempotencyKey}:profile`,
      )
      effects.push(...(summary(result).effects as Record<string, unknown>[]))
    }
    return { action: 'update_customer', status: 'done', found: found.length, suggestions, effects }
  }

  /** Runs an authored action this module knows; null for the ones the agent's mapping handles. */
  async function action(
    name: string,
    input: Readonly<Record<string, unknown>>,
    context: ActionContextIn,
  ): Promise<Record<string, unknown> | null> {
    const { facts, idempotencyKey } = context
    const conversationId = () => requireFact(facts, 'conversation.id', name)
    switch (name) {
      case 'send_survey': {
        const lang = await language(facts)
        const result = await run(
          sendSurveyAction,
          {
            conversationId: conversationId(),
            survey: 'csat',
            language: lang,
            question: renderTemplate(input.question as TemplateText, facts, lang),
            commentPrompt: input.commentPrompt
              ? renderTemplate(input.commentPrompt as TemplateText, facts, lang)
              : null,
            answerUrl: deps.surveyAnswerUrl,
          },
          idempotencyKey,
        )
        return { ...summary(result), language: lang }
      }
      case 'notify': {
        const result = await run(
          notifyAction,
          {
            kind: 'workflow_notice',
            userId: await recipient(input.to, facts),
            conversationId: (facts['conversation.id'] as string | undefined) ?? null,
            message: renderTemplate(input.message as TemplateText, facts),
            details: {
              via: ((input.via as string[] | undefined) ?? ['console']).join(','),
              ...(typeof facts['survey.score'] === 'number' ? { surveyScore: facts['survey.score'] } : {}),
            },
          },
          idempotencyKey,
        )
        return summary(result)
      }
      case 'update_conversation': {
        const id = conversationId()
        if (input.handler === 'human') {
          const handed = await run(
            handOffAction,
            { conversationId: id, reason: 'workflow' },
            `${idempotencyKey}:hand-off`,
          )
          if (input.status === undefined && input.priority === undefined) return summary(handed)
        }
        const result = await run(
          updateConversationAction,
          {
            conversationId: id,
            ...(input.status !== undefined ? { status: input.status } : {}),
            ...(input.priority !== undefined ? { priority: input.priority } : {}),
            ...(input.handler === 'ai' ? { handler: 'ai' } : {}),
          },
          idempotencyKey,
        )
        if (!result.replayed) await deps.conversationChanged(id)
        return summary(result)
      }
      case 'create_task':
      case 'schedule_follow_up': {
        const title =
          name === 'create_task'
            ? renderTemplate(input.title as TemplateText, facts)
            : input.note
              ? renderTemplate(input.note as TemplateText, facts).slice(0, 200)
              : 'Follow up'
        const assigneeId = await recipient(input.assignee ?? 'assignee', facts)
        const description =
          name === 'create_task' && input.description
            ? renderTemplate(input.description as TemplateText, facts)
            : ''
        const result = await run(
          createTaskAction,
          {
            title,
            ...(description.trim() ? { description } : {}),
            ...(input.priority ? { priority: input.priority } : {}),
            ...(assigneeId ? { assigneeId } : {}),
            ...(dueAt(name === 'create_task' ? input.dueIn : input.after)
              ? { dueAt: dueAt(name === 'create_task' ? input.dueIn : input.after) }
              : {}),
            ...(facts['customer.id'] ? { customerId: facts['customer.id'] } : {}),
            ...(facts['conversation.id'] ? { conversationId: facts['conversation.id'] } : {}),
          },
          idempotencyKey,
        )
        return summary(result)
      }
      case 'update_customer':
        return enrichCustomer(input, context)
      case 'call_webhook':
        return callWebhook(input, context)
      default:
        return null
    }
  }

  /** The computed facts of a conversation that service hygiene reads (SLA clocks, silence, tags). */
  async function conversationFacts(conversationId: string): Promise<Record<string, unknown>> {
    const conversation = await store.db
      .selectFrom('conversations')
      .select(['status', 'tags', 'createdAt', 'assigneeId'])
      .where('id', '=', conversationId)
      .executeTakeFirst()
    if (!conversation) return {}
    const decoded = store.codec.decode<{ tags: string[]; createdAt: string }>(
      { tags: 'json', createdAt: 'time' },
      conversation,
    )
    const messages = await store.db
      .selectFrom('messages')
      .select(['direction', 'authorKind', 'sentAt'])
      .where('conversationId', '=', conversationId)
      .orderBy('sentAt', 'desc')
      .limit(200)
      .execute()
    const now = clock.now()
    const facts: Record<string, unknown> = {
      'conversation.tags': decoded.tags,
      'conversation.assigned': conversation.assigneeId !== null,
    }
    const at = (value: unknown) =>
      new Date(store.codec.decode<{ at: string }>({ at: 'time' }, { at: value }).at)
    const last = messages[0]
    if (last && last.direction === 'outbound')
      facts['conversation.days_since_customer_reply'] = Math.floor(
        (now.getTime() - at(last.sentAt).getTime()) / 86_400_000,
      )
    const open = conversation.status === 'open' || conversation.status === 'pending'
    if (open) {
      const options = await deps.conditionOptions()
      const opened = new Date(decoded.createdAt)
      facts['conversation.open_business_minutes'] = businessMinutesBetween(opened, now, options)
      const answered = messages.some((m) => m.direction === 'outbound' && m.authorKind !== 'system')
      if (!answered)
        facts['conversation.first_response_business_minutes'] = facts['conversation.open_business_minutes']
    }
    return facts
  }

  /** The open and pending conversations a `forEach` schedule runs for (at most {@link FOR_EACH_LIMIT}). */
  async function scheduleSubjects(
    forEach: { entity: 'conversation'; where?: Condition },
    _now: Date,
  ): Promise<RunSubject[]> {
    const rows = await store.db
      .selectFrom('conversations')
      .select(['id', 'customerId', 'status', 'priority', 'handler', 'channel'])
      .where('status', 'in', ['open', 'pending'])
      .orderBy('updatedAt')
      .limit(FOR_EACH_LIMIT)
      .execute()
    const options = await deps.conditionOptions()
    const subjects: RunSubject[] = []
    for (const row of rows) {
      const id = String(row.id)
      const facts = {
        'conversation.id': id,
        'conversation.status': row.status,
        'conversation.priority': row.priority,
        'conversation.handler': row.handler,
        'conversation.channel': row.channel,
        ...(await conversationFacts(id)),
      }
      if (!forEach.where || evaluateCondition(forEach.where, facts, options))
        subjects.push({ conversationId: id, customerId: String(row.customerId) })
    }
    return subjects
  }

  return { action, conversationFacts, scheduleSubjects }
}

export type WorkflowActions = ReturnType<typeof createWorkflowActions>
