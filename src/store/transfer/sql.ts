import type SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import type { Actor } from '../../crm/actor.js'
import { writeAudit } from '../audit.js'
import type { ColumnKinds } from '../codec.js'
import type { Db, Row, Store } from '../database.js'

/** Values per `in (…)` list: well under both databases' bind-parameter limits. */
const IN_LIST = 1000

/** Rows whose `column` is one of `values`, in as few queries as the parameter limits allow. */
export async function selectIn(
  store: Store,
  table: string,
  column: string,
  values: readonly string[],
  columns?: readonly string[],
  /** Further `column = value` conditions. */
  where: Readonly<Record<string, string>> = {},
): Promise<Row[]> {
  const unique = [...new Set(values)]
  const rows: Row[] = []
  const equal = Object.entries(where)
  if (store.sqlite) {
    // Cached statements (one per list length) instead of building and preparing each query anew.
    for (let start = 0; start < unique.length; start += IN_LIST) {
      const slice = unique.slice(start, start + IN_LIST)
      const selected = columns ? columns.map((name) => `"${snake(name)}"`).join(', ') : '*'
      const conditions = equal.map(([name]) => ` and "${snake(name)}" = ?`).join('')
      const text = `select ${selected} from "${table}" where "${snake(column)}" in (${slice.map(() => '?').join(', ')})${conditions}`
      const parameters = [...slice, ...equal.map(([, value]) => value)]
      for (const row of sqliteStatement(store.sqlite, text).all(parameters) as Row[])
        rows.push(camelKeys(row))
    }
    return rows
  }
  for (let start = 0; start < unique.length; start += IN_LIST) {
    const slice = unique.slice(start, start + IN_LIST)
    let query = store.db.selectFrom(table).where(column, 'in', slice)
    for (const [name, value] of equal) query = query.where(name, '=', value)
    rows.push(...(await (columns ? query.select(columns as string[]) : query.selectAll()).execute()))
  }
  return rows
}

function perStatement(store: Store, columns: number): number {
  return Math.max(1, Math.floor((store.dialect === 'sqlite' ? 30_000 : 60_000) / Math.max(1, columns)))
}

/**
 * On SQLite the bulk writes of an import skip the query builder: one cached prepared statement per table and
 * column list, run once per row inside the caller's transaction (the same connection Kysely holds, so the
 * transaction covers them). Building and preparing a fresh 30,000-parameter statement per batch cost more
 * than the inserts themselves.
 */
const prepared = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>()

function sqliteStatement(handle: SQLite.Database, text: string): SQLite.Statement {
  let cache = prepared.get(handle)
  if (cache === undefined) {
    cache = new Map()
    prepared.set(handle, cache)
  }
  let statement = cache.get(text)
  if (statement === undefined) {
    statement = handle.prepare(text)
    cache.set(text, statement)
  }
  return statement
}

const snake = (column: string) => column.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
const camel = (column: string) => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

function camelKeys(row: Row): Row {
  const out: Row = {}
  for (const key in row) out[camel(key)] = row[key]
  return out
}

/** Rows per prepared multi-row statement: fewer statement runs, well under SQLite's 32,766 parameters. */
const SQLITE_ROWS_PER_STATEMENT = 50

function sqliteWrite(
  handle: SQLite.Database,
  table: string,
  kinds: ColumnKinds,
  rows: readonly Record<string, unknown>[],
  upsert: boolean,
): void {
  const columns = Object.keys(rows[0])
  const names = columns.map(snake)
  const updates = names.filter((name) => name !== 'id' && name !== 'created_at')
  const tuple = `(${names.map(() => '?').join(', ')})`
  const statements = new Map<number, SQLite.Statement>()
  const statementFor = (count: number) => {
    let statement = statements.get(count)
    if (statement === undefined) {
      statement = sqliteStatement(
        handle,
        `insert into "${table}" (${names.map((name) => `"${name}"`).join(', ')}) values ${Array(count).fill(tuple).join(', ')}` +
          (upsert
            ? ` on conflict ("id") do update set ${updates.map((name) => `"${name}" = excluded."${name}"`).join(', ')}`
            : ''),
      )
      statements.set(count, statement)
    }
    return statement
  }
  for (let start = 0; start < rows.length; start += SQLITE_ROWS_PER_STATEMENT) {
    const count = Math.min(SQLITE_ROWS_PER_STATEMENT, rows.length - start)
    const values: unknown[] = new Array(count * columns.length)
    let position = 0
    for (let offset = start; offset < start + count; offset++) {
      const row = rows[offset]
      for (let index = 0; index < columns.length; index++) {
        const column = columns[index]
        values[position++] = encodeValue(kinds[column], row[column])
      }
    }
    statementFor(count).run(values)
  }
}

