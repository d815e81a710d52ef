import { z } from 'zod'
import { NOTIFICATION_KINDS } from '../../actions/index.js'
import { idSchema, listQueryBase } from '../../crm/index.js'
import type { App } from '../../app.js'
import { requestUserId } from './action-requests.js'
import { idParams, type ApiServer } from './types.js'

const tags = ['notifications']

const notificationListQuerySchema = z.strictObject({
  ...listQueryBase,
  kind: z.enum(NOTIFICATION_KINDS).optional(),
  conversationId: idSchema.optional(),
  unread: z.enum(['true', 'false']).optional(),
})

/** Console notifications: hand-offs, assignments, drafts to review — the caller's own and the team's. */
export function notificationRoutes(server: ApiServer, app: App): void {
  server.get(
    '/api/v1/notifications',
    {
      schema: {
        tags,
        summary:
          "Your notifications and the team's unassigned queue (an API token sees the team's), newest first; `?unread=true`",
        querystring: notificationListQuerySchema,
      },
      config: { minRole: 'agent' },
    },
    async (request) => {
      const { limit, cursor, sort, q, unread, ...filters } = request.query
      return app.actions.repository.listNotifications(
        { limit, cursor, sort, q, filters, unread: unread === 'true' },
        { userId: requestUserId(request) },
      )
    },
  )

  server.post(
    '/api/v1/notifications/:id/read',
    {
      schema: { tags, summary: 'Mark a notification read', params: idParams },
      config: { minRole: 'agent' },
    },
    async (request) =>
      app.actions.repository.markNotificationRead(request.params.id, { userId: requestUserId(request) }),
  )
}
