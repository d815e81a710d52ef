import type { Decision } from '../agent/index.js'
import type { Clock } from '../core/index.js'
import { systemActor, type Actor } from '../crm/index.js'
import { runAction, type Action, type ActionContext } from './action.js'
import { applyDecision, assertInbound, type AppliedDecision } from './apply-decision.js'
import type { MessageHeaders } from './automatic-mail.js'
import { decideApprovalAction, type DecideApprovalInput } from './decide-approval.js'
import { giveBackToAiAction } from './give-back-to-ai.js'
import { assignAction } from './hand-off.js'
import type { ActionStore } from './ports.js'
import { replyAction } from './reply.js'
import type { ActionResult } from './result.js'

/** The part of the agent the executor calls: decide on a stored message and keep its decision record. */
export interface DecisionMaker {
  handle(messageId: string): Promise<{ readonly id: string; readonly decision: Decision }>
}

export interface RunOptions {
  /** Makes the run idempotent: the same key again replays the first result. */
  readonly idempotencyKey?: string | null
}

/**
 * The executor as the app exposes it: run any action, apply the agent's decision to an inbound message,
 * and the people's side of takeover (reply, take over, give back, decide a draft).
 *
 * @example
 *   const actions = createActionService({ store: createActionStore(context), clock, agent })
 *   const applied = await actions.applyDecision(messageId)   // → { outcome: 'sent' | 'drafted' | …, results }
 */
export function createActionService(options: {
  readonly store: ActionStore
  readonly clock: Clock
  readonly agent: DecisionMaker
}) {
  const { store, clock, agent } = options
  const contextFor = (actor: Actor, idempotencyKey: string | null | undefined): ActionContext => ({
    actor,
    clock,
    store,
    idempotencyKey: idempotencyKey ?? null,
  })

  function run<Input>(
    action: Action<Input>,
    input: unknown,
    actor: Actor,
    runOptions: RunOptions = {},
  ): Promise<ActionResult> {
    return runAction(action, input, contextFor(actor, runOptions.idempotencyKey))
  }

  /**
   * Runs the agent on a stored inbound message (its decision record is kept) and applies the decision. An
   * outbound message is refused (409) before the agent reads it.
   */
  async function applyDecisionTo(
    messageId: string,
    applyOptions: {
      readonly actor?: Actor
      readonly headers?: MessageHeaders | null
      readonly from?: string | null
      readonly idempotencyKey?: string | null
    } = {},
  ): Promise<AppliedDecision & { readonly decision: Decision }> {
    await store.transaction(async (tx) => assertInbound(await tx.messages.get(messageId)))
    const handled = await agent.handle(messageId)
    const applied = await applyDecision(
      {
        messageId,
        decisionId: handled.id,
        decision: handled.decision,
        headers: applyOptions.headers,
        from: applyOptions.from,
      },
      contextFor(applyOptions.actor ?? systemActor, applyOptions.idempotencyKey),
    )
    return { ...applied, decision: handled.decision }
  }

  return {
    run,
    applyDecision: applyDecisionTo,
    /** A person's reply: sent through the outbox; the conversation becomes `human` (and theirs if unowned). */
    reply: (conversationId: string, text: string, actor: Actor, runOptions: RunOptions = {}) =>
      run(replyAction, { conversationId, text, author: 'agent' }, actor, runOptions),
    /**
     * A person takes the conversation over: it becomes `human`, assigned to `assigneeId` — by default the
     * acting user (an API token leaves the assignee as it is).
     */
    takeOver: (conversationId: string, assigneeId: string | null | undefined, actor: Actor) =>
      run(
        assignAction,
        { conversationId, assigneeId: assigneeId ?? (actor.kind === 'user' ? actor.id : null) },
        actor,
      ),
    /** Hands the conversation back to the AI. */
    giveBack: (conversationId: string, actor: Actor) => run(giveBackToAiAction, { conversationId }, actor),
    /** Approves, edits or rejects a draft. */
    decideApproval: (
      approvalId: string,
      decision: Omit<DecideApprovalInput, 'approvalId'>,
      actor: Actor,
      runOptions: RunOptions = {},
    ) => run(decideApprovalAction, { approvalId, ...decision }, actor, runOptions),
  }
}

export type ActionService = ReturnType<typeof createActionService>
