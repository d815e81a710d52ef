import { z } from 'zod'
import { AppError } from '../../core/index.js'
import { ROLES, USER_ROLES, listQueryBase } from '../../crm/index.js'
import { parseDuration } from '../../auth/index.js'
import type { App } from '../../app.js'
import { idParams, type ApiServer } from './types.js'

const userCreateSchema = z.strictObject({
  email: z.string().min(3).max(254),
  password: z.string().min(10).max(1000),
  role: z.enum(USER_ROLES),
  name: z.string().max(200).nullable().optional(),
})

const tokenCreateSchema = z.strictObject({
  role: z.enum(ROLES),
  name: z.string().max(200).nullable().optional(),
  expires: z.string().max(20).optional(),
})

/** Users, API tokens and the audit log: admins only. */
export function adminRoutes(server: ApiServer, app: App): void {
  server.get(
    '/api/v1/users',
    { schema: { tags: ['admin'], summary: 'List users' }, config: { minRole: 'admin' } },
    async () => ({ items: await app.access.listUsers(), nextCursor: null }),
  )
  server.post(
    '/api/v1/users',
    {
      schema: { tags: ['admin'], summary: 'Create a user', body: userCreateSchema },
      config: { minRole: 'admin' },
    },
    async (request, reply) => {
      reply.status(201)
      return app.access.createUser(request.body, request.actor)
    },
  )
  server.post(
    '/api/v1/users/:id/deactivate',
    {
      schema: { tags: ['admin'], summary: 'Deactivate a user (ends their sessions)', params: idParams },
      config: { minRole: 'admin' },
    },
    async (request) => {
      const user = await app.access.getUser(request.params.id)
      return app.access.setUserActive(user.email, false, request.actor)
    },
  )
  server.get(
    '/api/v1/tokens',
    {
      schema: { tags: ['admin'], summary: 'List API tokens (never their secret)' },
      config: { minRole: 'admin' },
    },
    async () => ({ items: await app.access.listTokens(), nextCursor: null }),
  )
  server.post(
    '/api/v1/tokens',
    {
      schema: { tags: ['admin'], summary: 'Create an API token (shown once)', body: tokenCreateSchema },
      config: { minRole: 'admin' },
    },
    async (request, reply) => {
      let expiresAt: Date | null = null
      if (request.body.expires !== undefined) {
        const ms = parseDuration(request.body.expires)
        if (ms === null) {
          throw new AppError(
            'CORE_VALIDATION_FAILED',
            `expires "${request.body.expires}" is not a duration; use e.g. 90d, 12h, 1y`,
            {
              details: { field: 'expires' },
            },
          )
        }
        expiresAt = new Date(app.clock.now().getTime() + ms)
      }
      reply.status(201)
      return app.access.createToken(
        { role: request.body.role, name: request.body.name, expiresAt },
        request.actor,
      )
    },
  )
  server.delete(
    '/api/v1/tokens/:id',
    {
      schema: { tags: ['admin'], summary: 'Revoke an API token', params: idParams },
      config: { minRole: 'admin' },
    },
    async (request, reply) => {
      await app.access.revokeToken(request.params.id, request.actor)
      reply.status(204)
    },
  )
  server.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['admin'],
        summary: 'The audit log: who did what to which record (field names, never values)',
        querystring: z.strictObject({
          ...listQueryBase,
          targetType: z.string().max(50).optional(),
          targetId: z.string().max(200).optional(),
          actorId: z.string().max(200).optional(),
          action: z.string().max(100).optional(),
        }),
      },
      config: { minRole: 'admin' },
    },
    async (request) => {
      const { limit, cursor, sort, q, ...filters } = request.query
      return app.audit.list({ limit, cursor, sort, q, filters })
    },
  )
}
