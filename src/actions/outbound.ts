/**
 * The two ways a reply leaves the executor, shared by `reply`, `draft_for_approval` and approving a draft:
 * sent (an outbound message and its outbox row, written together) or drafted for a person (an approval and
 * a notification). Both run inside the caller's transaction.
 */
import { z } from 'zod'
import type { Citation } from '../agent/index.js'
import { cleanText, idSchema, type Actor } from '../crm/index.js'
import type { ActionEffect } from './result.js'
import type { ApprovalReason, ActionTransaction, ConversationState } from './ports.js'

/** A knowledge-base passage a reply cites (the shape of `Decision.citations`). */
export const citationSchema = z.strictObject({
  externalId: cleanText(200).nullable(),
  articleId: idSchema,
  title: cleanText(500),
  passage: cleanText(10_000),
  score: z.number().min(0).max(1),
})

/** The outbox key of a message sent without an idempotency key of its own. */
export function messageOutboxKey(messageId: string): string {
  return `message:${messageId}`
}

/**
 * Writes an outbound message (`deliveryStatus: pending`) and its outbox row under `idempotencyKey`, and
 * moves an `open` conversation to `pending` (waiting on the customer).
 */
export async function sendToCustomer(
  tx: ActionTransaction,
  input: {
    readonly conversation: ConversationState
    readonly text: string
    readonly authorKind: 'ai' | 'agent' | 'system'
    readonly authorId: string | null
    readonly idempotencyKey: string | null
    readonly actor: Actor
    readonly at: Date
  },
): Promise<{ messageId: string; outboxId: string; effects: ActionEffect[] }> {
  const { conversation, at } = input
  const messageId = await tx.messages.insertOutbound({
    conversationId: conversation.id,
    text: input.text,
    authorKind: input.authorKind,
    authorId: input.authorId,
    at,
  })
  const outboxId = await tx.outbox.enqueue({
    messageId,
    channel: conversation.channel,
    idempotencyKey: input.idempotencyKey ?? messageOutboxKey(messageId),
    at,
  })
  if (conversation.status === 'open')
    await tx.conversations.setStatus(conversation.id, 'pending', input.actor)
  return {
    messageId,
    outboxId,
    effects: [
      { kind: 'message', id: messageId },
      { kind: 'outbox', id: outboxId },
    ],
  }
}

/**
 * Files a draft for a person: an approval (pending) and, unless `notify` is false, an
 * `approval_requested` notification to the reviewer (the given one, else the conversation's assignee,
 * else the team).
 */
export async function draftForPerson(
  tx: ActionTransaction,
  input: {
    readonly conversation: ConversationState
    readonly messageId: string | null
    readonly decisionId: string | null
    readonly text: string
    readonly citations: readonly Citation[]
    readonly reason: ApprovalReason
    readonly assigneeId: string | null
    readonly notify: boolean
    readonly at: Date
  },
): Promise<{ approvalId: string; effects: ActionEffect[] }> {
  const { conversation, at } = input
  const reviewer = input.assigneeId ?? conversation.assigneeId
  const approvalId = await tx.approvals.insert({
    conversationId: conversation.id,
    messageId: input.messageId,
    decisionId: input.decisionId,
    draftText: input.text,
    citations: input.citations,
    reason: input.reason,
    assigneeId: reviewer,
    at,
  })
  const effects: ActionEffect[] = [{ kind: 'approval', id: approvalId }]
  if (input.notify) {
    const notificationId = await tx.notifications.insert({
      kind: 'approval_requested',
      conversationId: conversation.id,
      userId: reviewer,
      payload: { approvalId, reason: input.reason, messageId: input.messageId },
      at,
    })
    effects.push({ kind: 'notification', id: notificationId })
  }
  return { approvalId, effects }
}
