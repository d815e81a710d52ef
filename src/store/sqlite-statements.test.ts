import SQLite from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { cachingSqliteDatabase } from './sqlite-statements.js'

function counted(handle: SQLite.Database) {
  const sources: string[] = []
  const prepare = handle.prepare.bind(handle)
  handle.prepare = ((source: string) => {
    sources.push(source)
    return prepare(source)
  }) as typeof handle.prepare
  return sources
}

describe('cachingSqliteDatabase', () => {
  it('prepares each SQL text once and binds fresh values on every run', () => {
    const handle = new SQLite(':memory:')
    handle.exec('create table t (id integer primary key, name text)')
    const sources = counted(handle)
    const db = cachingSqliteDatabase(handle)
    for (let i = 0; i < 5; i++) db.prepare('insert into t (id, name) values (?, ?)').run([i, `n${i}`])
    const select = db.prepare('select name from t where id = ?')
    expect(select.all([3])).toEqual([{ name: 'n3' }])
    expect(db.prepare('select name from t where id = ?').all([4])).toEqual([{ name: 'n4' }])
    expect(sources).toEqual(['insert into t (id, name) values (?, ?)', 'select name from t where id = ?'])
    db.close()
  })

  it('hands out a fresh statement while the cached one is still iterating', () => {
    const handle = new SQLite(':memory:')
    handle.exec('create table t (id integer primary key); insert into t values (1), (2), (3)')
    const db = cachingSqliteDatabase(handle)
    const ids: unknown[] = []
    for (const row of db.prepare('select id from t order by id').iterate([])) {
      // the same SQL inside the loop would throw "This statement is busy" with a shared statement
      ids.push(row, db.prepare('select id from t order by id').all([]).length)
    }
    expect(ids).toEqual([{ id: 1 }, 3, { id: 2 }, 3, { id: 3 }, 3])
    db.close()
  })

  it('keeps at most `capacity` statements, dropping the least recently used', () => {
    const handle = new SQLite(':memory:')
    const sources = counted(handle)
    const db = cachingSqliteDatabase(handle, 2)
    db.prepare('select 1')
    db.prepare('select 2')
    db.prepare('select 1') // now the most recent
    db.prepare('select 3') // evicts `select 2`
    db.prepare('select 1')
    db.prepare('select 2')
    expect(sources).toEqual(['select 1', 'select 2', 'select 3', 'select 2'])
    db.close()
  })

  it('reads new columns through a cached `select *` after the schema changed', () => {
    const handle = new SQLite(':memory:')
    handle.exec('create table t (a integer)')
    const db = cachingSqliteDatabase(handle)
    db.prepare('insert into t (a) values (?)').run([1])
    expect(db.prepare('select * from t order by a').all([])).toEqual([{ a: 1 }])
    handle.exec('alter table t add column b text')
    db.prepare('insert into t (a) values (?)').run([2])
    expect(db.prepare('select * from t order by a').all([])).toEqual([
      { a: 1, b: null },
      { a: 2, b: null },
    ])
    db.close()
  })
})
