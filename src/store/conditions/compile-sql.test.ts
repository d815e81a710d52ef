import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeEachDatabase } from '../../../test/support/databases.js'
import { AppError } from '../../core/index.js'
import {
  evaluateCondition,
  operatorsFor,
  validateCondition,
  weeklyBusinessHours,
  type Condition,
  type ConditionOptions,
  type FieldCatalogue,
  type FieldCondition,
} from '../../crm/conditions/index.js'
import type { Store } from '../database.js'
import { columnTypes } from '../migrations/types.js'
import { compileCondition, type ColumnMap, type CompileConditionOptions } from './compile-sql.js'

const TIERS = ['standard', 'silver', 'gold', 'vip']
const PLANS = ['free', 'pro', 'team']
const TAGS = ['vip', 'repeat-buyer', 'VIP-early', 'late']
const NAMES = ['Alice LAWYER', 'bob the builder', '王律师', 'Émile Zola', 'O\'Brien "; drop table x; --', '']
const TIMES = [
  '2025-06-01T08:00:00.000Z',
  '2025-06-01T08:00:00.001Z',
  '2026-01-01T00:00:00.000Z',
  '2024-02-29T23:59:59.999Z',
]

const catalogue: FieldCatalogue = {
  'row.tier': { type: 'string', values: TIERS, description: 'tier column' },
  'row.name': { type: 'string', description: 'free text column' },
  'row.visits': { type: 'number', description: 'integer column' },
  'row.score': { type: 'number', description: 'floating-point column' },
  'row.active': { type: 'boolean', description: 'boolean column' },
  'row.seen_at': { type: 'datetime', description: 'time column' },
  'row.tags': { type: 'string[]', description: 'JSON array column' },
  'row.total': { type: 'money', description: 'amount and currency columns' },
  'row.attributes.level': { type: 'number', description: 'JSON number' },
  'row.attributes.plan': { type: 'string', values: PLANS, description: 'JSON select' },
  'row.attributes.note': { type: 'string', description: 'JSON text' },
  'row.attributes.optin': { type: 'boolean', description: 'JSON boolean' },
  'row.attributes.since': { type: 'datetime', description: 'JSON date (exists only in SQL)' },
}

const columns: ColumnMap = {
  'row.tier': { column: 'tier' },
  'row.name': { column: 'name' },
  'row.visits': { column: 'visits' },
  'row.score': { column: 'score' },
  'row.active': { column: 'active' },
  'row.seen_at': { column: 'seenAt' },
  'row.tags': { column: 'tags' },
  'row.total': { amount: 'totalAmount', currency: 'currency' },
  'row.attributes.*': { json: 'attributes' },
}

const clock = {
  now: new Date('2026-11-25T02:00:00Z'),
  timeZone: 'Asia/Shanghai',
  businessHours: weeklyBusinessHours({ days: [1, 2, 3, 4, 5], start: '09:00', end: '21:00' }),
}
const options: ConditionOptions = { ...clock, baseCurrency: 'CNY', catalogue }

interface ProbeRow {
  id: string
  tier: string | null
  name: string | null
  visits: number | null
  score: number | null
  active: boolean | null
  seenAt: string | null
  tags: unknown
  totalAmount: number | null
  currency: string | null
  attributes: Record<string, unknown>
}

