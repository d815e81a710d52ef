import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import SQLite from 'better-sqlite3'
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import pg from 'pg'
import { AppError } from '../core/index.js'
import { createCodec, parsePostgresTimestamp, type Codec } from './codec.js'
import { parseDatabaseUrl, type DatabaseTarget } from './url.js'
import { cachingSqliteDatabase } from './sqlite-statements.js'

import type { Dialect } from './codec.js'
export type { Dialect }

/**
 * Rows are typed loosely at the store boundary: each repository decodes them through the codec and the
 * domain validates with zod at the edges (see docs/decisions/2026-11-25-foundation.md).
 */
export type Row = Record<string, unknown>
export type Tables = Record<string, Row>
export type Db = Kysely<Tables>

export interface Store {
  readonly db: Db
  readonly dialect: Dialect
  readonly codec: Codec
  readonly target: DatabaseTarget
  /** The Postgres schema in use (tests run each in their own), or null on SQLite. */
  readonly schema: string | null
  /** SQLite only: the underlying handle (checkpoint, backup); null on Postgres. */
  readonly sqlite: SQLite.Database | null
  close(): Promise<void>
}

export interface StoreOptions {
  readonly url: string
  /** Postgres schema to use (created if missing); the default is `public`. */
  readonly schema?: string
  readonly poolSize?: number
}

const PG_TYPES = {
  INT8: 20,
  NUMERIC: 1700,
  TIMESTAMPTZ: 1184,
  TIMESTAMP: 1114,
}

function postgresTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === PG_TYPES.INT8 || oid === PG_TYPES.NUMERIC) return (value: string) => Number(value)
      if (oid === PG_TYPES.TIMESTAMPTZ || oid === PG_TYPES.TIMESTAMP) return parsePostgresTimestamp
      return pg.types.getTypeParser(oid, format ?? 'text')
    }) as pg.CustomTypesConfig['getTypeParser'],
  }
}

/**
 * Opens the database named by the URL (see CONTRACTS: `AGENTCRM_DATABASE_URL`) and returns a Store.
 *
 * @example
 *   const store = await openStore({ url: 'sqlite:.agentcrm/agentcrm.db' })
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const target = parseDatabaseUrl(options.url)
  if (target.dialect === 'sqlite') {
    if (target.path !== ':memory:') mkdirSync(dirname(resolve(target.path)), { recursive: true })
    let handle: SQLite.Database
    try {
      handle = new SQLite(target.path)
      handle.pragma('journal_mode = WAL')
      handle.pragma('foreign_keys = ON')
      handle.pragma('busy_timeout = 5000')
      handle.pragma('secure_delete = ON')
      handle.pragma('synchronous = NORMAL')
      // checkpoint every ~40 MB of WAL instead of ~4 MB: each checkpoint fsyncs on the writer's thread, and
      // hot pages rewritten many times are copied back once (docs/decisions/2026-11-25-flow-throughput.md)
      handle.pragma('wal_autocheckpoint = 10000')
      handle.pragma('journal_size_limit = 67108864')
    } catch (error) {
      throw new AppError('STORE_UNAVAILABLE', `cannot open SQLite database "${target.path}"`, {
        cause: error,
      })
    }
    const db = new Kysely<Tables>({
      dialect: new SqliteDialect({ database: cachingSqliteDatabase(handle) }),
      plugins: [new CamelCasePlugin()],
    })
    return {
      db,
      dialect: 'sqlite',
      codec: createCodec('sqlite'),
      target,
      schema: null,
      sqlite: handle,
      close: () => db.destroy(),
    }
  }
  // `?schema=NAME` on a Postgres URL selects the schema (an AgentCRM extension; pg never sees it).
  const parsedUrl = new URL(target.connectionString)
  const urlSchema = parsedUrl.searchParams.get('schema')
  parsedUrl.searchParams.delete('schema')
  const connectionString = urlSchema === null ? target.connectionString : parsedUrl.toString()
  const schema = options.schema ?? urlSchema ?? null
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new AppError(
      'STORE_UNSUPPORTED_URL',
      `Postgres schema "${schema}" must be lower-case letters, digits, _`,
    )
  }
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    types: postgresTypes(),
    options: `-c TimeZone=UTC${schema === null ? '' : ` -c search_path=${schema}`}`,
  })
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] })
  try {
    if (schema !== null) await sql`create schema if not exists ${sql.id(schema)}`.execute(db)
    else await sql`select 1`.execute(db)
  } catch (error) {
    await db.destroy()
    throw new AppError(
      'STORE_UNAVAILABLE',
      `cannot reach Postgres at ${redactUrl(target.connectionString)}`,
      {
        cause: error,
      },
    )
  }
  return {
    db,
    dialect: 'postgres',
    codec: createCodec('postgres'),
    target,
    schema,
    sqlite: null,
    close: () => db.destroy(),
  }
}

/** Hides a password in a connection URL before it is shown or logged. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@')
}
