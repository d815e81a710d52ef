import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { expect } from 'vitest'

/** The `agentcrm` entry point, as users run it. */
export const BIN = resolve(import.meta.dirname, '../../bin/agentcrm.mjs')

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs `agentcrm` in a child process with its own database and data folder under `dir()` (read at call
 * time, so a suite can create the folder in `beforeAll`).
 */
export function cliRunner(
  dir: () => string,
  options: { timeoutMs?: number; env?: Record<string, string> } = {},
) {
  return (...args: string[]) =>
    new Promise<CliRun>((done) => {
      execFile(
        process.execPath,
        [BIN, ...args],
        {
          cwd: dir(),
          env: {
            ...process.env,
            AGENTCRM_DATABASE_URL: resolve(dir(), 'crm.db'),
            AGENTCRM_DATA_DIR: resolve(dir(), 'data'),
            AGENTCRM_LOG_LEVEL: 'silent',
            ...options.env,
          },
          timeout: options.timeoutMs ?? 120_000,
        },
        (error, stdout, stderr) =>
          done({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
      )
    })
}

/** With --json, standard output is exactly one JSON document: parse it, failing when there is more. */
export function onlyJson(result: CliRun): unknown {
  const lines = result.stdout.trim().split('\n')
  expect(lines, result.stderr).toHaveLength(1)
  return JSON.parse(lines[0])
}