const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null, freq: 4 })
// Attributes may hold values of the wrong type (definitions change after values were written) or JSON null.
const attributeValue = (arbitrary: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 6, arbitrary }, fc.constant(null), fc.constantFrom('3', 7, true, 'pro'))
const rowArbitrary: fc.Arbitrary<Omit<ProbeRow, 'id'>> = fc.record({
  tier: maybe(fc.constantFrom(...TIERS)),
  name: maybe(fc.constantFrom(...NAMES)),
  visits: maybe(fc.integer({ min: -2, max: 5 })),
  score: maybe(fc.constantFrom(-3, 0, 0.5, 1.25, 2)),
  active: maybe(fc.boolean()),
  seenAt: maybe(fc.constantFrom(...TIMES)),
  tags: fc.oneof(
    { weight: 5, arbitrary: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 3 }) },
    fc.constant(null),
    fc.constant('vip'),
    fc.constant([1, 'late']),
  ),
  totalAmount: maybe(fc.constantFrom(0, 999, 1000, 50000, 50001, 62000)),
  currency: fc.constantFrom('CNY', 'CNY', 'USD'),
  attributes: fc.record(
    {
      level: attributeValue(fc.constantFrom(-1, 0, 2, 2.5, 3, 5)),
      plan: attributeValue(fc.constantFrom(...PLANS)),
      note: attributeValue(fc.constantFrom('call me LATER', 'vip customer', '无')),
      optin: attributeValue(fc.boolean()),
      since: attributeValue(fc.constantFrom('2025-06-01', '2026-01-01T08:00:00+08:00')),
    },
    { requiredKeys: [] },
  ),
})

function rows(): ProbeRow[] {
  const generated = fc.sample(rowArbitrary, { seed: 20261125, numRuns: 80 })
  const empty = { tier: null, name: null, visits: null, score: null, active: null, seenAt: null, tags: null }
  const edges: Omit<ProbeRow, 'id'>[] = [
    { ...empty, totalAmount: null, currency: null, attributes: {} },
    { ...empty, tags: [], totalAmount: 50000, currency: 'USD', attributes: { level: null } },
  ]
  return [...edges, ...generated].map((row, index) => ({ id: `r${String(index).padStart(3, '0')}`, ...row }))
}

function facts(row: ProbeRow) {
  const total = row.totalAmount === null ? null : { amount: row.totalAmount, currency: row.currency }
  return {
    row: {
      tier: row.tier,
      name: row.name,
      visits: row.visits,
      score: row.score,
      active: row.active,
      seen_at: row.seenAt,
      tags: row.tags,
      total,
      attributes: row.attributes,
    },
  }
}

const VALUES: Record<string, fc.Arbitrary<unknown>> = {
  'row.tier': fc.constantFrom(...TIERS),
  'row.name': fc.constantFrom('LAWYER', 'lawyer', 'Builder', '律师', 'émile', 'É', "'", '"; drop'),
  'row.visits': fc.integer({ min: -2, max: 5 }),
  'row.score': fc.constantFrom(-3, 0, 0.5, 1, 1.25, 2),
  'row.active': fc.boolean(),
  'row.seen_at': fc.constantFrom(
    ...TIMES,
    '2025-06-01',
    '2025-06-01T16:00:00+08:00',
    '2026-01-01T08:00+08:00',
  ),
  'row.tags': fc.constantFrom(...TAGS, 'vip-EARLY', 'LATE'),
  'row.total': fc.constantFrom(0, 9.99, 10, 500, 500.01, 620, 1000),
  'row.attributes.level': fc.constantFrom(-1, 0, 2, 2.5, 3, 5),
  'row.attributes.plan': fc.constantFrom(...PLANS),
  'row.attributes.note': fc.constantFrom('LATER', 'later', 'vip', '无'),
  'row.attributes.optin': fc.boolean(),
}

function leafArbitrary(): fc.Arbitrary<Condition> {
  return fc.constantFrom(...Object.keys(catalogue)).chain((field) => {
    const spec = catalogue[field]
    // A datetime inside JSON compiles only for exists/not_exists (see compile-sql.ts).
    const operators = field === 'row.attributes.since' ? ['exists', 'not_exists'] : operatorsFor(spec)
    return fc.constantFrom(...operators).chain((op): fc.Arbitrary<Condition> => {
      if (op === 'exists' || op === 'not_exists') return fc.constant({ field, op })
      const value = VALUES[field]
      if (op === 'in' || op === 'not_in') {
        return fc
          .uniqueArray(value, { minLength: 1, maxLength: 3 })
          .map((list) => ({ field, op, value: list }) as FieldCondition)
      }
      if (op === 'matches') {
        return fc
          .oneof(value, fc.uniqueArray(value, { minLength: 1, maxLength: 2 }))
          .map((needles) => ({ field, op, value: needles }) as FieldCondition)
      }
      return value.map((item) => ({ field, op, value: item }) as FieldCondition)
    })
  })
}

