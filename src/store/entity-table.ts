import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely'
import { AppError, newId, type ErrorCode, type IdKind } from '../core/index.js'
import type { ColumnKinds } from './codec.js'
import type { Db, Row, Store, Tables } from './database.js'

/**
 * How one table is read and written generically: codec columns, sortable and filterable fields, the
 * columns `q` searches, and the tables that reference it (so a delete answers 409 naming them).
 */
export interface EntityTable {
  readonly entity: string
  readonly table: string
  readonly idKind: IdKind
  readonly notFound: ErrorCode
  readonly columns: ColumnKinds
  /** camelCase columns that are NOT NULL, usable in `sort`. */
  readonly sortable: readonly string[]
  readonly defaultSort: readonly string[]
  /** camelCase columns usable as `?field=value` filters. */
  readonly filters: Readonly<Record<string, 'text' | 'bool' | 'int'>>
  /** camelCase columns that `q` matches by substring (case-insensitive), Chinese and English alike. */
  readonly search: readonly string[]
  readonly references: readonly { readonly table: string; readonly column: string; readonly entity: string }[]
}

export interface ListQuery {
  readonly limit?: number
  readonly cursor?: string | null
  readonly sort?: string | null
  readonly q?: string | null
  readonly filters?: Readonly<Record<string, string | number | boolean | null | undefined>>
}

export interface Page<T> {
  readonly items: T[]
  readonly nextCursor: string | null
}

type Qb = SelectQueryBuilder<Tables, string, Row>
export type Scope = (qb: Qb) => Qb

/** Reads one row by id; a missing or malformed id is the entity's NOT_FOUND error. */
export async function getRow<T>(store: Store, spec: EntityTable, id: string, db: Db = store.db): Promise<T> {
  const row = id.includes('\u0000')
    ? undefined
    : await db.selectFrom(spec.table).selectAll().where('id', '=', id).executeTakeFirst()
  if (row === undefined) {
    throw new AppError(spec.notFound, `${spec.entity} "${id}" does not exist`, { details: { id } })
  }
  return store.codec.decode<T>(spec.columns, row)
}

export async function findRow<T>(
  store: Store,
  spec: EntityTable,
  id: string,
  db: Db = store.db,
): Promise<T | null> {
  if (id.includes('\u0000')) return null
  const row = await db.selectFrom(spec.table).selectAll().where('id', '=', id).executeTakeFirst()
  return row === undefined ? null : store.codec.decode<T>(spec.columns, row)
}

interface SortKey {
  readonly column: string
  readonly descending: boolean
}

export function parseSort(spec: EntityTable, sort: string | null | undefined): SortKey[] {
  const fields = sort
    ? sort
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean)
    : [...spec.defaultSort]
  const keys = fields.map((field) => {
    const descending = field.startsWith('-')
    const column = descending ? field.slice(1) : field
    if (!spec.sortable.includes(column)) {
      throw new AppError(
        'CORE_INVALID_SORT',
        `cannot sort ${spec.entity} by "${column}"; sortable fields: ${spec.sortable.join(', ')}`,
        { details: { field: column, sortable: spec.sortable } },
      )
    }
    return { column, descending }
  })
  if (!keys.some((k) => k.column === 'id'))
    keys.push({ column: 'id', descending: keys.at(-1)?.descending ?? false })
  return keys
}

function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}

function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(values) && values.length === length) return values
  } catch {
    // fall through to the error below
  }
  throw new AppError(
    'CORE_INVALID_CURSOR',
    'the cursor is not one this list returned; start again without it',
    {
      details: { cursor },
    },
  )
}

/** `%`/`_`-escaped LIKE pattern for a substring. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`
}

/** Case-insensitive substring match on either database. */
export function containsText(
  eb: ExpressionBuilder<Tables, string>,
  dialect: Store['dialect'],
  column: string,
  text: string,
): Expression<SqlBool> {
  const pattern = likePattern(text)
  return dialect === 'postgres'
    ? sql<SqlBool>`${eb.ref(column)} ilike ${pattern}`
    : sql<SqlBool>`${eb.ref(column)} like ${pattern} escape '\\'`
}

