import { z } from 'zod'
import { CONVERSATION_STATUSES, PRIORITIES, idSchema, tagSchema } from '../crm/index.js'
import type { Action } from './action.js'
import { actionResult } from './result.js'
import { handlerAfter } from './takeover.js'

export const updateConversationInputSchema = z
  .strictObject({
    conversationId: idSchema,
    status: z.enum(CONVERSATION_STATUSES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    /** Only `ai` (give back to the AI) — a hand-off to a person is the `hand_off` action, with its notices. */
    handler: z.literal('ai').optional(),
    addTags: z.array(tagSchema).max(20).default([]),
    removeTags: z.array(tagSchema).max(20).default([]),
  })
  .refine(
    (input) =>
      input.status !== undefined ||
      input.priority !== undefined ||
      input.handler !== undefined ||
      input.addTags.length + input.removeTags.length > 0,
    { message: 'give status, priority, handler, tags or several', path: ['status'] },
  )
export type UpdateConversationInput = z.output<typeof updateConversationInputSchema>

/**
 * Changes a conversation's status, priority, handler or tags (close a silent one, escalate the priority,
 * give it back to the AI). A change to what it already is, is skipped: the result lists what changed.
 */
export const updateConversationAction: Action<UpdateConversationInput> = {
  name: 'update_conversation',
  input: updateConversationInputSchema,
  async run(input, context) {
    const { actor, clock } = context
    return context.store.transaction(async (tx) => {
      const at = clock.now()
      const conversation = await tx.conversations.get(input.conversationId)
      const changed: string[] = []
      if (input.status !== undefined && input.status !== conversation.status) {
        await tx.conversations.setStatus(conversation.id, input.status, actor)
        changed.push('status')
      }
      if (input.priority !== undefined) {
        await tx.conversations.setPriority(conversation.id, input.priority, actor)
        changed.push('priority')
      }
      if (input.handler === 'ai') {
        const current = await tx.conversations.get(conversation.id)
        const next = handlerAfter(current, { kind: 'give_back' })
        if (next.handler !== current.handler || next.assigneeId !== current.assigneeId) {
          await tx.conversations.setHandler(conversation.id, next, actor)
          changed.push('handler')
        }
      }
      if (input.addTags.length + input.removeTags.length > 0) {
        const tags = new Set(conversation.tags)
        for (const tag of input.addTags) tags.add(tag)
        for (const tag of input.removeTags) tags.delete(tag)
        const next = [...tags]
        if (next.length !== conversation.tags.length || next.some((tag, i) => tag !== conversation.tags[i])) {
          await tx.conversations.setTags(conversation.id, next, actor)
          changed.push('tags')
        }
      }
      if (changed.length === 0) return actionResult('update_conversation', 'skipped', [], 'unchanged')
      await tx.audit(
        actor,
        {
          action: 'action.update_conversation',
          targetType: 'conversation',
          targetId: conversation.id,
          fields: changed,
        },
        at,
      )
      return actionResult('update_conversation', 'done', [{ kind: 'conversation', id: conversation.id }])
    })
  },
}
