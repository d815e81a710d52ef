import type { BusinessHours } from '../workspace.js'
import { isWithinBusinessHours } from './business-hours.js'
import type { FieldCatalogue, FieldType } from './fields.js'
import {
  formatPath,
  type BusinessHoursCondition,
  type Condition,
  type ConditionScalar,
  type FieldCondition,
  type PathSegment,
} from './schema.js'
import { foldCase, isMoneyFact, parseDateTime, toMinorUnits } from './values.js'

/**
 * The facts a condition is evaluated against, by dotted field name. Flat keys (`{ 'customer.tier': 'vip' }`)
 * and nested objects (`{ customer: { tier: 'vip' } }`) both work; a flat key wins. `null` is a missing fact.
 */
export type Facts = Readonly<Record<string, unknown>>

/** What evaluation needs besides the facts: all injected, so evaluation is pure. */
export interface ConditionOptions {
  /** The evaluation time, for `within_business_hours`. */
  readonly now: Date
  /** IANA time zone of the workspace: business hours are read on its wall clock. */
  readonly timeZone: string
  readonly businessHours: BusinessHours
  /** The workspace base currency: money values in conditions are major units of it. */
  readonly baseCurrency: string
  /**
   * Field types. Without a catalogue a fact's type is read from its value (text, number, boolean, list,
   * `{amount, currency}` money, Date), so ISO date strings compare as text; give the catalogue to compare them
   * as dates.
   */
  readonly catalogue?: FieldCatalogue
}

/** Reads a fact by dotted name; undefined when missing or null. */
export function lookupFact(facts: Facts, field: string): unknown {
  if (Object.hasOwn(facts, field)) return facts[field] ?? undefined
  const parts = field.split('.')
  for (let length = parts.length - 1; length > 0; length -= 1) {
    const prefix = parts.slice(0, length).join('.')
    if (!Object.hasOwn(facts, prefix)) continue
    let value: unknown = facts[prefix]
    for (const part of parts.slice(length)) {
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined
      value = (value as Record<string, unknown>)[part]
    }
    return value ?? undefined
  }
  return undefined
}

type Typed =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'money'; value: { amount: number; currency: string } }
  | { type: 'datetime'; value: number }
  | { type: 'string[]'; value: string[] }

function inferType(value: unknown): FieldType | undefined {
  if (typeof value === 'string') return 'string'
  if (typeof value === 'number') return 'number'
  if (typeof value === 'boolean') return 'boolean'
  if (Array.isArray(value)) return 'string[]'
  if (value instanceof Date) return 'datetime'
  if (isMoneyFact(value)) return 'money'
  return undefined
}

/** The fact as a value of its field type, or undefined when it has another type (compares like a missing fact). */
function typed(value: unknown, type: FieldType | undefined): Typed | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? { type, value } : undefined
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? { type, value } : undefined
    case 'boolean':
      return typeof value === 'boolean' ? { type, value } : undefined
    case 'money':
      return isMoneyFact(value) ? { type, value } : undefined
    case 'datetime': {
      const time = parseDateTime(value)
      return time === undefined ? undefined : { type, value: time }
    }
    case 'string[]':
      return Array.isArray(value)
        ? { type, value: value.filter((item): item is string => typeof item === 'string') }
        : undefined
    default:
      return undefined
  }
}

function order(op: FieldCondition['op'], actual: number, expected: number): boolean {
  switch (op) {
    case 'eq':
      return actual === expected
    case 'ne':
      return actual !== expected
    case 'gt':
      return actual > expected
    case 'gte':
      return actual >= expected
    case 'lt':
      return actual < expected
    case 'lte':
      return actual <= expected
    default:
      return false
  }
}

function list(value: FieldCondition['value']): readonly ConditionScalar[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value as ConditionScalar]
}

function needles(value: FieldCondition['value']): string[] {
  return list(value).filter((item): item is string => typeof item === 'string' && item.length > 0)
}

interface LeafResult {
  readonly matched: boolean
  /** For `matches`: the needles found. */
  readonly hits?: readonly string[]
}

function compare(leaf: FieldCondition, fact: Typed, options: ConditionOptions): LeafResult {
  const { op, value } = leaf
  const no = { matched: false }
  const yes = (matched: boolean): LeafResult => ({ matched })
  switch (fact.type) {
    case 'string':
    case 'string[]': {
      const items = fact.type === 'string' ? [fact.value] : fact.value
      const strings = list(value).filter((item): item is string => typeof item === 'string')
      if (op === 'matches') {
        const folded = items.map(foldCase)
        const hits = needles(value).filter((needle) => folded.some((item) => item.includes(foldCase(needle))))
        return { matched: hits.length > 0, hits }
      }
      if (op === 'in') return yes(items.some((item) => strings.includes(item)))
      if (op === 'not_in') return yes(strings.length > 0 && !items.some((item) => strings.includes(item)))
      if (typeof value !== 'string') return no
      if (fact.type === 'string[]') return op === 'contains' ? yes(fact.value.includes(value)) : no
      if (op === 'contains') return yes(fact.value.includes(value))
      if (op === 'eq') return yes(fact.value === value)
      if (op === 'ne') return yes(fact.value !== value)
      return no
    }
    case 'number': {
      if (op === 'in' || op === 'not_in') {
        const numbers = list(value).filter((item) => typeof item === 'number')
        const found = numbers.includes(fact.value)
        return yes(op === 'in' ? found : numbers.length > 0 && !found)
      }
      return typeof value === 'number' ? yes(order(op, fact.value, value)) : no
    }
    case 'boolean':
      if (typeof value !== 'boolean') return no
      return op === 'eq' ? yes(fact.value === value) : op === 'ne' ? yes(fact.value !== value) : no
    case 'money':
      // Another currency never matches: converting at an unknown rate would decide a policy on a guess.
      if (typeof value !== 'number' || fact.value.currency !== options.baseCurrency) return no
      return yes(order(op, fact.value.amount, toMinorUnits(value, options.baseCurrency)))
    case 'datetime': {
      const expected = parseDateTime(value)
      return expected === undefined ? no : yes(order(op, fact.value, expected))
    }
  }
}