/**
 * A page of rows with keyset pagination over the sort keys plus `id`, so pages stay stable while rows are
 * added. `scope` narrows the query (a parent id, archived rows hidden, …).
 */
export async function listRows<T>(
  store: Store,
  spec: EntityTable,
  query: ListQuery,
  scope?: Scope,
  searchScope?: (eb: ExpressionBuilder<Tables, string>, q: string) => Expression<SqlBool>,
): Promise<Page<T>> {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200)
  const keys = parseSort(spec, query.sort)
  let qb = store.db.selectFrom(spec.table).selectAll() as Qb
  if (scope) qb = scope(qb)
  for (const [field, value] of Object.entries(query.filters ?? {})) {
    if (value === undefined) continue
    const kind = spec.filters[field]
    if (kind === undefined) continue
    if (value === null) qb = qb.where(field, 'is', null)
    else qb = qb.where(field, '=', kind === 'bool' ? store.codec.bool(Boolean(value)) : value)
  }
  const q = query.q?.trim()
  if (q) {
    qb = qb.where((eb) =>
      eb.or([
        ...spec.search.map((column) => containsText(eb, store.dialect, column, q)),
        ...(searchScope ? [searchScope(eb, q)] : []),
      ]),
    )
  }
  if (query.cursor) {
    const values = decodeCursor(query.cursor, keys.length)
    qb = qb.where((eb) =>
      eb.or(
        keys.map((key, index) =>
          eb.and([
            ...keys.slice(0, index).map((prev, j) => eb(prev.column, '=', values[j] as string)),
            eb(key.column, key.descending ? '<' : '>', values[index] as string),
          ]),
        ),
      ),
    )
  }
  for (const key of keys) qb = qb.orderBy(key.column, key.descending ? 'desc' : 'asc')
  const rows = await qb.limit(limit + 1).execute()
  const more = rows.length > limit
  const page = more ? rows.slice(0, limit) : rows
  const last = page.at(-1)
  return {
    items: page.map((row) => store.codec.decode<T>(spec.columns, row)),
    nextCursor: more && last ? encodeCursor(keys.map((key) => last[key.column])) : null,
  }
}

/** Rows elsewhere that point at this one; a delete refuses with 409 naming them. */
export async function referencesTo(
  db: Db,
  spec: EntityTable,
  id: string,
): Promise<{ entity: string; count: number }[]> {
  const found: { entity: string; count: number }[] = []
  for (const ref of spec.references) {
    const row = await db
      .selectFrom(ref.table)
      .select((eb) => eb.fn.countAll().as('n'))
      .where(ref.column, '=', id)
      .executeTakeFirst()
    const count = Number(row?.n ?? 0)
    if (count > 0) found.push({ entity: ref.entity, count })
  }
  return found
}

export async function assertUnreferenced(db: Db, spec: EntityTable, id: string): Promise<void> {
  const refs = await referencesTo(db, spec, id)
  if (refs.length > 0) {
    throw new AppError(
      'CRM_REFERENCED',
      `${spec.entity} "${id}" is still referenced by ${refs.map((r) => `${r.count} ${r.entity}(s)`).join(', ')}; remove or move those first`,
      { details: { id, references: refs } },
    )
  }
}

/** Maps a database constraint violation to a clear 409/400; anything else is rethrown unchanged. */
export function translateConstraintError(error: unknown, entity: string): never {
  const e = error as { code?: string; message?: string; constraint?: string; detail?: string }
  const message = e?.message ?? ''
  if (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  ) {
    const field = /\.(\w+)$/.exec(message.split(',')[0] ?? '')?.[1] ?? /\((\w+)\)=/.exec(e.detail ?? '')?.[1]
    throw new AppError(
      'CRM_DUPLICATE',
      `a ${entity} with this ${field ? snakeToCamel(field) : 'unique value'} already exists; use a different value or update the existing one`,
      { details: { field: field ? snakeToCamel(field) : null }, cause: error },
    )
  }
  if (e?.code === '23503' || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    throw new AppError('CRM_INVALID_REFERENCE', `the ${entity} points at a record that does not exist`, {
      cause: error,
    })
  }
  throw error
}

function snakeToCamel(text: string): string {
  return text.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
}

export { newId }
