/**
 * What workflow steps do in the world (the engine's StepServices), over the agent, the NLU service and
 * the executor. Part of the composition root: it knows the store and the domain, like app.ts.
 *
 * Authored action inputs (src/workflow/action-inputs.ts) become the executor's inputs here: an empty
 * `reply` input sends the reason step's reply, with its citations, in answer to the run's message; an empty
 * `draft_for_approval` drafts it; `hand_off` uses the decision's reason.
 */
import { AppError, type Clock } from '../core/index.js'
import { systemActor } from '../crm/actor.js'
import { EMPTY_CONTEXT, decisionFacts, type Agent, type Perception } from '../agent/index.js'
import { ACTIONS, type ActionService } from '../actions/index.js'
import type { ConditionOptions } from '../crm/conditions/index.js'
import type { Store } from '../store/index.js'
import type { RunRecord, RunSubject, StepServices } from '../workflow/engine.js'
import type { WorkflowActions } from './workflow-actions.js'

export interface WorkflowServiceDeps {
  readonly store: Store
  readonly clock: Clock
  readonly agent: Pick<Agent, 'handle'>
  readonly perceive: (text: string, context: { customerName?: string }) => Promise<Perception>
  readonly actions: Pick<ActionService, 'run'>
  readonly settings: () => Promise<{
    timeZone: string
    businessHours: ConditionOptions['businessHours']
    baseCurrency: string
  }>
  readonly notify: (run: RunRecord, error: string) => Promise<void>
  /** The other authored actions, SLA facts and `forEach` subjects (src/wiring/workflow-actions.ts). */
  readonly more?: WorkflowActions
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object') {
    const i18n = value as { zh?: string; en?: string }
    return i18n.zh ?? i18n.en
  }
  return undefined
}

