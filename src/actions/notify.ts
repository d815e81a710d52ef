import { z } from 'zod'
import { idSchema, cleanText } from '../crm/index.js'
import type { Action } from './action.js'
import { NOTIFICATION_KINDS } from './ports.js'
import { actionResult } from './result.js'

export const notifyInputSchema = z.strictObject({
  kind: z.enum(NOTIFICATION_KINDS).default('workflow_notice'),
  /** The person notified; null: the team's unassigned queue. */
  userId: idSchema.nullable().default(null),
  conversationId: idSchema.nullable().default(null),
  message: cleanText(2_000).min(1),
  /** Scalar details shown with the notice (ids, a score); never a customer's text. */
  details: z
    .record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
    .default({}),
})
export type NotifyInput = z.output<typeof notifyInputSchema>

/**
 * A notice in the console for a person, or for the team when `userId` is null. An unknown or inactive
 * user falls back to the team, so a notice is never lost to a stale recipient.
 */
export const notifyAction: Action<NotifyInput> = {
  name: 'notify',
  input: notifyInputSchema,
  async run(input, context) {
    const { actor, clock } = context
    return context.store.transaction(async (tx) => {
      const at = clock.now()
      const userId = input.userId !== null && (await tx.crm.userExists(input.userId)) ? input.userId : null
      const id = await tx.notifications.insert({
        kind: input.kind,
        conversationId: input.conversationId,
        userId,
        payload: { message: input.message, ...input.details },
        at,
      })
      await tx.audit(
        actor,
        {
          action: 'action.notify',
          targetType: 'notification',
          targetId: id,
          details: { kind: input.kind, userId, conversationId: input.conversationId },
        },
        at,
      )
      return actionResult('notify', 'done', [{ kind: 'notification', id }])
    })
  },
}
