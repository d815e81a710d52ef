import { z } from 'zod'
import { cleanText, idSchema } from '../crm/index.js'
import type { Action } from './action.js'
import { requireUser } from './checks.js'
import { actionResult, type ActionEffect } from './result.js'
import { handlerAfter } from './takeover.js'
import { assignmentCandidates, chooseAssignee, type AssignmentChoice } from './assignment.js'
import type { ActionTransaction, ConversationState } from './ports.js'

/** How much of the customer's message a hand-off notification quotes (erasure scrubs it). */
const EXCERPT_CHARS = 140

export const handOffInputSchema = z.strictObject({
  conversationId: idSchema,
  /** Who takes it; absent: its current assignee, else the team's unassigned queue. */
  assigneeId: idSchema.nullable().default(null),
  /** Why, in a word a console can show (the decision's `handOffReason`, `reply_cap`, a rule's name). */
  reason: z
    .string()
    .regex(/^[a-z][a-z0-9_.-]{0,99}$/, 'a lower-case word such as low_confidence')
    .default('requested'),
  /** The inbound message that prompted it. */
  messageId: idSchema.nullable().default(null),
  decisionId: idSchema.nullable().default(null),
  /** An internal note for the person taking over (never shown to the customer). */
  note: cleanText(20_000).trim().min(1).nullable().default(null),
})
export type HandOffInput = z.output<typeof handOffInputSchema>

/**
 * Hands a conversation to a person: the handler becomes `human` (the AI only drafts from now on), it keeps
 * or gets an assignee or waits in the unassigned queue, and a `hand_off` notification goes to the assignee
 * or the team, quoting the start of the customer's message.
 */
export const handOffAction: Action<HandOffInput> = {
  name: 'hand_off',
  input: handOffInputSchema,
  async run(input, context) {
    const { actor, clock } = context
    return context.store.transaction(async (tx) => {
      const at = clock.now()
      const conversation = await tx.conversations.get(input.conversationId)
      await requireUser(tx, input.assigneeId, 'assigneeId')
      let next = handlerAfter(conversation, { kind: 'hand_off', assigneeId: input.assigneeId })
      // nobody named and nobody holding it: the workspace's assignment rules may pick a person
      const routed = next.assigneeId === null ? await routeByRules(tx, conversation, input.reason, at) : null
      if (routed !== null) next = { ...next, assigneeId: routed.assigneeId }
      const effects: ActionEffect[] = [{ kind: 'conversation', id: conversation.id }]
      if (next.handler !== conversation.handler || next.assigneeId !== conversation.assigneeId) {
        await tx.conversations.setHandler(conversation.id, next, actor)
      }
      const message = input.messageId === null ? null : await tx.messages.get(input.messageId)
      if (input.note !== null) {
        const noteId = await tx.crm.addNote({ conversationId: conversation.id, body: input.note }, actor)
        effects.push({ kind: 'note', id: noteId })
      }
      const notificationId = await tx.notifications.insert({
        kind: 'hand_off',
        conversationId: conversation.id,
        userId: next.assigneeId,
        payload: {
          reason: input.reason,
          messageId: input.messageId,
          decisionId: input.decisionId,
          rule: routed?.rule ?? null,
          excerpt: message === null ? null : message.text.slice(0, EXCERPT_CHARS),
        },
        at,
      })
      effects.push({ kind: 'notification', id: notificationId })
      await tx.audit(
        actor,
        {
          action: 'action.hand_off',
          targetType: 'conversation',
          targetId: conversation.id,
          fields: ['handler', 'assigneeId'],
          details: {
            reason: input.reason,
            assigneeId: next.assigneeId,
            assignmentRule: routed?.rule ?? null,
            notificationId,
          },
        },
        at,
      )
      return actionResult('hand_off', 'done', effects)
    })
  },
}

/** Applies the workspace's assignment rules to a conversation handed off to nobody in particular. */
async function routeByRules(
  tx: ActionTransaction,
  conversation: ConversationState,
  reason: string,
  at: Date,
): Promise<AssignmentChoice | null> {
  const settings = await tx.assignment.settings()
  if (settings.rules.rules.length === 0) return null
  const customer = await tx.crm.customer(conversation.customerId)
  const facts = {
    channel: conversation.channel,
    reason,
    tags: [...conversation.tags],
    customer: { tier: customer.tier, tags: [...customer.tags], locale: customer.locale },
  }
  const load = await tx.assignment.load(assignmentCandidates(settings.rules))
  return chooseAssignee(settings.rules, facts, { ...settings, now: at, load })
}

export const assignInputSchema = z.strictObject({
  conversationId: idSchema,
  /** The person who owns it from now on; null: a person handles it, nobody in particular yet. */
  assigneeId: idSchema.nullable(),
})
export type AssignInput = z.output<typeof assignInputSchema>

/**
 * Assigns a conversation (a takeover when someone assigns it to themselves): the handler becomes `human`,
 * and an `assigned` notification goes to the new assignee unless they assigned it to themselves.
 */
export const assignAction: Action<AssignInput> = {
  name: 'assign',
  input: assignInputSchema,
  async run(input, context) {
    const { actor, clock } = context
    return context.store.transaction(async (tx) => {
      const at = clock.now()
      const conversation = await tx.conversations.get(input.conversationId)
      await requireUser(tx, input.assigneeId, 'assigneeId')
      const next =
        input.assigneeId === null
          ? { handler: 'human' as const, assigneeId: conversation.assigneeId }
          : handlerAfter(conversation, { kind: 'assign', assigneeId: input.assigneeId })
      if (next.handler === conversation.handler && next.assigneeId === conversation.assigneeId) {
        return actionResult('assign', 'skipped', [], 'unchanged')
      }
      await tx.conversations.setHandler(conversation.id, next, actor)
      const effects: ActionEffect[] = [{ kind: 'conversation', id: conversation.id }]
      const self = actor.kind === 'user' && actor.id === next.assigneeId
      if (next.assigneeId !== null && next.assigneeId !== conversation.assigneeId && !self) {
        const notificationId = await tx.notifications.insert({
          kind: 'assigned',
          conversationId: conversation.id,
          userId: next.assigneeId,
          payload: { by: actor.id, byKind: actor.kind },
          at,
        })
        effects.push({ kind: 'notification', id: notificationId })
      }
      await tx.audit(
        actor,
        {
          action: 'action.assign',
          targetType: 'conversation',
          targetId: conversation.id,
          fields: ['handler', 'assigneeId'],
          details: { assigneeId: next.assigneeId },
        },
        at,
      )
      return actionResult('assign', 'done', effects)
    })
  },
}
