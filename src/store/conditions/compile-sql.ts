import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely'
import { AppError } from '../../core/index.js'
import {
  foldCase,
  isWithinBusinessHours,
  parseDateTime,
  toMinorUnits,
  validateCondition,
  type Condition,
  type ConditionOptions,
  type ConditionScalar,
  type FieldCatalogue,
  type FieldCondition,
  type FieldType,
} from '../../crm/conditions/index.js'
import type { Dialect } from '../codec.js'

/**
 * Where a field's value lives in a row. Column names are written as in Kysely queries (camelCase is turned
 * into snake_case by the store's CamelCasePlugin) and may carry a table alias (`c.tier`).
 *
 * - `{ column }`: a column holding the value in its field type (text, integer or real, boolean, time; a JSON
 *   array for `string[]` fields);
 * - `{ json, key }`: a key of a JSON object column (`attributes`). Map `customer.attributes.*` to `{ json }`
 *   without a key and every `customer.attributes.<key>` field reads that key;
 * - `{ amount, currency? }`: money as integer minor units plus a currency column; without a currency column
 *   the amounts are taken to be in the base currency.
 */
export type ColumnSource =
  | { readonly column: string }
  | { readonly json: string; readonly key?: string }
  | { readonly amount: string; readonly currency?: string }

/** Field name (or `prefix.*`) → where it lives. Only mapped fields compile. */
export type ColumnMap = Readonly<Record<string, ColumnSource>>

export interface CompileConditionOptions {
  readonly dialect: Dialect
  readonly columns: ColumnMap
  /** Field types: the condition is validated against it before compiling. */
  readonly catalogue: FieldCatalogue
  /** Money values in conditions are major units of this currency (as in evaluateCondition). */
  readonly baseCurrency: string
  /** Needed only for `within_business_hours`, which compiles to a constant for this time. */
  readonly clock?: Pick<ConditionOptions, 'now' | 'timeZone' | 'businessHours'>
}

type Sql = RawBuilder<unknown>

const JSON_KEY = /^[A-Za-z0-9_]+$/
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'

/**
 * Compiles a condition to a SQL boolean expression for `where`, on SQLite or Postgres, that selects exactly
 * the rows for which `evaluateCondition` holds on the same values (same missing-fact, type, money and case
 * folding rules; a property test holds the two together). Every value is a bound parameter.
 *
 * Refuses with `STORE_CONDITION_INVALID` a condition that fails `validateCondition`, and with
 * `STORE_CONDITION_UNSUPPORTED` a field that is not in `columns`, a comparison SQL cannot make the same way
 * (a datetime inside JSON), or `within_business_hours` without `clock`.
 *
 * @example
 *   const where = compileCondition({ field: 'customer.attributes.vipLevel', op: 'gte', value: 2 }, {
 *     dialect: store.dialect, catalogue, baseCurrency: 'CNY',
 *     columns: { 'customer.tier': { column: 'tier' }, 'customer.attributes.*': { json: 'attributes' } },
 *   })
 *   await store.db.selectFrom('customers').select('id').where(where).execute()
 */
export function compileCondition(
  condition: Condition,
  options: CompileConditionOptions,
): Expression<SqlBool> {
  const validation = validateCondition(condition, options.catalogue)
  if (!validation.ok) {
    const [first] = validation.issues
    throw new AppError(
      'STORE_CONDITION_INVALID',
      `invalid condition${first.path ? ` at ${first.path}` : ''}: ${first.message}${validation.issues.length > 1 ? ` (and ${validation.issues.length - 1} more)` : ''}`,
      { details: { issues: validation.issues } },
    )
  }
  return createCompiler(options)(condition) as RawBuilder<SqlBool>
}

type Source =
  | { kind: 'column'; column: string }
  | { kind: 'json'; column: string; key: string }
  | { kind: 'money'; amount: string; currency: string | undefined }