function evaluateLeaf(
  leaf: FieldCondition,
  facts: Facts,
  options: ConditionOptions,
): LeafResult & { actual: unknown } {
  const actual = lookupFact(facts, leaf.field)
  if (leaf.op === 'exists') return { matched: actual !== undefined, actual }
  if (leaf.op === 'not_exists') return { matched: actual === undefined, actual }
  const spec =
    options.catalogue && Object.hasOwn(options.catalogue, leaf.field)
      ? options.catalogue[leaf.field]
      : undefined
  const fact = typed(actual, spec?.type ?? inferType(actual))
  if (fact === undefined) return { matched: false, actual }
  return { ...compare(leaf, fact, options), actual }
}

/**
 * Evaluates a condition against facts. Pure: the time comes from `options.now`. A missing fact (or one of
 * another type than its field) fails every comparison, `ne` and `not_in` included, and satisfies only
 * `not_exists`; `{not: …}` then turns that into true. The condition is assumed valid (see
 * `validateCondition`); an operator that does not suit the fact is false.
 *
 * @example
 *   evaluateCondition({ field: 'amount', op: 'gt', value: 500 }, { amount: { amount: 62000, currency: 'CNY' } },
 *     { now, timeZone: 'Asia/Shanghai', businessHours, baseCurrency: 'CNY' }) // → true
 */
export function evaluateCondition(condition: Condition, facts: Facts, options: ConditionOptions): boolean {
  if ('all' in condition) return condition.all.every((child) => evaluateCondition(child, facts, options))
  if ('any' in condition) return condition.any.some((child) => evaluateCondition(child, facts, options))
  if ('not' in condition) return !evaluateCondition(condition.not, facts, options)
  if ('within_business_hours' in condition) return businessHoursHold(condition, options)
  return evaluateLeaf(condition, facts, options).matched
}

function businessHoursHold(condition: BusinessHoursCondition, options: ConditionOptions): boolean {
  return (
    isWithinBusinessHours(options.now, options.timeZone, options.businessHours) ===
    condition.within_business_hours
  )
}

/** How one leaf of a condition came out, for the decision record. */
export interface LeafExplanation {
  /** Path of the leaf inside the condition, e.g. `all[1]` (empty for a condition that is one leaf). */
  readonly path: string
  readonly condition: FieldCondition | BusinessHoursCondition
  readonly matched: boolean
  /**
   * The fact the leaf read (undefined when missing). Left out for `contains`/`matches` on text, whose
   * `hits` say what was found without copying the whole message into the record.
   */
  readonly actual?: unknown
  /** For `matches`: which of the values were found. */
  readonly hits?: readonly string[]
}

export interface ConditionExplanation {
  readonly result: boolean
  /** Every leaf, in document order; each is evaluated even where `all`/`any` would have stopped early. */
  readonly leaves: readonly LeafExplanation[]
}

/**
 * Evaluates like {@link evaluateCondition} and says how each leaf came out, so a decision can be explained
 * ("fired because intent = refund_request and amount ¥620 > 500").
 */
export function explainCondition(
  condition: Condition,
  facts: Facts,
  options: ConditionOptions,
): ConditionExplanation {
  const leaves: LeafExplanation[] = []
  const walk = (node: Condition, path: PathSegment[]): boolean => {
    if ('all' in node)
      return node.all.map((child, index) => walk(child, [...path, 'all', index])).every(Boolean)
    if ('any' in node)
      return node.any.map((child, index) => walk(child, [...path, 'any', index])).some(Boolean)
    if ('not' in node) return !walk(node.not, [...path, 'not'])
    if ('within_business_hours' in node) {
      const matched = businessHoursHold(node, options)
      leaves.push({ path: formatPath(path), condition: node, matched })
      return matched
    }
    const result = evaluateLeaf(node, facts, options)
    const textSearch = (node.op === 'contains' || node.op === 'matches') && typeof result.actual === 'string'
    leaves.push({
      path: formatPath(path),
      condition: node,
      matched: result.matched,
      ...(textSearch ? {} : { actual: result.actual }),
      ...(result.hits ? { hits: result.hits } : {}),
    })
    return result.matched
  }
  return { result: walk(condition, []), leaves }
}
