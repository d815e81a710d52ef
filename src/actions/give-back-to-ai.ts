import { z } from 'zod'
import { idSchema } from '../crm/index.js'
import type { Action } from './action.js'
import { actionResult } from './result.js'
import { handlerAfter } from './takeover.js'

export const giveBackToAiInputSchema = z.strictObject({ conversationId: idSchema })
export type GiveBackToAiInput = z.output<typeof giveBackToAiInputSchema>

/**
 * A person hands the conversation back to the AI: the handler becomes `ai` and the assignee is cleared, so
 * the agent answers the customer's next message on its own again.
 */
export const giveBackToAiAction: Action<GiveBackToAiInput> = {
  name: 'give_back_to_ai',
  input: giveBackToAiInputSchema,
  async run(input, context) {
    const { actor, clock } = context
    return context.store.transaction(async (tx) => {
      const at = clock.now()
      const conversation = await tx.conversations.get(input.conversationId)
      const next = handlerAfter(conversation, { kind: 'give_back' })
      if (next.handler === conversation.handler && next.assigneeId === conversation.assigneeId) {
        return actionResult('give_back_to_ai', 'skipped', [], 'already_ai')
      }
      await tx.conversations.setHandler(conversation.id, next, actor)
      await tx.audit(
        actor,
        {
          action: 'action.give_back_to_ai',
          targetType: 'conversation',
          targetId: conversation.id,
          fields: ['handler', 'assigneeId'],
        },
        at,
      )
      return actionResult('give_back_to_ai', 'done', [{ kind: 'conversation', id: conversation.id }])
    })
  },
}
