import { z } from 'zod'
import { idSchema, messageTextSchema } from '../crm/index.js'
import type { Action } from './action.js'
import { citationSchema, draftForPerson, sendToCustomer } from './outbound.js'
import { actionResult } from './result.js'
import { aiMaySend, handlerAfter, replyCapReached, replyCapWindowStart } from './takeover.js'

export const replyInputSchema = z.strictObject({
  conversationId: idSchema,
  text: messageTextSchema.refine((text) => text.trim().length > 0, 'a reply needs some text'),
  /** `ai`: the agent's own reply; `agent`: a person's reply (the acting user is its author). */
  author: z.enum(['ai', 'agent']).default('ai'),
  /** The inbound message this answers (kept on the draft when the reply becomes a suggestion). */
  inReplyTo: idSchema.nullable().default(null),
  decisionId: idSchema.nullable().default(null),
  citations: z.array(citationSchema).max(20).default([]),
})
export type ReplyInput = z.output<typeof replyInputSchema>

/**
 * A customer-visible reply: an outbound message (`deliveryStatus: pending`) and its outbox row, written in
 * one transaction, the outbox row under the context's idempotency key so a retried run never sends twice.
 *
 * A person's reply (`author: 'agent'`) makes the conversation `human` (and theirs when nobody owns it).
 * The AI's reply is refused in the only safe way — it becomes a suggestion, a pending approval for a
 * person (`status: 'suggested'`) — when a person handles the conversation or the AI already sent its
 * hourly number of replies there. The check runs in the transaction that would write the message, so a
 * takeover that commits first always wins.
 */
export const replyAction: Action<ReplyInput> = {
  name: 'reply',
  input: replyInputSchema,
  async run(input, context) {
    const { actor, clock } = context
    return context.store.transaction(async (tx) => {
      const at = clock.now()
      const conversation = await tx.conversations.get(input.conversationId)
      if (input.author === 'ai') {
        const limits = await tx.limits()
        const blocked = !aiMaySend(conversation.handler)
          ? 'human_handler'
          : replyCapReached(
                await tx.messages.countAiRepliesSince(conversation.id, replyCapWindowStart(at)),
                limits.aiRepliesPerHour,
              )
            ? 'reply_cap'
            : null
        if (blocked !== null) {
          const draft = await draftForPerson(tx, {
            conversation,
            messageId: input.inReplyTo,
            decisionId: input.decisionId,
            text: input.text,
            citations: input.citations,
            reason: blocked,
            assigneeId: null,
            notify: true,
            at,
          })
          await tx.audit(
            actor,
            {
              action: 'action.reply',
              targetType: 'conversation',
              targetId: conversation.id,
              details: { status: 'suggested', reason: blocked, approvalId: draft.approvalId },
            },
            at,
          )
          return actionResult('reply', 'suggested', draft.effects, blocked)
        }
      }
      const authorId = input.author === 'agent' && actor.kind === 'user' ? actor.id : null
      const sent = await sendToCustomer(tx, {
        conversation,
        text: input.text,
        authorKind: input.author,
        authorId,
        idempotencyKey: context.idempotencyKey,
        actor,
        at,
      })
      const effects = [...sent.effects]
      if (input.author === 'agent') {
        const next = handlerAfter(conversation, { kind: 'human_reply', userId: authorId })
        if (next.handler !== conversation.handler || next.assigneeId !== conversation.assigneeId) {
          await tx.conversations.setHandler(conversation.id, next, actor)
          effects.push({ kind: 'conversation', id: conversation.id })
        }
      }
      await tx.audit(
        actor,
        {
          action: 'action.reply',
          targetType: 'message',
          targetId: sent.messageId,
          fields: ['text'],
          details: { conversationId: conversation.id, author: input.author, outboxId: sent.outboxId },
        },
        at,
      )
      return actionResult('reply', 'done', effects)
    })
  },
}
