import { z } from 'zod'
import { AppError } from '../core/index.js'
import { idSchema, messageTextSchema } from '../crm/index.js'
import type { Action } from './action.js'
import { sendToCustomer } from './outbound.js'
import { actionResult, type ActionEffect } from './result.js'

export const decideApprovalInputSchema = z
  .strictObject({
    approvalId: idSchema,
    action: z.enum(['approve', 'edit', 'reject']),
    /** The text to send instead of the draft; only with `edit`. */
    text: messageTextSchema.optional(),
  })
  .superRefine((input, context) => {
    if (input.action === 'edit' && (input.text === undefined || input.text.trim() === '')) {
      context.addIssue({ code: 'custom', path: ['text'], message: 'edit needs the text to send' })
    }
    if (input.action !== 'edit' && input.text !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['text'],
        message: `${input.action} takes no text; use action "edit" to change the draft`,
      })
    }
  })
export type DecideApprovalInput = z.output<typeof decideApprovalInputSchema>

/** The outbox key of the message an approval sends. */
export function approvalOutboxKey(approvalId: string): string {
  return `approval:${approvalId}`
}

/**
 * A person's decision on a draft. `approve` sends the draft as the AI's reply, `edit` sends the person's
 * text as theirs, both as an outbound message and its outbox row in the transaction that settles the
 * approval; `reject` sends nothing. A draft is decided once: a second decision is 409
 * `ACTION_APPROVAL_DECIDED`, even when two arrive at the same moment. Deciding does not change the handler.
 */
export const decideApprovalAction: Action<DecideApprovalInput> = {
  name: 'decide_approval',
  input: decideApprovalInputSchema,
  async run(input, context) {
    const { actor, clock } = context
    return context.store.transaction(async (tx) => {
      const at = clock.now()
      const approval = await tx.approvals.get(input.approvalId)
      const decided = () =>
        new AppError(
          'ACTION_APPROVAL_DECIDED',
          `approval "${approval.id}" was already decided (${approval.status}); a draft is decided once`,
          { details: { id: approval.id, status: approval.status, decidedAt: approval.decidedAt } },
        )
      if (approval.status !== 'pending') throw decided()
      const effects: ActionEffect[] = [{ kind: 'approval', id: approval.id }]
      let resultMessageId: string | null = null
      if (input.action !== 'reject') {
        const conversation = await tx.conversations.get(approval.conversationId)
        const edited = input.action === 'edit'
        const sent = await sendToCustomer(tx, {
          conversation,
          text: edited ? (input.text ?? approval.draftText) : approval.draftText,
          authorKind: edited ? 'agent' : 'ai',
          authorId: edited && actor.kind === 'user' ? actor.id : null,
          idempotencyKey: context.idempotencyKey ?? approvalOutboxKey(approval.id),
          actor,
          at,
        })
        resultMessageId = sent.messageId
        effects.push(...sent.effects)
      }
      const status = input.action === 'approve' ? 'approved' : input.action === 'edit' ? 'edited' : 'rejected'
      const settled = await tx.approvals.settle(approval.id, {
        status,
        decidedBy: actor.id,
        resultMessageId,
        at,
      })
      // Another decision committed between the read and this write: this one rolls back whole.
      if (!settled) throw decided()
      await tx.audit(
        actor,
        {
          action: 'action.decide_approval',
          targetType: 'approval',
          targetId: approval.id,
          fields: input.action === 'edit' ? ['text'] : [],
          details: { status, conversationId: approval.conversationId, messageId: resultMessageId },
        },
        at,
      )
      return actionResult('decide_approval', 'done', effects)
    })
  },
}
