/**
 * The bridge from the agent to the executor: given an inbound message and the agent's decision on it, run
 * the right actions in one transaction — answer → reply, answer_with_approval → draft_for_approval,
 * ask_clarifying → reply, hand_off → the holding reply and a hand-off with a notification, no_reply →
 * nothing — respecting takeover (a person handles it → a draft only) and the guards (automatic mail →
 * nothing; the AI's hourly replies used up → a draft and a hand-off).
 */
import { AppError } from '../core/index.js'
import type { Decision } from '../agent/index.js'
import type { Handler } from '../crm/index.js'
import { runAction, type ActionContext } from './action.js'
import { detectAutomaticMessage, type AutomaticVerdict, type MessageHeaders } from './automatic-mail.js'
import { draftForApprovalAction } from './draft-for-approval.js'
import { handOffAction } from './hand-off.js'
import type { ApprovalReason, MessageState } from './ports.js'
import { replyAction } from './reply.js'
import type { ActionResult } from './result.js'
import { aiMaySend, replyCapReached, replyCapWindowStart } from './takeover.js'

/**
 * The one terminal effect of a message: `sent` (a reply went to the outbox), `drafted` (a draft waits for a
 * person), `handed_off` (a person has it now), or `nothing`.
 */
export type DecisionOutcome = 'sent' | 'drafted' | 'handed_off' | 'nothing'

/** What the planner knows about the conversation, read in the transaction that acts. */
export interface DecisionSituation {
  readonly handler: Handler
  /** Whether the inbound message was sent by a program (null: the channel gave no headers). */
  readonly automatic: AutomaticVerdict | null
  readonly aiRepliesInWindow: number
  readonly aiRepliesPerHour: number
}

export type PlannedStep =
  | { readonly action: 'reply'; readonly text: string }
  | {
      readonly action: 'draft_for_approval'
      readonly text: string
      readonly reason: ApprovalReason
      readonly notify: boolean
    }
  | { readonly action: 'hand_off'; readonly reason: string }

export interface DecisionPlan {
  readonly outcome: DecisionOutcome
  /** Why the plan is not the decision's own action (`human_handler`, `reply_cap`, `automatic_mail: …`). */
  readonly reason: string | null
  readonly steps: readonly PlannedStep[]
}

/**
 * Which actions a decision becomes (pure). The order of the checks is the order of precedence: automatic
 * mail is never answered at all; `no_reply` does nothing; a person's conversation gets drafts only; an AI
 * that has used its hourly replies hands the conversation to a person with the draft ready.
 *
 * @example
 *   planDecision(decision, { handler: 'human', automatic: null, aiRepliesInWindow: 0, aiRepliesPerHour: 5 })
 *   // → { outcome: 'drafted', reason: 'human_handler', steps: [{ action: 'draft_for_approval', … }] }
 */
export function planDecision(decision: Decision, situation: DecisionSituation): DecisionPlan {
  if (situation.automatic?.automatic) {
    return { outcome: 'nothing', reason: `automatic_mail: ${situation.automatic.reason}`, steps: [] }
  }
  const text = decision.reply?.trim() ? decision.reply : null
  if (decision.action === 'no_reply') return { outcome: 'nothing', reason: null, steps: [] }
  if (!aiMaySend(situation.handler)) {
    if (decision.action === 'hand_off') {
      return { outcome: 'nothing', reason: 'already_with_a_person', steps: [] }
    }
    return text === null
      ? { outcome: 'nothing', reason: 'no_reply_text', steps: [] }
      : {
          outcome: 'drafted',
          reason: 'human_handler',
          steps: [{ action: 'draft_for_approval', text, reason: 'human_handler', notify: true }],
        }
  }
  const capped = replyCapReached(situation.aiRepliesInWindow, situation.aiRepliesPerHour)
  switch (decision.action) {
    case 'answer_with_approval':
      return text === null
        ? { outcome: 'nothing', reason: 'no_reply_text', steps: [] }
        : {
            outcome: 'drafted',
            reason: null,
            steps: [{ action: 'draft_for_approval', text, reason: 'needs_approval', notify: true }],
          }
    case 'hand_off':
      return {
        outcome: 'handed_off',
        reason: capped && text !== null ? 'reply_cap' : null,
        steps: [
          ...(text !== null && !capped ? [{ action: 'reply' as const, text }] : []),
          { action: 'hand_off', reason: decision.handOffReason ?? 'requested' },
        ],
      }
    case 'answer':
    case 'ask_clarifying':
      if (text === null) return { outcome: 'nothing', reason: 'no_reply_text', steps: [] }
      if (capped) {
        return {
          outcome: 'handed_off',
          reason: 'reply_cap',
          steps: [
            { action: 'hand_off', reason: 'reply_cap' },
            { action: 'draft_for_approval', text, reason: 'reply_cap', notify: false },
          ],
        }
      }
      return { outcome: 'sent', reason: null, steps: [{ action: 'reply', text }] }
  }
}

