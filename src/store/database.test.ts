import { describe, expect, it } from 'vitest'
import { newId } from '../core/index.js'
import { describeEachDatabase } from '../../test/support/databases.js'
import { parseDatabaseUrl } from './url.js'

describe('parseDatabaseUrl', () => {
  it('reads postgres, sqlite:, file: and bare paths', () => {
    expect(parseDatabaseUrl('postgres://u@h/db')).toEqual({
      dialect: 'postgres',
      connectionString: 'postgres://u@h/db',
    })
    expect(parseDatabaseUrl('postgresql://h/db').dialect).toBe('postgres')
    expect(parseDatabaseUrl('sqlite:data/x.db')).toEqual({ dialect: 'sqlite', path: 'data/x.db' })
    expect(parseDatabaseUrl('file:/tmp/x.db')).toEqual({ dialect: 'sqlite', path: '/tmp/x.db' })
    expect(parseDatabaseUrl('.agentcrm/agentcrm.db')).toEqual({
      dialect: 'sqlite',
      path: '.agentcrm/agentcrm.db',
    })
  })

  it('rejects other schemes with a message listing the accepted forms', () => {
    expect(() => parseDatabaseUrl('mysql://h/db')).toThrow(/postgres:\/\/.*sqlite:PATH.*file:PATH/)
    expect(() => parseDatabaseUrl('')).toThrow(/not a database address/)
  })
})

describeEachDatabase('codec', (database) => {
  it('hands back the same ids, UTC times, JSON, booleans and 64-bit counts on every database', async () => {
    const store = await database.open()
    try {
      const { codec, db } = store
      const kinds = {
        tags: 'json',
        attributes: 'json',
        createdAt: 'time',
        updatedAt: 'time',
        firstSeenAt: 'time',
      } as const
      const id = newId('customer')
      const row = {
        id,
        name: '王小明 Ming 😀',
        locale: 'zh-CN',
        tier: 'vip',
        lifecycleStage: 'customer',
        tags: ['vip', '复购'],
        attributes: { nested: { a: [1, 2] }, flag: true },
        firstSeenAt: '2026-01-02T03:04:05.678Z',
        createdAt: new Date('2026-11-25T00:00:00.000Z'),
        updatedAt: '2026-11-25T08:00:00+08:00',
      }
      await db.insertInto('customers').values(codec.encode(kinds, row)).execute()
      const stored = await db
        .selectFrom('customers')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      const decoded = codec.decode<Record<string, unknown>>(kinds, stored)
      expect(decoded.id).toBe(id)
      expect(decoded.name).toBe('王小明 Ming 😀')
      expect(decoded.tags).toEqual(['vip', '复购'])
      expect(decoded.attributes).toEqual({ nested: { a: [1, 2] }, flag: true })
      expect(decoded.firstSeenAt).toBe('2026-01-02T03:04:05.678Z')
      expect(decoded.createdAt).toBe('2026-11-25T00:00:00.000Z')
      expect(decoded.updatedAt).toBe('2026-11-25T00:00:00.000Z')
      expect(decoded.archivedAt).toBeNull()

      const productKinds = {
        active: 'bool',
        priceAmount: 'int',
        name: 'json',
        createdAt: 'time',
        updatedAt: 'time',
        attributes: 'json',
      } as const
      await db
        .insertInto('products')
        .values(
          codec.encode(productKinds, {
            id: newId('product'),
            sku: 'BIG-1',
            name: { zh: '大', en: 'Big' },
            searchText: 'big 大',
            priceAmount: 9_007_199_254_740_000,
            currency: 'CNY',
            attributes: {},
            active: false,
            createdAt: new Date(),
            updatedAt: new Date(),
          }),
        )
        .execute()
      const product = codec.decode<Record<string, unknown>>(
        productKinds,
        await db.selectFrom('products').selectAll().executeTakeFirstOrThrow(),
      )
      expect(product.active).toBe(false)
      expect(product.priceAmount).toBe(9_007_199_254_740_000)
      const count = await db
        .selectFrom('products')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
      expect(Number(count.n)).toBe(1)
    } finally {
      await store.dispose()
    }
  })
})
