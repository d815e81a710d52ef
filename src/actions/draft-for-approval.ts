import { z } from 'zod'
import { AppError } from '../core/index.js'
import { idSchema, messageTextSchema } from '../crm/index.js'
import type { Action } from './action.js'
import { requireUser } from './checks.js'
import { citationSchema, draftForPerson } from './outbound.js'
import { APPROVAL_REASONS } from './ports.js'
import { actionResult } from './result.js'

export const draftForApprovalInputSchema = z.strictObject({
  conversationId: idSchema,
  text: messageTextSchema.refine((text) => text.trim().length > 0, 'a draft needs some text'),
  /** The inbound message the draft answers. */
  messageId: idSchema.nullable().default(null),
  decisionId: idSchema.nullable().default(null),
  citations: z.array(citationSchema).max(20).default([]),
  reason: z.enum(APPROVAL_REASONS).default('needs_approval'),
  /** Who should review it; absent: the conversation's assignee, else the team. */
  assigneeId: idSchema.nullable().default(null),
  /** False when another action of the same run already notifies (a hand-off). */
  notify: z.boolean().default(true),
})
export type DraftForApprovalInput = z.output<typeof draftForApprovalInputSchema>

/**
 * A draft reply waiting for a person (`POST /api/v1/approvals/{id}` approves, edits or rejects it). Nothing
 * reaches the customer until then; the reviewer is notified.
 */
export const draftForApprovalAction: Action<DraftForApprovalInput> = {
  name: 'draft_for_approval',
  input: draftForApprovalInputSchema,
  async run(input, context) {
    const { actor, clock } = context
    return context.store.transaction(async (tx) => {
      const at = clock.now()
      const conversation = await tx.conversations.get(input.conversationId)
      await requireUser(tx, input.assigneeId, 'assigneeId')
      if (input.messageId !== null) {
        const message = await tx.messages.get(input.messageId)
        if (message.conversationId !== conversation.id) {
          throw new AppError(
            'ACTION_INVALID_INPUT',
            `message "${input.messageId}" belongs to conversation ${message.conversationId}, not ${conversation.id}`,
            { details: { field: 'messageId' } },
          )
        }
      }
      const draft = await draftForPerson(tx, {
        conversation,
        messageId: input.messageId,
        decisionId: input.decisionId,
        text: input.text,
        citations: input.citations,
        reason: input.reason,
        assigneeId: input.assigneeId,
        notify: input.notify,
        at,
      })
      await tx.audit(
        actor,
        {
          action: 'action.draft_for_approval',
          targetType: 'approval',
          targetId: draft.approvalId,
          fields: ['draftText'],
          details: { conversationId: conversation.id, reason: input.reason },
        },
        at,
      )
      return actionResult('draft_for_approval', 'done', draft.effects)
    })
  },
}
