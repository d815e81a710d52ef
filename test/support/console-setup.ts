import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { TestProject } from 'vitest/node'
import { BIN } from './cli.js'
import { CONSOLE_ADMIN } from './console-admin.js'

const run = promisify(execFile)

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder with `crm.db` and `data/`: demo data, trained built-in models and the console admin. */
    consoleTemplate: string
  }
}

/**
 * Runs once before the console suites: seeds the demo shop, trains the built-in models and creates the
 * admin in a template database, so each suite copies it instead of spending half a minute on training.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'agentcrm-console-template-'))
  const env = {
    ...process.env,
    AGENTCRM_DATABASE_URL: join(dir, 'crm.db'),
    AGENTCRM_DATA_DIR: join(dir, 'data'),
    AGENTCRM_LOG_LEVEL: 'silent',
  }
  const cli = (...args: string[]) =>
    run(process.execPath, [BIN, ...args], { env, cwd: dir, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 })
  await cli('demo', 'seed', '--customers', '40', '--seed', '42', '--json')
  await cli('nlu', 'predict', '--model', 'intent', '--json', 'warm up the built-in models')
  await cli('nlu', 'predict', '--model', 'sentiment', '--json', 'warm up the built-in models')
  await cli(
    'user',
    'create',
    '--email',
    CONSOLE_ADMIN.email,
    '--password',
    CONSOLE_ADMIN.password,
    '--role',
    'admin',
    '--name',
    CONSOLE_ADMIN.name,
    '--json',
  )
  project.provide('consoleTemplate', dir)
  return () => rmSync(dir, { recursive: true, force: true })
}