export function createWorkflowServices(deps: WorkflowServiceDeps): StepServices {
  const { store } = deps

  async function subjectFacts(subject: RunSubject): Promise<Record<string, unknown>> {
    const facts: Record<string, unknown> = {}
    if (subject.messageId) {
      const message = await store.db
        .selectFrom('messages')
        .select(['id', 'text', 'direction', 'conversationId', 'customerId'])
        .where('id', '=', subject.messageId)
        .executeTakeFirst()
      if (message) {
        facts['message.id'] = message.id
        facts['message.text'] = message.text
        facts.text = message.text
        facts['message.direction'] = message.direction
        subject = {
          ...subject,
          conversationId: subject.conversationId ?? String(message.conversationId),
          customerId: subject.customerId ?? String(message.customerId),
        }
      }
    }
    if (subject.conversationId) {
      const conversation = await store.db
        .selectFrom('conversations')
        .select(['id', 'handler', 'status', 'channel', 'assigneeId', 'priority', 'customerId'])
        .where('id', '=', subject.conversationId)
        .executeTakeFirst()
      if (conversation) {
        facts['conversation.id'] = conversation.id
        facts['conversation.handler'] = conversation.handler
        facts['conversation.status'] = conversation.status
        facts['conversation.channel'] = conversation.channel
        facts['conversation.assignee'] = conversation.assigneeId
        facts['conversation.priority'] = conversation.priority
        facts.channel = conversation.channel
        subject = { ...subject, customerId: subject.customerId ?? String(conversation.customerId) }
        // SLA clocks and silence cost a scan of the thread: only scheduled runs (service hygiene) read them
        if ((subject as { type?: string }).type === 'schedule' && deps.more)
          Object.assign(facts, await deps.more.conversationFacts(String(conversation.id)))
      }
    }
    if (subject.customerId) {
      const customer = await store.db
        .selectFrom('customers')
        .select(['id', 'tier', 'locale', 'name', 'tags'])
        .where('id', '=', subject.customerId)
        .executeTakeFirst()
      if (customer) {
        facts['customer.id'] = customer.id
        facts['customer.tier'] = customer.tier
        facts['customer.locale'] = customer.locale
        facts['customer.name'] = customer.name
        facts['customer.tags'] = store.codec.decode<{ tags: string[] }>(
          { tags: 'json' },
          { tags: customer.tags },
        ).tags
      }
    }
    if (subject.orderId) {
      const order = await store.db
        .selectFrom('orders')
        .select(['id', 'number', 'status', 'totalAmount', 'currency'])
        .where('id', '=', subject.orderId)
        .executeTakeFirst()
      if (order) {
        facts['order.id'] = order.id
        facts['order.number'] = order.number
        facts['order.status'] = order.status
        facts['order.total'] = { amount: Number(order.totalAmount), currency: order.currency }
      }
    }
    if (subject.eventName) facts['event.name'] = subject.eventName
    return facts
  }

  function requireFact(facts: Readonly<Record<string, unknown>>, name: string, action: string): string {
    const value = facts[name]
    if (typeof value !== 'string' || value === '') {
      throw new AppError(
        'WORKFLOW_INVALID',
        `${action} needs ${name}, which this run does not have (its trigger or an earlier step provides it)`,
      )
    }
    return value
  }

  async function perceive(facts: Readonly<Record<string, unknown>>) {
    const message = String(facts['message.text'] ?? '')
    const perception = await deps.perceive(message, {
      customerName: (facts['customer.name'] as string | null) ?? undefined,
    })
    const derived = decisionFacts(
      perception,
      { ...EMPTY_CONTEXT, channel: String(facts.channel ?? 'api') },
      message,
      null,
    )
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(derived)) {
      if (value !== undefined && !key.startsWith('customer.') && !key.startsWith('order.') && key !== 'text')
        out[key] = value
    }
    return out
  }

  async function reason(facts: Readonly<Record<string, unknown>>) {
    const messageId = requireFact(facts, 'message.id', 'a reason step')
    const { id, decision } = await deps.agent.handle(messageId)
    // the handler may have changed since the run started (a person took over meanwhile)
    const conversation = facts['conversation.id']
      ? await store.db
          .selectFrom('conversations')
          .select(['handler'])
          .where('id', '=', String(facts['conversation.id']))
          .executeTakeFirst()
      : undefined
    return {
      'decision.id': id,
      'decision.action': decision.action,
      'decision.confidence': decision.confidence,
      'decision.hand_off_reason': decision.handOffReason,
      'decision.reply': decision.reply,
      'decision.language': decision.language,
      'decision.citations': decision.citations,
      ...(conversation ? { 'conversation.handler': conversation.handler } : {}),
    }
  }

  /** The executor's input for an authored action step. */
  function executorInput(
    name: string,
    input: Readonly<Record<string, unknown>>,
    facts: Readonly<Record<string, unknown>>,
  ) {
    const conversationId = () => requireFact(facts, 'conversation.id', name)
    const citations = (facts['decision.citations'] as unknown[] | undefined) ?? []
    const decisionId = (facts['decision.id'] as string | undefined) ?? null
    const messageId = (facts['message.id'] as string | undefined) ?? null
    switch (name) {
      case 'reply':
        return {
          conversationId: conversationId(),
          text: text(input.text) ?? requireFact(facts, 'decision.reply', 'reply'),
          inReplyTo: messageId,
          decisionId,
          citations: input.text ? [] : citations,
        }
      case 'draft_for_approval':
        return {
          conversationId: conversationId(),
          text: text(input.text) ?? requireFact(facts, 'decision.reply', 'draft_for_approval'),
          messageId,
          decisionId,
          citations: input.text ? [] : citations,
          reason: facts['conversation.handler'] === 'human' ? 'human_handler' : 'needs_approval',
        }
      case 'hand_off':
        return {
          conversationId: conversationId(),
          reason: String(input.reason ?? facts['decision.hand_off_reason'] ?? 'requested'),
          messageId,
          decisionId,
          note: text(input.note) ?? null,
        }
      case 'tag':
        return {
          target: input.target === 'customer' ? 'customer' : 'conversation',
          id: input.target === 'customer' ? requireFact(facts, 'customer.id', 'tag') : conversationId(),
          // the executor takes non-empty lists only: an absent side is left out
          ...(input.add ? { add: input.add } : {}),
          ...(input.remove ? { remove: input.remove } : {}),
        }
      case 'add_note':
        return {
          body: text(input.body ?? input.text) ?? '',
          ...(facts['conversation.id']
            ? { conversationId: facts['conversation.id'] }
            : { customerId: requireFact(facts, 'customer.id', 'add_note') }),
        }
      case 'create_task':
        return {
          title: text(input.title) ?? 'Follow up',
          ...(input.description ? { description: text(input.description) } : {}),
          ...(facts['customer.id'] ? { customerId: facts['customer.id'] } : {}),
          ...(facts['conversation.id'] ? { conversationId: facts['conversation.id'] } : {}),
        }
      default:
        return null
    }
  }

  async function action(
    name: string,
    input: Readonly<Record<string, unknown>>,
    context: { idempotencyKey: string; facts: Readonly<Record<string, unknown>> },
  ) {
    const handled = await deps.more?.action(name, input, context)
    if (handled) return handled
    const executor = ACTIONS[name as keyof typeof ACTIONS]
    const mapped = executorInput(name, input, context.facts)
    if (!executor || mapped === null) {
      throw new AppError(
        'WORKFLOW_ACTION_UNAVAILABLE',
        `the action "${name}" cannot run yet in this version (available: reply, draft_for_approval, hand_off, tag, add_note, create_task, send_survey, notify, update_conversation, schedule_follow_up, update_customer, call_webhook)`,
      )
    }
    const result = await deps.actions.run(executor as never, mapped, systemActor, {
      idempotencyKey: context.idempotencyKey,
    })
    const approval = result.effects.find((effect) => effect.kind === 'approval')
    return {
      action: result.action,
      status: result.status,
      replayed: result.replayed,
      effects: result.effects.map((effect) => ({ kind: effect.kind, id: effect.id })),
      ...(approval ? { approvalId: approval.id } : {}),
    }
  }

  async function webhook(): Promise<Record<string, unknown>> {
    throw new AppError('WORKFLOW_ACTION_UNAVAILABLE', 'webhook steps cannot run yet in this version')
  }

  async function conditionOptions(): Promise<ConditionOptions> {
    const settings = await deps.settings()
    return {
      now: deps.clock.now(),
      timeZone: settings.timeZone,
      businessHours: settings.businessHours,
      baseCurrency: settings.baseCurrency,
    }
  }

  return {
    subjectFacts,
    perceive,
    reason,
    action,
    webhook,
    conditionOptions,
    notifyFailure: deps.notify,
    ...(deps.more ? { scheduleSubjects: deps.more.scheduleSubjects } : {}),
  }
}
