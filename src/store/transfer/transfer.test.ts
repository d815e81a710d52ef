import { Readable } from 'node:stream'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachDatabase } from '../../../test/support/databases.js'
import { cliActor } from '../../crm/actor.js'
import type { Store } from '../database.js'
import { EXPORTS, type ExportEntity } from './entities.js'
import { exportRows } from './exporter.js'
import type { ImportEntity } from './importer.js'
import { runImport } from './run-import.js'
import type { TransferFormat } from './source.js'

type TestStore = Store & { dispose(): Promise<void> }

function importText(
  store: Store,
  entity: ImportEntity,
  text: string | Buffer,
  options: { format?: TransferFormat; dryRun?: boolean; chunkSize?: number } = {},
) {
  return runImport(store, {
    entity,
    format: options.format ?? 'csv',
    input: Readable.from([typeof text === 'string' ? Buffer.from(text) : text]),
    dryRun: options.dryRun ?? false,
    actor: cliActor,
    defaultRegion: 'CN',
    chunkSize: options.chunkSize ?? 3,
  })
}

async function count(store: Store, table: string): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function counts(store: Store) {
  const tables = ['customers', 'identities', 'products', 'orders', 'order_items', 'events', 'audit_log']
  return Object.fromEntries(
    await Promise.all(tables.map(async (table) => [table, await count(store, table)])),
  )
}

async function exportText(store: Store, entity: ExportEntity, format: TransferFormat): Promise<string> {
  let text = ''
  for await (const chunk of exportRows(store, EXPORTS[entity], format)) text += chunk
  return text
}

const CUSTOMERS = [
  'external_id,name,email,phone,locale,tier,tags,first_seen_at',
  'c-1,王小明,Wang.XM@QQ.com,138 0013 8000,zh-CN,vip,a|b,2026-01-02T03:04:05+08:00',
  'c-2,"Smith, Alice",alice@example.com,,en-US,gold,,2026-01-03',
  'c-3,李雷,lilei@example.com,+86 139 0013 9000,zh-CN,standard,new,',
  'c-4,韩梅梅,hmm@example.com,,zh-CN,,,',
].join('\n')