/** The codec's SQLite encoding, without re-parsing times that are already ISO-8601 `Z` text. */
function encodeValue(kind: ColumnKinds[string] | undefined, value: unknown): unknown {
  if (value === null || value === undefined || kind === undefined) return value ?? null
  switch (kind) {
    case 'json':
      return JSON.stringify(value)
    case 'bool':
      return value ? 1 : 0
    case 'time':
      return typeof value === 'string' && value.length === 24 && value.endsWith('Z')
        ? value
        : new Date(value as string).toISOString()
    default:
      return value
  }
}

/** Inserts rows (all with the same keys) in multi-row statements; the caller holds the transaction. */
export async function insertRows(
  store: Store,
  db: Db,
  table: string,
  kinds: ColumnKinds,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return
  if (store.sqlite) return sqliteWrite(store.sqlite, table, kinds, rows, false)
  const size = perStatement(store, Object.keys(rows[0]).length)
  for (let start = 0; start < rows.length; start += size) {
    const values = rows.slice(start, start + size).map((row) => store.codec.encode(kinds, row))
    await db.insertInto(table).values(values).execute()
  }
}

/**
 * Rewrites existing rows (complete rows, all with the same keys) in multi-row `insert … on conflict (id) do
 * update` statements — one statement per few thousand rows instead of one `update` per row. Works the same on
 * SQLite and Postgres; `createdAt` is never rewritten.
 */
export async function upsertRows(
  store: Store,
  db: Db,
  table: string,
  kinds: ColumnKinds,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return
  if (store.sqlite) return sqliteWrite(store.sqlite, table, kinds, rows, true)
  const columns = Object.keys(rows[0]).filter((column) => column !== 'id' && column !== 'createdAt')
  const size = perStatement(store, columns.length + 2)
  for (let start = 0; start < rows.length; start += size) {
    const values = rows.slice(start, start + size).map((row) => store.codec.encode(kinds, row))
    await db
      .insertInto(table)
      .values(values)
      .onConflict((conflict) =>
        conflict
          .column('id')
          .doUpdateSet(Object.fromEntries(columns.map((column) => [column, sql.ref(`excluded.${column}`)]))),
      )
      .execute()
  }
}

/** Whether an error is a database constraint violation (a row conflicts with data written meanwhile). */
export function isConstraintError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code
  return typeof code === 'string' && (/^23\d{3}$/.test(code) || code.startsWith('SQLITE_CONSTRAINT'))
}

/** Summary of one committed chunk for its single audit entry: field names and counts, never values. */
export interface ChunkAudit {
  readonly entity: 'customer' | 'product' | 'order' | 'event'
  readonly fields: Iterable<string>
  readonly inserted: number
  readonly updated: number
  readonly firstLine: number
  readonly lastLine: number
}

/** One audit entry per committed chunk of an import. */
export async function auditChunk(
  db: Db,
  store: Store,
  actor: Actor,
  chunk: ChunkAudit,
  at: Date,
): Promise<void> {
  await writeAudit(
    db,
    store.codec,
    actor,
    {
      action: `${chunk.entity}.import`,
      targetType: chunk.entity,
      targetId: null,
      fields: [...new Set(chunk.fields)],
      details: {
        inserted: chunk.inserted,
        updated: chunk.updated,
        firstLine: chunk.firstLine,
        lastLine: chunk.lastLine,
      },
    },
    at,
  )
}
