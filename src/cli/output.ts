import { AppError, isAppError } from '../core/index.js'

/** Usage errors exit 2; everything else that fails exits 1 (CONTRACTS). */
export class UsageError extends Error {}

export interface Output {
  readonly json: boolean
  /** The command's result: one JSON document on stdout with --json, else human text. */
  result(value: unknown, human: () => string): void
  /** Notices, progress and logs: always standard error. */
  info(message: string): void
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(value, human) {
      process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`)
    },
    info(message) {
      process.stderr.write(`${message}\n`)
    },
  }
}

/** Prints a failure in the CONTRACTS shape and returns the exit code. */
export function reportFailure(error: unknown, json: boolean): number {
  const usage = error instanceof UsageError
  const appError = isAppError(error)
    ? error
    : usage
      ? new AppError('CORE_USAGE', (error as Error).message)
      : new AppError('CORE_INTERNAL', (error as Error)?.message ?? String(error), { cause: error })
  if (json) process.stdout.write(`${JSON.stringify(appError.toJSON())}\n`)
  process.stderr.write(
    `error: ${appError.message}${appError.code === 'CORE_INTERNAL' ? ` (${appError.code})` : ''}\n`,
  )
  if (appError.code === 'CORE_INTERNAL' && (error as Error)?.stack)
    process.stderr.write(`${(error as Error).stack}\n`)
  return usage ? 2 : 1
}