describeEachDatabase('import and export', (database) => {
  let store: TestStore
  beforeEach(async () => {
    store = await database.open()
  })
  afterEach(async () => store?.dispose())

  it('inserts customers, then updates them when the same file is imported again', async () => {
    const first = await importText(store, 'customers', CUSTOMERS)
    expect(first).toEqual({ inserted: 4, updated: 0, rejected: [], rows: 4 })
    const wang = await store.db
      .selectFrom('customers')
      .selectAll()
      .where('externalId', '=', 'c-1')
      .executeTakeFirstOrThrow()
    expect(wang.email).toBe('wang.xm@qq.com')
    expect(wang.phone).toBe('+8613800138000')
    expect(store.codec.decode<{ tags: string[] }>({ tags: 'json' }, wang).tags).toEqual(['a', 'b'])
    const alice = await store.db
      .selectFrom('customers')
      .selectAll()
      .where('externalId', '=', 'c-2')
      .executeTakeFirstOrThrow()
    expect(alice.name).toBe('Smith, Alice')
    expect(alice.phone).toBeNull()
    expect(await count(store, 'identities')).toBe(6)
    // One audit entry per committed chunk (chunks of 3: two chunks), names only.
    const audit = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'customer.import')
      .execute()
    expect(audit).toHaveLength(2)
    const fields = JSON.stringify(audit.map((entry) => entry.fields))
    expect(fields).toContain('email')
    expect(fields).not.toContain('qq.com')

    const again = await importText(store, 'customers', CUSTOMERS.replace('王小明', '王晓明'))
    expect(again).toEqual({ inserted: 0, updated: 4, rejected: [], rows: 4 })
    expect(await count(store, 'customers')).toBe(4)
    expect(await count(store, 'identities')).toBe(6)
    const renamed = await store.db
      .selectFrom('customers')
      .select('name')
      .where('externalId', '=', 'c-1')
      .executeTakeFirstOrThrow()
    expect(renamed.name).toBe('王晓明')
  })

  it('moves the identity when a re-import changes an email', async () => {
    await importText(store, 'customers', CUSTOMERS)
    const report = await importText(
      store,
      'customers',
      'external_id,email\nc-1,new@example.com\nc-5,wang.xm@qq.com',
    )
    expect(report).toMatchObject({ inserted: 1, updated: 1, rejected: [] })
    const owners = await store.db
      .selectFrom('identities')
      .innerJoin('customers', 'customers.id', 'identities.customerId')
      .select(['identities.address', 'customers.externalId'])
      .where('identities.kind', '=', 'email')
      .execute()
    const byAddress = Object.fromEntries(owners.map((row) => [row.address, row.externalId]))
    expect(byAddress['new@example.com']).toBe('c-1')
    expect(byAddress['wang.xm@qq.com']).toBe('c-5')
  })

  it('rejects invalid rows by line and writes nothing for them while the rest commit', async () => {
    const before = await counts(store)
    const text = [
      'external_id,name,email,tier',
      'ok-1,One,one@example.com,gold',
      'bad-1,Two,not-an-email,gold',
      'bad-2,Three,three@example.com,platinum',
      'bad-3,"Four,extra",four@example.com,gold,surplus',
      'ok-2,Five,five@example.com,',
    ].join('\n')
    const report = await importText(store, 'customers', text)
    expect(report.inserted).toBe(2)
    expect(report.rejected.map((row) => row.line)).toEqual([3, 4, 5])
    expect(report.rejected[0].errors[0]).toMatch(/^email: "not-an-email" is not an email address/)
    expect(report.rejected[1].errors[0]).toMatch(/^tier: /)
    expect(report.rejected[2].errors[0]).toMatch(/5 fields but the header has 4/)
    const after = await counts(store)
    expect(after.customers - before.customers).toBe(2)
    expect(after.identities - before.identities).toBe(2)
    const names = (await store.db.selectFrom('customers').select('externalId').execute()).map(
      (row) => row.externalId,
    )
    expect(names.sort()).toEqual(['ok-1', 'ok-2'])
  })

  it('rejects an email that belongs to another customer, in the database or earlier in the file', async () => {
    await importText(store, 'customers', CUSTOMERS)
    const before = await counts(store)
    const report = await importText(
      store,
      'customers',
      'external_id,email\nx-1,WANG.XM@qq.com\nx-2,fresh@example.com\nx-3,fresh@example.com\n,alice@example.com',
    )
    expect(report.inserted).toBe(1)
    expect(report.rejected.map((row) => row.line)).toEqual([2, 4, 5])
    expect(report.rejected[0].errors[0]).toMatch(
      /^email: "wang\.xm@qq\.com" already belongs to the customer with external id "c-1"/,
    )
    const after = await counts(store)
    expect(after.customers - before.customers).toBe(1)
  })

  it('dry-run validates everything, returns the same report and writes nothing', async () => {
    await importText(store, 'customers', CUSTOMERS)
    const before = await counts(store)
    const text = [
      'external_id,name,email',
      'c-1,Updated,wang.xm@qq.com',
      'd-1,New,d1@example.com',
      'd-1,New again,d1@example.com',
      'd-2,Clash,d1@example.com',
      'd-3,Bad,nope',
      'd-4,Taken,alice@example.com',
      'd-5,Later,d5@example.com',
    ].join('\n')
    const dry = await importText(store, 'customers', text, { dryRun: true, chunkSize: 2 })
    expect(await counts(store)).toEqual(before)
    const real = await importText(store, 'customers', text, { chunkSize: 2 })
    expect(dry).toEqual(real)
    expect(real).toMatchObject({ inserted: 2, updated: 2 })
    expect(real.rejected.map((row) => row.line)).toEqual([5, 6, 7])
  })

  it('refuses a file that is not UTF-8 before writing anything, and accepts a BOM', async () => {
    const gbk = Buffer.concat([
      Buffer.from('external_id,name\nc-1,'),
      Buffer.from([0xcd, 0xf5, 0xd0, 0xa1]),
      Buffer.from('\n'),
    ])
    await expect(importText(store, 'customers', gbk)).rejects.toMatchObject({
      code: 'CRM_IMPORT_INVALID_FILE',
    })
    expect(await count(store, 'customers')).toBe(0)
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('external_id,name\nc-1,王小明\n'),
    ])
    expect(await importText(store, 'customers', bom)).toMatchObject({ inserted: 1, rejected: [] })
    const ndjsonBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"externalId":"c-2"}\n')])
    expect(await importText(store, 'customers', ndjsonBom, { format: 'jsonl' })).toMatchObject({
      inserted: 1,
    })
  })

  it('reads quoted commas, newlines and Chinese, and reports lines where records start', async () => {
    const text =
      'external_id,name,tags\r\nq-1,"王, 小明","x|y"\r\nq-2,"two\nlines",\r\nq-3,"bad""quote"x,\r\nq-4,最后,\r\n'
    const report = await importText(store, 'customers', text)
    expect(report.inserted).toBeGreaterThanOrEqual(2)
    expect(report.rejected[0]?.line).toBe(5)
    const rows = await store.db
      .selectFrom('customers')
      .select(['externalId', 'name'])
      .orderBy('externalId')
      .execute()
    expect(rows.slice(0, 2)).toEqual([
      { externalId: 'q-1', name: '王, 小明' },
      { externalId: 'q-2', name: 'two\nlines' },
    ])
  })

  it('refuses a header with unknown columns up front, naming them', async () => {
    await expect(importText(store, 'customers', 'external_id,nmae\nc-1,x')).rejects.toMatchObject({
      code: 'CRM_IMPORT_INVALID_FILE',
      message: expect.stringContaining('"nmae"'),
    })
    expect(await count(store, 'customers')).toBe(0)
  })

  it('imports NDJSON with the API shapes and rejects unknown fields per row', async () => {
    const text = [
      '{"externalId":"n-1","name":"Nested","attributes":{},"tags":["t"]}',
      '',
      '{"external_id":"n-2","unknownField":1}',
      'not json',
      '{"externalId":"n-3","firstSeenAt":"2026-01-01T00:00:00Z"}',
    ].join('\n')
    const report = await importText(store, 'customers', text, { format: 'jsonl' })
    expect(report.inserted).toBe(2)
    expect(report.rejected.map((row) => row.line)).toEqual([3, 4])
    expect(report.rejected[0].errors[0]).toContain('"unknownField"')
  })

  it('checks custom attributes against their definitions', async () => {
    const now = new Date().toISOString()
    await store.db
      .insertInto('attribute_definitions')
      .values({
        id: 'atd_1',
        entity: 'customer',
        key: 'vipLevel',
        type: 'number',
        labels: '{"en":"VIP level"}',
        options: null,
        required: store.codec.bool(false),
        createdAt: now,
        updatedAt: now,
      })
      .execute()
    const report = await importText(store, 'customers', 'external_id,attributes.vipLevel\na-1,3\na-2,high')
    expect(report.inserted).toBe(1)
    expect(report.rejected[0]).toMatchObject({ line: 3, errors: [expect.stringContaining('vipLevel')] })
    const row = await store.db
      .selectFrom('customers')
      .select('attributes')
      .where('externalId', '=', 'a-1')
      .executeTakeFirstOrThrow()
    expect(store.codec.decode<{ attributes: unknown }>({ attributes: 'json' }, row).attributes).toEqual({
      vipLevel: 3,
    })
    await expect(importText(store, 'customers', 'external_id,attributes.nope\na-3,1')).rejects.toMatchObject({
      code: 'CRM_IMPORT_INVALID_FILE',
    })
  })

  it('imports products, orders and events, upserting by SKU and number', async () => {
    await importText(store, 'customers', CUSTOMERS)
    const products = [
      'sku,name_zh,name_en,category,price_amount,currency,description_zh,description_en,active',
      'TEA-01,绿茶,Green tea,tea,2990,CNY,清香,Fresh,true',
      'TEA-02,红茶,,tea,3990,cny,,,yes',
      'TEA-03,,,tea,100,CNY,,,',
      'TEA-01,,Green tea (new),,3190,,,,',
    ].join('\n')
    const productReport = await importText(store, 'products', products)
    expect(productReport).toMatchObject({ inserted: 2, updated: 1 })
    expect(productReport.rejected).toEqual([{ line: 4, errors: ['name: give name_zh, name_en or both'] }])
    const tea = await store.db
      .selectFrom('products')
      .selectAll()
      .where('sku', '=', 'TEA-01')
      .executeTakeFirstOrThrow()
    // An empty cell clears an optional value (here the Chinese name); an empty required one keeps it.
    expect(store.codec.decode<{ name: unknown }>({ name: 'json' }, tea).name).toEqual({
      en: 'Green tea (new)',
    })
    expect(Number(tea.priceAmount)).toBe(3190)

    const orders = [
      'number,external_id,customer_external_id,status,currency,items,discount_amount,shipping_amount,placed_at',
      'SO-1,ext-1,c-1,paid,CNY,TEA-01:2:3190|UNKNOWN-9:1:500,100,0,2026-02-01T10:00:00+08:00',
      'SO-2,,c-404,paid,CNY,TEA-01:1:3190,,,2026-02-01T10:00:00Z',
      'SO-3,,c-2,paid,CNY,TEA-01:1:100,500,0,2026-02-01T10:00:00Z',
      'SO-1,,,shipped,,,,,',
    ].join('\n')
    const orderReport = await importText(store, 'orders', orders)
    expect(orderReport.rejected.slice(2)).toEqual([])
    expect(orderReport).toMatchObject({ inserted: 1, updated: 1 })
    expect(orderReport.rejected.map((row) => row.line)).toEqual([3, 4])
    expect(orderReport.rejected[0].errors[0]).toContain('c-404')
    expect(orderReport.rejected[1].errors[0]).toMatch(/discount/)
    const order = await store.db
      .selectFrom('orders')
      .selectAll()
      .where('number', '=', 'SO-1')
      .executeTakeFirstOrThrow()
    expect(order.status).toBe('shipped')
    expect(Number(order.subtotalAmount)).toBe(2 * 3190 + 500)
    expect(Number(order.totalAmount)).toBe(2 * 3190 + 500 - 100)
    const items = await store.db
      .selectFrom('order_items')
      .selectAll()
      .where('orderId', '=', order.id as string)
      .orderBy('position')
      .execute()
    expect(items.map((item) => [item.sku, item.productId === null])).toEqual([
      ['TEA-01', false],
      ['UNKNOWN-9', true],
    ])

    const events = [
      'type,customer_external_id,anonymous_id,session_id,sku,source,occurred_at,properties',
      'page_view,c-1,,s-1,TEA-01,web,2026-02-01T10:00:00Z,"{""path"":""/tea""}"',
      'add_to_cart,,anon-1,s-2,NOPE,web,2026-02-01T10:00:00Z,',
      'page_view,,,s-3,,web,,',
      'Bad Type,c-1,,,,,,',
    ].join('\n')
    const eventReport = await importText(store, 'events', events)
    expect(eventReport).toMatchObject({ inserted: 2, updated: 0 })
    expect(eventReport.rejected.map((row) => row.line)).toEqual([4, 5])
    const anonymous = await store.db
      .selectFrom('events')
      .selectAll()
      .where('anonymousId', '=', 'anon-1')
      .executeTakeFirstOrThrow()
    expect(
      JSON.parse(
        typeof anonymous.properties === 'string'
          ? anonymous.properties
          : JSON.stringify(anonymous.properties),
      ),
    ).toEqual({ sku: 'NOPE' })
  })

  it('exports every entity as CSV and JSON lines that re-import cleanly into an empty database', async () => {
    await importText(store, 'customers', CUSTOMERS)
    await importText(
      store,
      'products',
      'sku,name_zh,name_en,price_amount,currency\nTEA-01,"绿茶, 特级","Green ""tea""",2990,CNY',
    )
    await importText(
      store,
      'orders',
      'number,customer_external_id,currency,items,placed_at,refunds\nSO-1,c-1,CNY,TEA-01:2:2990,2026-02-01T10:00:00Z,"[{""amount"":{""amount"":100,""currency"":""CNY""},""at"":""2026-02-02T00:00:00Z""}]"',
    )
    await importText(
      store,
      'events',
      'type,customer_external_id,sku,properties\nview,c-1,TEA-01,"{""a"":[1,2]}"',
    )
    const copy = (await database.open()) as TestStore
    const copyJsonl = (await database.open()) as TestStore
    try {
      for (const entity of ['customers', 'products', 'orders', 'events'] as const) {
        const csv = await exportText(store, entity, 'csv')
        const report = await importText(copy, entity, csv)
        expect({ entity, rejected: report.rejected }).toEqual({ entity, rejected: [] })
        const jsonl = await exportText(store, entity, 'jsonl')
        const jsonReport = await importText(copyJsonl, entity, jsonl, { format: 'jsonl' })
        expect({ entity, rejected: jsonReport.rejected }).toEqual({ entity, rejected: [] })
      }
      for (const target of [copy, copyJsonl]) {
        for (const entity of ['customers', 'products', 'orders', 'events'] as const) {
          const strip = (text: string) =>
            text.replace(/(cus|prd|ord|evt)_[0-9A-Z]{26}/g, 'ID').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z,?/g, '')
          // Times of creation differ; everything the import reads must survive.
          const original = strip(await exportText(store, entity, 'csv'))
          expect(strip(await exportText(target, entity, 'csv'))).toEqual(original)
        }
      }
      // And importing the export into the same database updates rather than duplicates.
      const again = await importText(store, 'customers', await exportText(store, 'customers', 'csv'))
      expect(again).toMatchObject({ inserted: 0, updated: 4, rejected: [] })
    } finally {
      await copy.dispose()
      await copyJsonl.dispose()
    }
  })

  it('exports companies with their attributes header', async () => {
    const now = new Date().toISOString()
    await store.db
      .insertInto('companies')
      .values({
        id: 'com_1',
        externalId: 'co-1',
        name: 'Acme, Inc.',
        attributes: '{}',
        createdAt: now,
        updatedAt: now,
      })
      .execute()
    const csv = await exportText(store, 'companies', 'csv')
    expect(csv.split('\n')[0]).toBe('id,external_id,name,domain,industry,created_at,updated_at')
    expect(csv).toContain('"Acme, Inc."')
  })
})
