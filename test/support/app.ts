import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { createApp, type App } from '../../src/app.js'
import { fixedClock, loadConfig, type ConfigOverrides } from '../../src/core/index.js'
import { cliActor } from '../../src/crm/index.js'
import { buildServer } from '../../src/server/http.js'
import type { TestDatabase } from './databases.js'

export interface TestApp {
  readonly app: App
  readonly server: FastifyInstance
  readonly clock: ReturnType<typeof fixedClock>
  /** A bearer token per role. */
  readonly tokens: Record<'viewer' | 'agent' | 'admin' | 'integration', string>
  /** Injects a request as `role` (or anonymously with null). */
  request(role: keyof TestApp['tokens'] | null, options: InjectOptions): Promise<LightMyRequestResponse>
  dispose(): Promise<void>
  /** Path of the SQLite file (null on Postgres). */
  readonly path: string | null
}

/** A migrated app on a fresh database, an in-process server, and one token per role. */
export async function createTestApp(
  database: TestDatabase,
  start = '2026-11-25T02:00:00.000Z',
  overrides: ConfigOverrides = {},
): Promise<TestApp> {
  const store = await database.open()
  const clock = fixedClock(start)
  const config = loadConfig(
    {},
    { databaseUrl: 'unused', logLevel: 'silent', secret: 'test-secret', ...overrides },
  )
  const app = await createApp(config, { store, clock })
  const server = await buildServer(app, { logger: false })
  const tokens = {
    viewer: (await app.access.createToken({ role: 'viewer', name: 'viewer' }, cliActor)).token,
    agent: (await app.access.createToken({ role: 'agent', name: 'agent' }, cliActor)).token,
    admin: (await app.access.createToken({ role: 'admin', name: 'admin' }, cliActor)).token,
    integration: (await app.access.createToken({ role: 'integration', name: 'integration' }, cliActor)).token,
  }
  return {
    app,
    server,
    clock,
    tokens,
    path: store.path,
    request(role, options) {
      const headers = { ...(options.headers ?? {}) } as Record<string, string>
      if (role !== null) headers.authorization = `Bearer ${tokens[role]}`
      return server.inject({ ...options, headers })
    },
    async dispose() {
      await server.close()
      await app.close()
      await store.dispose()
    },
  }
}
