import type { z } from 'zod'
import { AppError } from '../core/index.js'

/** Parses a webhook body as JSON and validates it; a clear 400 `CHANNEL_INVALID_PAYLOAD` otherwise. */
export function parsePayload<T extends z.ZodType>(schema: T, rawBody: Uint8Array, kind: string): z.output<T> {
  let json: unknown
  try {
    json = JSON.parse(Buffer.from(rawBody).toString('utf8'))
  } catch (error) {
    throw new AppError('CHANNEL_INVALID_PAYLOAD', `the ${kind} webhook body is not JSON`, { cause: error })
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }))
    throw new AppError(
      'CHANNEL_INVALID_PAYLOAD',
      `the ${kind} webhook body is invalid: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`,
      { details: { issues } },
    )
  }
  return parsed.data
}