/** What applying a decision did. */
export interface AppliedDecision {
  readonly messageId: string
  readonly conversationId: string
  readonly decisionId: string | null
  readonly decisionAction: Decision['action']
  readonly outcome: DecisionOutcome
  readonly reason: string | null
  readonly results: readonly ActionResult[]
}

export interface ApplyDecisionInput {
  /** The stored inbound message the decision is about. */
  readonly messageId: string
  readonly decisionId: string | null
  readonly decision: Decision
  /** The message's headers, when its channel has them (email): automatic mail is never answered. */
  readonly headers?: MessageHeaders | null
  /** The sender's address, when the channel knows it apart from the headers. */
  readonly from?: string | null
}

/** Refuses (409) a message that is not a customer's inbound one: only those get a decision applied. */
export function assertInbound<Message extends MessageState>(message: Message): Message {
  if (message.direction !== 'inbound') {
    throw new AppError(
      'ACTION_MESSAGE_NOT_INBOUND',
      `message "${message.id}" is ${message.direction}; only a customer's inbound message gets a decision applied`,
      { details: { id: message.id, direction: message.direction } },
    )
  }
  return message
}

/** The idempotency key of one step, derived from the message (or the caller's key). */
function stepKey(base: string, action: PlannedStep['action']): string {
  return `${base}:${action}`
}

/**
 * Applies a decision to its message in one transaction: plans it against the conversation as it is now
 * (row-locked on Postgres, so a takeover that commits first wins) and runs the planned actions, each under
 * a key derived from the message — applying the same message twice replays, never sends twice.
 */
export async function applyDecision(
  input: ApplyDecisionInput,
  context: ActionContext,
): Promise<AppliedDecision> {
  const base = context.idempotencyKey ?? `message:${input.messageId}`
  return context.store.transaction(async (tx) => {
    const at = context.clock.now()
    const message = assertInbound(await tx.messages.get(input.messageId))
    const conversation = await tx.conversations.get(message.conversationId)
    const limits = await tx.limits()
    const situation: DecisionSituation = {
      handler: conversation.handler,
      automatic: input.headers
        ? detectAutomaticMessage({ headers: input.headers, from: input.from })
        : message.automatic
          ? { automatic: true, reason: message.automatic }
          : null,
      aiRepliesInWindow: aiMaySend(conversation.handler)
        ? await tx.messages.countAiRepliesSince(conversation.id, replyCapWindowStart(at))
        : 0,
      aiRepliesPerHour: limits.aiRepliesPerHour,
    }
    const plan = planDecision(input.decision, situation)
    const stepContext = (action: PlannedStep['action']): ActionContext => ({
      ...context,
      store: tx,
      idempotencyKey: stepKey(base, action),
    })
    const common = { conversationId: conversation.id, decisionId: input.decisionId }
    const results: ActionResult[] = []
    const runStep = (step: PlannedStep): Promise<ActionResult> => {
      switch (step.action) {
        case 'reply':
          return runAction(
            replyAction,
            {
              ...common,
              text: step.text,
              author: 'ai',
              inReplyTo: message.id,
              citations: input.decision.citations,
            },
            stepContext(step.action),
          )
        case 'draft_for_approval':
          return runAction(
            draftForApprovalAction,
            {
              ...common,
              text: step.text,
              messageId: message.id,
              citations: input.decision.citations,
              reason: step.reason,
              notify: step.notify,
            },
            stepContext(step.action),
          )
        case 'hand_off':
          return runAction(
            handOffAction,
            { ...common, messageId: message.id, reason: step.reason },
            stepContext(step.action),
          )
      }
    }
    for (const step of plan.steps) results.push(await runStep(step))
    await tx.audit(
      context.actor,
      {
        action: 'action.apply_decision',
        targetType: 'message',
        targetId: message.id,
        details: {
          decisionId: input.decisionId,
          decision: input.decision.action,
          outcome: plan.outcome,
          reason: plan.reason,
        },
      },
      at,
    )
    return {
      messageId: message.id,
      conversationId: conversation.id,
      decisionId: input.decisionId,
      decisionAction: input.decision.action,
      outcome: plan.outcome,
      reason: plan.reason,
      results,
    }
  })
}
