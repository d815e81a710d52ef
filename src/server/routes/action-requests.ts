import type { FastifyRequest } from 'fastify'
import { AppError } from '../../core/index.js'

/** The user a request acts for (a session or a user's token); null for an API token. */
export function requestUserId(request: FastifyRequest): string | null {
  return request.principal?.kind === 'user' ? request.principal.id : null
}

/**
 * The client's `Idempotency-Key` header, scoped to the caller, or null. A retried request with the same key
 * gets the first result and sends nothing twice.
 */
export function requestIdempotencyKey(request: FastifyRequest, operation: string): string | null {
  const header = request.headers['idempotency-key']
  if (header === undefined) return null
  const key = Array.isArray(header) ? header[0] : header
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new AppError(
      'CORE_VALIDATION_FAILED',
      'Idempotency-Key must be 1–200 visible ASCII characters (a UUID is a good choice)',
      { details: { field: 'Idempotency-Key' } },
    )
  }
  return `api:${request.actor.kind}:${request.actor.id ?? '-'}:${operation}:${key}`
}
