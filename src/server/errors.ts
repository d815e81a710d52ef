import type { FastifyError, FastifyInstance } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { ZodError } from 'zod'
import { AppError } from '../core/index.js'

interface Issue {
  path: string
  message: string
}

function zodIssues(error: ZodError): Issue[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }))
}

/** Turns any error into the CONTRACTS shape. Internals of unexpected errors never reach the client. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error
  if (error instanceof ZodError) {
    const issues = zodIssues(error)
    return new AppError('CORE_VALIDATION_FAILED', describeIssues(issues), { details: { issues } })
  }
  const fastifyError = error as FastifyError & { validation?: unknown[]; validationContext?: string }
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const issues = fastifyError.validation.map((v) => ({
      path: `${fastifyError.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`,
      message: v.message ?? 'invalid',
    }))
    return new AppError('CORE_VALIDATION_FAILED', describeIssues(issues), { details: { issues } })
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(
        'CORE_MALFORMED_JSON',
        `the request body is not valid JSON: ${fastifyError.message}`,
      )
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(
        'CORE_BODY_TOO_LARGE',
        'the request body is too large; send at most 1 MiB per request',
      )
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(
        'CORE_UNSUPPORTED_MEDIA_TYPE',
        'unsupported Content-Type; send application/json (imports take text/csv or application/x-ndjson)',
      )
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('CORE_VALIDATION_FAILED', 'the Content-Length does not match the body')
    default:
      break
  }
  const databaseCode = (error as { code?: unknown }).code
  if (databaseCode === '22021' || databaseCode === '22P05') {
    return new AppError(
      'CORE_VALIDATION_FAILED',
      'text must not contain NUL or characters the database cannot store',
    )
  }
  if (error instanceof SyntaxError && /JSON/.test(error.message)) {
    return new AppError('CORE_MALFORMED_JSON', `the request body is not valid JSON: ${error.message}`)
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    if (fastifyError.statusCode === 413)
      return new AppError('CORE_BODY_TOO_LARGE', 'the request body is too large')
    if (fastifyError.statusCode === 415)
      return new AppError('CORE_UNSUPPORTED_MEDIA_TYPE', fastifyError.message)
    return new AppError('CORE_VALIDATION_FAILED', fastifyError.message)
  }
  return new AppError('CORE_INTERNAL', 'internal error; the request id in the logs tells an operator more', {
    cause: error,
  })
}

function describeIssues(issues: Issue[]): string {
  const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`)
  return `invalid request — ${shown.join('; ')}${issues.length > 5 ? `; and ${issues.length - 5} more` : ''}`
}

/** The one error handler: AppError → its status and `{error: {code, message, details}}`. */
export function registerErrorHandling(server: FastifyInstance): void {
  server.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error)
    if (appError.kind === 'bug' || appError.status >= 500) {
      request.log.error({ err: error, requestId: request.id }, 'request failed')
      const body = {
        error: { code: appError.code, message: appError.message, details: { requestId: request.id } },
      }
      return reply.status(appError.status).send(body)
    }
    request.log.info({ code: appError.code }, appError.message)
    return reply.status(appError.status).send(appError.toJSON())
  })
  server.setNotFoundHandler((request, reply) => {
    const error = new AppError(
      'CORE_ROUTE_NOT_FOUND',
      `no route ${request.method} ${request.url.split('?')[0]}`,
    )
    return reply.status(404).send(error.toJSON())
  })
}
