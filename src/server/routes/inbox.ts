import { z } from 'zod'
import { CONVERSATION_STATUSES, HANDLERS, PRIORITIES, channelKindSchema, idSchema } from '../../crm/index.js'
import { INBOX_QUEUES } from '../../store/index.js'
import type { App } from '../../app.js'
import { requestUserId } from './action-requests.js'
import { idParams, type ApiServer } from './types.js'

const tags = ['inbox']
const label = z.string().trim().min(1).max(100)

const inboxQuerySchema = z.strictObject({
  queue: z.enum(INBOX_QUEUES).default('all'),
  status: z.enum(CONVERSATION_STATUSES).optional(),
  channel: channelKindSchema.optional(),
  priority: z.enum(PRIORITIES).optional(),
  handler: z.enum(HANDLERS).optional(),
  assigneeId: idSchema.optional(),
  customerId: idSchema.optional(),
  intent: label.optional(),
  sentiment: label.optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).optional(),
})

/**
 * The console inbox: conversations by queue with their customer, last message and the agent's latest
 * perception (filterable by intent and sentiment); a conversation's decision records and corrections; the
 * people a conversation can be assigned to.
 */
export function inboxRoutes(server: ApiServer, app: App): void {
  server.get(
    '/api/v1/inbox/conversations',
    {
      schema: {
        tags,
        summary:
          'Conversations for the inbox, most recent activity first: `queue` mine | unassigned (handed to people, nobody assigned) | ai | all; filters on status, channel, priority, assignee and the intent/sentiment of the latest handled message; `q` searches subject, customer and messages',
        querystring: inboxQuerySchema,
      },
      config: { minRole: 'viewer' },
    },
    async (request) => app.inbox.list({ ...request.query, userId: requestUserId(request) }),
  )

  server.get(
    '/api/v1/conversations/:id/decisions',
    {
      schema: {
        tags,
        summary:
          "Every decision record of the conversation's messages (perception, retrieval, rules, versions, latency) and the intent/sentiment corrections people made, oldest first",
        params: idParams,
      },
      config: { minRole: 'viewer' },
    },
    async (request) => app.inbox.explanations(request.params.id),
  )

  server.get(
    '/api/v1/inbox/assignees',
    {
      schema: { tags, summary: 'Active agents and admins a conversation can be assigned to' },
      config: { minRole: 'agent' },
    },
    async () => ({ items: await app.inbox.assignees(), nextCursor: null }),
  )
}
