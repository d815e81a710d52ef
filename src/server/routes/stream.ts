import { z } from 'zod'
import { roleAllows } from '../../crm/index.js'
import type { App } from '../../app.js'
import { followLive, liveIds } from '../live-stream.js'
import { lastEventId, openSse, registerSse, requireEventStream } from '../sse.js'
import type { ApiServer } from './types.js'

const streamQuerySchema = z.strictObject({
  /** For clients that cannot send the `Last-Event-ID` header. */
  lastEventId: z.string().max(20).optional(),
})

/**
 * The console's live stream (Server-Sent Events): `message.created`, `conversation.updated`,
 * `notification.created` and `approval.created`, each with the ids of what changed (never its content), so
 * the console refetches what it shows. Works across processes: the announcements are rows in `live_events`
 * that one poller per process follows. Notifications and approvals go only to roles that may read them
 * (agent and up), and a notification addressed to one user only to that user.
 */
export function streamRoutes(server: ApiServer, app: App): void {
  registerSse(server)
  server.get(
    '/api/v1/stream',
    {
      schema: {
        tags: ['live'],
        summary:
          'Live updates as Server-Sent Events (Accept: text/event-stream): message.created, conversation.updated, notification.created, approval.created with {conversationId?, messageId?, notificationId?, approvalId?}; heartbeats every 15 s; resume with Last-Event-ID',
        querystring: streamQuerySchema,
      },
      config: { minRole: 'viewer' },
    },
    async (request, reply) => {
      requireEventStream(request)
      const after = lastEventId(request, request.query.lastEventId)
      const principal = request.principal
      const role = principal?.role ?? 'viewer'
      const userId = principal?.kind === 'user' ? principal.id : null
      const seesWork = roleAllows(role, 'agent')
      const stream = openSse(server, request, reply)
      try {
        await followLive(app, stream, after, async (event) => {
          if (event.kind === 'approval.created' && !seesWork) return null
          if (event.kind === 'notification.created') {
            if (!seesWork) return null
            if (event.userId !== null && event.userId !== userId) return null
          }
          return { event: event.kind, data: liveIds(event) }
        })
      } catch (error) {
        // the response is already a stream: log, and let the client reconnect
        request.log.error(error)
        stream.close()
      }
    },
  )
}
