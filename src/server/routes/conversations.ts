import {
  conversationCreateSchema,
  conversationListQuerySchema,
  conversationPatchSchema,
  inboxCreateSchema,
  inboxListQuerySchema,
  inboxPatchSchema,
  messageCreateSchema,
  messageListQuerySchema,
} from '../../crm/index.js'
import type { App } from '../../app.js'
import { crudRoutes } from './crud.js'
import { idParams, type ApiServer } from './types.js'

/** The service desk: inboxes, conversations (tickets) and their message threads. */
export function conversationRoutes(server: ApiServer, app: App): void {
  crudRoutes(server, app.crm.inboxes, {
    path: '/api/v1/inboxes',
    tag: 'inboxes',
    noun: 'inbox',
    listQuery: inboxListQuerySchema,
    create: inboxCreateSchema,
    patch: inboxPatchSchema,
    // Inboxes are channel configuration, like attribute definitions.
    roles: { write: 'admin', delete: 'admin' },
  })
  crudRoutes(server, app.crm.conversations, {
    path: '/api/v1/conversations',
    tag: 'conversations',
    noun: 'conversation',
    listQuery: conversationListQuerySchema,
    create: conversationCreateSchema,
    patch: conversationPatchSchema,
    roles: { delete: 'admin' },
  })

  const tags = ['conversations']
  server.get(
    '/api/v1/conversations/:id/messages',
    {
      schema: {
        tags,
        summary: 'The thread of a conversation, oldest first, replies included (with their deliveryStatus)',
        params: idParams,
        querystring: messageListQuerySchema,
      },
      config: { minRole: 'viewer' },
    },
    async (request) => {
      const { limit, cursor, sort, q, ...filters } = request.query
      return app.crm.messages.listThread(request.params.id, { limit, cursor, sort, q, filters })
    },
  )
  server.post(
    '/api/v1/conversations/:id/messages',
    {
      schema: {
        tags,
        summary: 'Add a message to a conversation (by default an agent reply; outbound ones start pending)',
        params: idParams,
        body: messageCreateSchema,
      },
      config: { minRole: 'agent' },
    },
    async (request, reply) => {
      reply.status(201)
      return app.crm.messages.create(request.params.id, request.body, request.actor)
    },
  )
  server.get(
    '/api/v1/messages/:id',
    { schema: { tags, summary: 'Get a message', params: idParams }, config: { minRole: 'viewer' } },
    async (request) => app.crm.messages.get(request.params.id),
  )
}
