import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../core/index.js'
import type { Actor, MinRole } from '../crm/index.js'
import { roleAllows } from '../crm/index.js'
import type { App } from '../app.js'
import type { Principal } from '../store/index.js'

export const SESSION_COOKIE = 'agentcrm_session'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
    actor: Actor
  }
  interface FastifyInstance {
    /** Every route with its minimum role, in registration order (the roles test and docs read it). */
    routeTable: { method: string; url: string; minRole: MinRole | null }[]
  }
  interface FastifyContextConfig {
    /** The minimum role of the operation; every route declares one (a test checks it). */
    minRole?: MinRole
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin
  if (typeof origin !== 'string') return false
  const host = request.headers.host
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}

/**
 * Authenticates every request before its body is read, so refusals come in the CONTRACTS order:
 * 401 (no or bad credentials) → 403 (role, origin) → 400/413/415 (body) → 404/409.
 */
export function registerAuth(server: FastifyInstance, app: App): void {
  server.decorate('routeTable', [])
  server.addHook('onRoute', (route) => {
    const config = route.config as { minRole?: MinRole } | undefined
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue
      server.routeTable.push({ method, url: route.url, minRole: config?.minRole ?? null })
    }
    if (route.url.startsWith('/api/v1') && config?.minRole === undefined) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no minRole; every API route must`)
    }
  })
  server.decorateRequest('principal', null)
  server.decorateRequest('actor', null as unknown as Actor)
  server.addHook('onRequest', async (request) => {
    request.actor = { kind: 'system', id: null, requestId: request.id }
    const minRole = request.routeOptions.config?.minRole
    if (minRole === undefined) return // unknown route: the not-found handler answers
    const authorization = request.headers.authorization
    let principal: Principal | null = null
    let viaCookie = false
    if (typeof authorization === 'string' && authorization.length > 0) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization)
      principal = match ? await app.access.authenticateToken(match[1]) : null
      if (principal === null && minRole !== 'public') {
        throw new AppError('AUTH_UNAUTHENTICATED', 'the bearer token is unknown, revoked or expired')
      }
    } else {
      const cookie = request.cookies?.[SESSION_COOKIE]
      if (cookie) {
        principal = await app.access.authenticateSession(cookie)
        viaCookie = principal !== null
      }
    }
    request.principal = principal
    if (principal) request.actor = { kind: principal.kind, id: principal.id, requestId: request.id }
    if (minRole === 'public') return
    if (principal === null) {
      throw new AppError(
        'AUTH_UNAUTHENTICATED',
        'log in first: send Authorization: Bearer <token> or sign in to the console',
      )
    }
    if (!roleAllows(principal.role, minRole)) {
      throw new AppError(
        'AUTH_FORBIDDEN',
        `this operation needs the ${minRole} role; you are ${principal.role}`,
        {
          details: { required: minRole, role: principal.role },
        },
      )
    }
    if (viaCookie && !SAFE_METHODS.has(request.method) && !sameOrigin(request)) {
      throw new AppError(
        'AUTH_ORIGIN_MISMATCH',
        'a write with the session cookie must come from the console origin (Origin header missing or different)',
      )
    }
  })
}

/** A login limiter: at most `max` failed attempts per key in a sliding window. */
export function createLoginLimiter(options: { max?: number; windowMs?: number; now?: () => number } = {}) {
  const max = options.max ?? 5
  const windowMs = options.windowMs ?? 15 * 60_000
  const now = options.now ?? Date.now
  const failures = new Map<string, number[]>()
  const recent = (key: string) => (failures.get(key) ?? []).filter((t) => t > now() - windowMs)
  return {
    check(key: string): void {
      const list = recent(key)
      if (list.length >= max) {
        const retryAfter = Math.ceil((list[0] + windowMs - now()) / 1000)
        throw new AppError(
          'AUTH_LOGIN_RATE_LIMITED',
          `too many failed logins; try again in ${retryAfter} seconds`,
          { details: { retryAfterSeconds: retryAfter } },
        )
      }
    },
    fail(key: string): void {
      const list = recent(key)
      list.push(now())
      failures.set(key, list)
      if (failures.size > 10_000) failures.delete(failures.keys().next().value as string)
    },
    succeed(key: string): void {
      failures.delete(key)
    },
  }
}