const conditionArbitrary: fc.Arbitrary<Condition> = fc.letrec<{ condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'condition' },
    { weight: 4, arbitrary: leafArbitrary() },
    fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
    tie('condition').map((not) => ({ not })),
    fc.boolean().map((within_business_hours) => ({ within_business_hours })),
  ),
})).condition

const kinds = {
  active: 'bool',
  seenAt: 'time',
  tags: 'json',
  attributes: 'json',
  totalAmount: 'int',
} as const

describeEachDatabase('compileCondition', (database) => {
  let store: Store & { dispose(): Promise<void> }
  const probe = rows()
  const compileOptions = (): CompileConditionOptions => ({
    dialect: store.dialect,
    columns,
    catalogue,
    baseCurrency: 'CNY',
    clock,
  })
  const select = async (condition: Condition): Promise<string[]> => {
    const found = await store.db
      .selectFrom('condition_probe')
      .select('id')
      .where(compileCondition(condition, compileOptions()))
      .orderBy('id')
      .execute()
    return found.map((row) => row.id as string)
  }
  const inMemory = (condition: Condition): string[] =>
    probe.filter((row) => evaluateCondition(condition, facts(row), options)).map((row) => row.id)

  beforeAll(async () => {
    store = await database.open()
    const t = columnTypes(store.dialect)
    await store.db.schema
      .createTable('condition_probe')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('tier', 'text')
      .addColumn('name', 'text')
      .addColumn('visits', t.int)
      .addColumn('score', store.dialect === 'postgres' ? 'double precision' : 'real')
      .addColumn('active', t.bool)
      .addColumn('seen_at', t.time)
      .addColumn('tags', t.json)
      .addColumn('total_amount', t.int)
      .addColumn('currency', 'text')
      .addColumn('attributes', t.json, (column) => column.notNull())
      .execute()
    await store.db
      .insertInto('condition_probe')
      .values(probe.map((row) => store.codec.encode(kinds, { ...row })))
      .execute()
  })
  afterAll(async () => {
    await store?.dispose()
  })

  it('selects the same rows as evaluateCondition for generated conditions', async () => {
    let discriminating = 0
    const runs = 300
    await fc.assert(
      fc.asyncProperty(conditionArbitrary, async (condition) => {
        expect(validateCondition(condition, catalogue)).toEqual({ ok: true })
        const expected = inMemory(condition)
        expect(await select(condition)).toEqual(expected)
        if (expected.length > 0 && expected.length < probe.length) discriminating += 1
      }),
      { seed: 1125, numRuns: runs },
    )
    // Most conditions split the rows, so agreeing on them means something.
    expect(discriminating).toBeGreaterThan(runs / 2)
  })

  it('agrees on each operator and on missing values, row by row', async () => {
    const cases: Condition[] = [
      { field: 'row.name', op: 'matches', value: ['lawyer', '律师'] },
      { field: 'row.name', op: 'contains', value: 'LAWYER' },
      { field: 'row.name', op: 'matches', value: 'é' },
      { not: { field: 'row.attributes.level', op: 'gt', value: 2 } },
      { field: 'row.attributes.level', op: 'ne', value: 3 },
      { field: 'row.attributes.optin', op: 'eq', value: true },
      { field: 'row.attributes.plan', op: 'not_in', value: ['pro'] },
      { field: 'row.attributes.since', op: 'exists' },
      { field: 'row.tags', op: 'not_in', value: ['vip'] },
      { field: 'row.tags', op: 'matches', value: 'vip' },
      { field: 'row.total', op: 'gt', value: 500 },
      { field: 'row.total', op: 'eq', value: 500.01 },
      { field: 'row.seen_at', op: 'lte', value: '2025-06-01T16:00:00+08:00' },
      { field: 'row.active', op: 'ne', value: true },
      { field: 'row.score', op: 'in', value: [0.5, 2] },
    ]
    for (const condition of cases)
      expect(await select(condition), JSON.stringify(condition)).toEqual(inMemory(condition))
    // The facts behind a few of them, so that the comparison is not vacuous.
    expect(inMemory(cases[0]).length).toBeGreaterThan(0)
    expect(inMemory(cases[10]).length).toBeGreaterThan(0)
    expect(inMemory({ field: 'row.attributes.level', op: 'not_exists' })).toContain('r000')
  })

  it('compiles business hours to a constant for the clock it is given', async () => {
    expect(await select({ within_business_hours: true })).toHaveLength(probe.length)
    expect(await select({ within_business_hours: false })).toEqual([])
  })

  it('binds every value as a parameter', async () => {
    const query = store.db
      .selectFrom('condition_probe')
      .select('id')
      .where(
        compileCondition(
          { field: 'row.name', op: 'eq', value: 'O\'Brien "; drop table x; --' },
          compileOptions(),
        ),
      )
      .compile()
    expect(query.sql).not.toContain('drop table')
    expect(query.parameters).toContain('O\'Brien "; drop table x; --')
  })
})

