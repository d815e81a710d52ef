import { z } from 'zod'
import { APPROVAL_REASONS, APPROVAL_STATUSES } from '../../actions/index.js'
import { idSchema, listQueryBase, messageTextSchema } from '../../crm/index.js'
import type { App } from '../../app.js'
import { requestIdempotencyKey } from './action-requests.js'
import { idParams, type ApiServer } from './types.js'

const tags = ['approvals']

const approvalListQuerySchema = z.strictObject({
  ...listQueryBase,
  status: z.enum(APPROVAL_STATUSES).optional(),
  reason: z.enum(APPROVAL_REASONS).optional(),
  conversationId: idSchema.optional(),
  assigneeId: idSchema.optional(),
  messageId: idSchema.optional(),
})

/** Drafts waiting for a person: list them, and approve, edit or reject one. */
export function approvalRoutes(server: ApiServer, app: App): void {
  server.get(
    '/api/v1/approvals',
    {
      schema: {
        tags,
        summary:
          'Drafts for a person to approve, edit or reject (`?status=pending` for the queue), oldest first',
        querystring: approvalListQuerySchema,
      },
      config: { minRole: 'agent' },
    },
    async (request) => {
      const { limit, cursor, sort, q, ...filters } = request.query
      return app.actions.repository.listApprovals({ limit, cursor, sort, q, filters })
    },
  )

  server.get(
    '/api/v1/approvals/:id',
    {
      schema: { tags, summary: 'Get a draft and its decision', params: idParams },
      config: { minRole: 'agent' },
    },
    async (request) => app.actions.repository.getApproval(request.params.id),
  )

  server.post(
    '/api/v1/approvals/:id',
    {
      schema: {
        tags,
        summary:
          'Decide a draft: approve (sent as drafted) or edit (your text is sent) — an outbound message and its outbox row in one transaction — or reject; a second decision is 409',
        params: idParams,
        body: z.strictObject({
          action: z.enum(['approve', 'edit', 'reject']),
          text: messageTextSchema.optional(),
        }),
      },
      config: { minRole: 'agent' },
    },
    async (request) => {
      const result = await app.actions.decideApproval(request.params.id, request.body, request.actor, {
        idempotencyKey: requestIdempotencyKey(request, 'approval'),
      })
      const approval = await app.actions.repository.getApproval(request.params.id)
      const message =
        approval.resultMessageId === null ? null : await app.crm.messages.get(approval.resultMessageId)
      return { approval, message, replayed: result.replayed }
    },
  )
}
