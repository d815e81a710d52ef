import { z } from 'zod'
import { AppError } from '../../core/index.js'
import { workspacePatchSchema } from '../../crm/index.js'
import type { App } from '../../app.js'
import { SESSION_COOKIE, createLoginLimiter } from '../auth.js'
import type { ApiServer } from './types.js'

const loginSchema = z.strictObject({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(1000),
})

/** Health, readiness, the workspace, and console sessions (login/logout). */
export function systemRoutes(server: ApiServer, app: App): void {
  server.get(
    '/healthz',
    { schema: { tags: ['system'], summary: 'Liveness' }, config: { minRole: 'public' } },
    async () => ({
      status: 'ok',
    }),
  )

  server.get(
    '/readyz',
    {
      schema: { tags: ['system'], summary: 'Readiness: the database answers' },
      config: { minRole: 'public' },
    },
    async (_request, reply) => {
      try {
        await app.workspace.get()
        return { status: 'ready' }
      } catch (error) {
        reply.status(503)
        return new AppError('CORE_NOT_READY', 'the database does not answer', { cause: error }).toJSON()
      }
    },
  )

  server.get(
    '/api/v1/workspace',
    { schema: { tags: ['workspace'], summary: 'The workspace settings' }, config: { minRole: 'viewer' } },
    async () => app.workspace.get(),
  )

  server.patch(
    '/api/v1/workspace',
    {
      schema: { tags: ['workspace'], summary: 'Change workspace settings', body: workspacePatchSchema },
      config: { minRole: 'admin' },
    },
    async (request) => app.workspace.update(request.body, request.actor),
  )

  const limiter = createLoginLimiter()

  server.get(
    '/api/v1/session',
    {
      schema: { tags: ['session'], summary: 'The signed-in user, or {user: null}' },
      config: { minRole: 'public' },
    },
    async (request) => ({
      user: request.principal?.user ?? null,
      role: request.principal?.role ?? null,
    }),
  )

  server.post(
    '/api/v1/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Sign in with email and password (sets the session cookie)',
        body: loginSchema,
      },
      config: { minRole: 'public' },
    },
    async (request, reply) => {
      const key = `${request.ip}|${request.body.email.trim().toLowerCase()}`
      limiter.check(key)
      const user = await app.access.checkCredentials(request.body.email, request.body.password)
      if (user === null) {
        limiter.fail(key)
        throw new AppError('AUTH_INVALID_CREDENTIALS', 'the email or password is wrong')
      }
      limiter.succeed(key)
      const session = await app.access.createSession(user.id, app.config.sessionTtlHours)
      reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: '/',
        expires: new Date(session.expiresAt),
      })
      return { user, expiresAt: session.expiresAt }
    },
  )

  server.delete(
    '/api/v1/session',
    { schema: { tags: ['session'], summary: 'Sign out' }, config: { minRole: 'public' } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE]
      if (token) await app.access.endSession(token)
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return { user: null }
    },
  )
}