describe('compileCondition refusals', () => {
  const base: CompileConditionOptions = { dialect: 'sqlite', columns, catalogue, baseCurrency: 'CNY' }
  const refusal = (condition: Condition, options: CompileConditionOptions = base): AppError => {
    try {
      compileCondition(condition, options)
    } catch (error) {
      if (error instanceof AppError) return error
      throw error
    }
    throw new Error('expected compileCondition to refuse')
  }

  it('refuses a field that is not in the column map and lists the ones that are', () => {
    const error = refusal(
      { field: 'order.status', op: 'eq', value: 'paid' },
      {
        ...base,
        catalogue: { ...catalogue, 'order.status': { type: 'string', description: 'order status' } },
      },
    )
    expect(error.code).toBe('STORE_CONDITION_UNSUPPORTED')
    expect(error.message).toMatch(
      /^field "order.status" cannot be queried here; queryable fields: row.active, row.attributes.\*/,
    )
  })

  it('refuses an invalid condition with every issue and its path', () => {
    const error = refusal({
      all: [
        { field: 'row.tierr', op: 'eq', value: 'vip' },
        { field: 'row.visits', op: 'gt', value: 'x' },
      ],
    })
    expect(error.code).toBe('STORE_CONDITION_INVALID')
    expect(error.status).toBe(400)
    expect(error.message).toMatch(
      /^invalid condition at all\[0\]\.field: unknown field "row.tierr"; .* \(and 1 more\)$/,
    )
    expect((error.details as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual([
      'all[0].field',
      'all[1].value',
    ])
  })

  it('refuses comparisons of a datetime inside JSON, and business hours without a clock', () => {
    expect(refusal({ field: 'row.attributes.since', op: 'gt', value: '2026-01-01' }).message).toMatch(
      /inside JSON column "attributes"; use exists\/not_exists/,
    )
    expect(refusal({ within_business_hours: true }).code).toBe('STORE_CONDITION_UNSUPPORTED')
  })

  it('refuses a mapped JSON key that is not a plain name', () => {
    const odd = { ...catalogue, 'row.odd': { type: 'number' as const, description: 'odd key' } }
    const oddColumns = { ...columns, 'row.odd': { json: 'attributes', key: "a'b" } }
    expect(
      refusal({ field: 'row.odd', op: 'gt', value: 1 }, { ...base, catalogue: odd, columns: oddColumns })
        .message,
    ).toBe(`field "row.odd" cannot be queried: JSON keys must be letters, digits and _; got "a'b"`)
  })
})
