import type SQLite from 'better-sqlite3'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

/**
 * The SQLite handle Kysely's dialect sees, with a bounded cache of prepared statements keyed by SQL text.
 * Kysely's SQLite driver calls `prepare(sql)` for every query, and better-sqlite3 compiles the statement
 * again each time — about a third of the time SQLite spent in `bench:flow`. Kysely's compiled SQL text is
 * stable per query shape (values are bound as parameters), so a few hundred entries hold every statement
 * the app runs; the least recently used one is dropped beyond `capacity`.
 *
 * A cached statement that is still busy (a streamed query being iterated) is not handed out again: the
 * caller gets a fresh statement. Statements survive schema changes (SQLite re-prepares them itself).
 */
export function cachingSqliteDatabase(handle: SQLite.Database, capacity = 500): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>()
  return {
    prepare(source: string): SqliteStatement {
      const cached = statements.get(source)
      if (cached !== undefined) {
        if (cached.busy) return handle.prepare(source)
        // most recently used last: Map keeps insertion order
        statements.delete(source)
        statements.set(source, cached)
        return cached
      }
      const statement = handle.prepare(source)
      statements.set(source, statement)
      if (statements.size > capacity) statements.delete(statements.keys().next().value as string)
      return statement
    },
    close() {
      statements.clear()
      handle.close()
    },
  }
}