/** Builds the compiler for one dialect and column map; options are read through the closure, not `this`. */
function createCompiler(options: CompileConditionOptions): (condition: Condition) => Sql {
  const postgres = options.dialect === 'postgres'

  function node(condition: Condition): Sql {
    if ('all' in condition) return group(condition.all, sql` and `)
    if ('any' in condition) return group(condition.any, sql` or `)
    if ('not' in condition) return sql`(not ${node(condition.not)})`
    if ('within_business_hours' in condition) {
      const clock = options.clock
      if (clock === undefined) {
        throw new AppError(
          'STORE_CONDITION_UNSUPPORTED',
          'within_business_hours needs the time, time zone and business hours; pass options.clock to compileCondition',
        )
      }
      const open = isWithinBusinessHours(clock.now, clock.timeZone, clock.businessHours)
      return open === condition.within_business_hours ? sql`(1 = 1)` : sql`(1 = 0)`
    }
    // SQL's unknown (NULL) would make `not` of a comparison on a missing fact false; in memory it is true.
    return sql`coalesce(${compileLeaf(condition)}, false)`
  }

  function group(children: readonly Condition[], separator: Sql): Sql {
    return sql`(${sql.join(
      children.map((child) => node(child)),
      separator,
    )})`
  }

  function compileLeaf(leaf: FieldCondition): Sql {
    const type = options.catalogue[leaf.field].type
    const source = sourceOf(leaf.field, type)
    if (leaf.op === 'exists') return present(source, type)
    if (leaf.op === 'not_exists') return sql`not coalesce(${present(source, type)}, false)`
    if (source.kind === 'money') return money(leaf, source)
    if (type === 'string[]') return list(leaf, source)
    return compare(leaf, scalar(source, type, leaf), type)
  }

  function sourceOf(field: string, type: FieldType): Source {
    const { columns } = options
    let mapped: ColumnSource | undefined = Object.hasOwn(columns, field) ? columns[field] : undefined
    let key: string | undefined
    if (mapped === undefined) {
      for (const [name, candidate] of Object.entries(columns)) {
        if (name.endsWith('.*') && field.startsWith(name.slice(0, -1)) && 'json' in candidate) {
          mapped = candidate
          key = field.slice(name.length - 1)
          break
        }
      }
    }
    if (mapped === undefined) {
      throw new AppError(
        'STORE_CONDITION_UNSUPPORTED',
        `field "${field}" cannot be queried here; queryable fields: ${Object.keys(columns).sort().join(', ')}`,
        { details: { field } },
      )
    }
    const refuse = (why: string) =>
      new AppError('STORE_CONDITION_UNSUPPORTED', `field "${field}" cannot be queried: ${why}`, {
        details: { field },
      })
    if ('amount' in mapped) {
      if (type !== 'money') throw refuse(`it is a ${type} field mapped to money columns`)
      return { kind: 'money', amount: mapped.amount, currency: mapped.currency }
    }
    if (type === 'money') throw refuse('a money field needs { amount, currency } columns')
    if ('column' in mapped) return { kind: 'column', column: mapped.column }
    const jsonKey = mapped.key ?? key
    if (jsonKey === undefined || !JSON_KEY.test(jsonKey)) {
      throw refuse(`JSON keys must be letters, digits and _; got "${jsonKey ?? ''}"`)
    }
    if (type === 'string[]') throw refuse('list fields must live in their own JSON array column')
    return { kind: 'json', column: mapped.json, key: jsonKey }
  }

  /** The fact is there and not null (of any type, as in memory). */
  function present(source: Source, type: FieldType): Sql {
    if (source.kind === 'money') return sql`${sql.ref(source.amount)} is not null`
    if (source.kind === 'json') return sql`${jsonType(source)} <> 'null'`
    if (type === 'string[]') {
      return postgres
        ? sql`jsonb_typeof(${sql.ref(source.column)}) <> 'null'`
        : sql`json_type(${sql.ref(source.column)}) <> 'null'`
    }
    return sql`${sql.ref(source.column)} is not null`
  }

  function jsonType(source: { column: string; key: string }): Sql {
    return postgres
      ? sql`jsonb_typeof(${sql.ref(source.column)} -> ${source.key}::text)`
      : sql`json_type(${sql.ref(source.column)}, ${`$."${source.key}"`})`
  }

  /** The value in the database's own type, or NULL when a JSON value has another type than the field. */
  function scalar(source: Source, type: FieldType, leaf: FieldCondition): Sql {
    if (source.kind === 'column') return sql.ref(source.column)
    if (source.kind === 'money') throw new Error('unreachable: money is compiled apart')
    const typeOf = jsonType(source)
    const column = sql.ref(source.column)
    if (postgres) {
      const text = sql`(${column} ->> ${source.key}::text)`
      if (type === 'string') return sql`(case when ${typeOf} = 'string' then ${text} end)`
      if (type === 'number') return sql`(case when ${typeOf} = 'number' then ${text}::numeric end)`
      if (type === 'boolean') return sql`(case when ${typeOf} = 'boolean' then ${text}::boolean end)`
    } else {
      const value = sql`json_extract(${column}, ${`$."${source.key}"`})`
      if (type === 'string') return sql`(case when ${typeOf} = 'text' then ${value} end)`
      if (type === 'number') return sql`(case when ${typeOf} in ('integer', 'real') then ${value} end)`
      if (type === 'boolean') return sql`(case ${typeOf} when 'true' then 1 when 'false' then 0 end)`
    }
    throw new AppError(
      'STORE_CONDITION_UNSUPPORTED',
      `operator "${leaf.op}" on ${type} field "${leaf.field}" cannot be queried: the value is inside JSON column "${source.column}"; use exists/not_exists, or evaluate it in memory with evaluateCondition`,
      { details: { field: leaf.field } },
    )
  }

  /** A condition value as a parameter of the field's SQL type. */
  function param(value: ConditionScalar, type: FieldType): Sql {
    if (type === 'number') return postgres ? sql`${value}::numeric` : sql`${value}`
    if (type === 'boolean') return postgres ? sql`${value}` : sql`${value === true ? 1 : 0}`
    if (type === 'datetime') {
      const iso = new Date(parseDateTime(value) ?? Number.NaN).toISOString()
      return postgres ? sql`${iso}::timestamptz` : sql`${iso}`
    }
    return sql`${value}`
  }

  function compare(leaf: FieldCondition, value: Sql, type: FieldType): Sql {
    const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value as ConditionScalar]
    const params = () => sql.join(values.map((item) => param(item, type)))
    switch (leaf.op) {
      case 'in':
        return sql`${value} in (${params()})`
      case 'not_in':
        return sql`${value} not in (${params()})`
      case 'contains':
        return includes(value, sql`${values[0]}`)
      case 'matches':
        return matches(value, values)
      default:
        return sql`${value} ${sql.raw(OPERATOR_SQL[leaf.op])} ${param(values[0], type)}`
    }
  }

  function includes(haystack: Sql, needle: Sql): Sql {
    return postgres ? sql`strpos(${haystack}, ${needle}) > 0` : sql`instr(${haystack}, ${needle}) > 0`
  }

  /** Case-insensitive for ASCII letters only, on both databases, like `foldCase`. */
  function matches(haystack: Sql, needles: readonly ConditionScalar[]): Sql {
    const folded = postgres
      ? sql`translate(${haystack}, ${UPPER}, ${UPPER.toLowerCase()})`
      : sql`lower(${haystack})`
    const tests = needles.map((needle) => includes(folded, sql`${foldCase(String(needle))}`))
    return sql`(${sql.join(tests, sql` or `)})`
  }

  function money(leaf: FieldCondition, source: Extract<Source, { kind: 'money' }>): Sql {
    const { baseCurrency } = options
    const minor = toMinorUnits(leaf.value as number, baseCurrency)
    const amount = sql`${sql.ref(source.amount)} ${sql.raw(OPERATOR_SQL[leaf.op])} ${param(minor, 'number')}`
    return source.currency === undefined
      ? amount
      : sql`(${sql.ref(source.currency)} = ${baseCurrency} and ${amount})`
  }

  /** `string[]` fields in a JSON array column: the test runs over its text elements. */
  function list(leaf: FieldCondition, source: Source): Sql {
    if (source.kind !== 'column') throw new Error('unreachable: list fields are columns')
    const column = sql.ref(source.column)
    const element = postgres ? sql`(condition_item.item #>> '{}')` : sql`condition_item.value`
    const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value as ConditionScalar]
    let test: Sql
    if (leaf.op === 'matches') test = matches(element, values)
    else if (leaf.op === 'contains') test = sql`${element} = ${values[0]}`
    else test = sql`${element} in (${sql.join(values.map((item) => sql`${item}`))})`
    const exists = postgres
      ? sql`exists (select 1 from jsonb_array_elements(${column}) as condition_item(item) where jsonb_typeof(condition_item.item) = 'string' and ${test})`
      : sql`exists (select 1 from json_each(${column}) as condition_item where condition_item.type = 'text' and ${test})`
    const isArray = postgres ? sql`jsonb_typeof(${column}) = 'array'` : sql`json_type(${column}) = 'array'`
    return leaf.op === 'not_in'
      ? sql`(case when ${isArray} then not ${exists} end)`
      : sql`(case when ${isArray} then ${exists} end)`
  }
  return node
}

const OPERATOR_SQL: Readonly<Record<string, string>> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
}
