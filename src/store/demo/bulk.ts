import type { ColumnKinds } from '../codec.js'
import type { Db, Store } from '../database.js'

/**
 * Inserts many rows in multi-row statements sized under both databases' bind-parameter limits.
 * The caller decides the transaction; this only batches.
 */
export async function insertMany(
  store: Store,
  db: Db,
  table: string,
  kinds: ColumnKinds,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return
  const columns = Object.keys(rows[0]).length
  const perStatement = Math.max(1, Math.floor((store.dialect === 'sqlite' ? 30_000 : 60_000) / columns))
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement).map((row) => store.codec.encode(kinds, row))
    await db.insertInto(table).values(chunk).execute()
  }
}
