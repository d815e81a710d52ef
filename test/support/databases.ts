import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'vitest'
import pg from 'pg'
import { loadTestServices } from '../../src/core/config.js'
import { migrateToLatest, openStore, type Store } from '../../src/store/index.js'

const services = loadTestServices(process.env)

export interface TestDatabase {
  readonly name: 'sqlite' | 'postgres'
  /** A database URL (and for Postgres a schema) that `openStore` accepts. */
  readonly url: string
  readonly schema: string | undefined
  /** Opens a fresh, migrated store in its own file or schema. */
  open(): Promise<Store & { dispose(): Promise<void>; path: string | null }>
}

function sqliteDatabase(): TestDatabase {
  return {
    name: 'sqlite',
    url: 'sqlite',
    schema: undefined,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'agentcrm-test-'))
      const path = join(dir, 'test.db')
      const store = await openStore({ url: `sqlite:${path}` })
      const result = await migrateToLatest(store)
      if (result.error) throw result.error
      return Object.assign(store, {
        path,
        async dispose() {
          await store.close()
          rmSync(dir, { recursive: true, force: true })
        },
      })
    },
  }
}

function postgresDatabase(url: string): TestDatabase {
  return {
    name: 'postgres',
    url,
    schema: undefined,
    async open() {
      const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
      const store = await openStore({ url, schema, poolSize: 4 })
      const result = await migrateToLatest(store)
      if (result.error) throw result.error
      return Object.assign(store, {
        path: null,
        async dispose() {
          await store.close()
          const client = new pg.Client({ connectionString: url })
          await client.connect()
          await client.query(`drop schema if exists "${schema}" cascade`)
          await client.end()
        },
      })
    },
  }
}

/** SQLite always; Postgres whenever AGENTCRM_TEST_POSTGRES_URL is set. */
export function testDatabases(): TestDatabase[] {
  const list = [sqliteDatabase()]
  if (services.postgresUrl) list.push(postgresDatabase(services.postgresUrl))
  return list
}

/**
 * Runs a suite once per database. Without Postgres the Postgres suite is reported as skipped — and
 * with AGENTCRM_REQUIRE_SERVICES=1 a missing service fails instead of skipping.
 */
export function describeEachDatabase(title: string, body: (database: TestDatabase) => void): void {
  for (const database of testDatabases()) describe(`${title} [${database.name}]`, () => body(database))
  if (!services.postgresUrl) {
    if (services.requireServices) {
      describe(`${title} [postgres]`, () => {
        it('runs on Postgres (AGENTCRM_REQUIRE_SERVICES=1)', () => {
          throw new Error('AGENTCRM_TEST_POSTGRES_URL is not set but AGENTCRM_REQUIRE_SERVICES=1')
        })
      })
    } else {
      describe.skip(`${title} [postgres] (set AGENTCRM_TEST_POSTGRES_URL)`, () => {
        it('runs on Postgres', () => {})
      })
    }
  }
}

export { services as testServices }
