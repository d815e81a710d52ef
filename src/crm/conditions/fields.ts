import {
  conditionShapeIssues,
  formatPath,
  type ConditionOperator,
  type ConditionScalar,
  type FieldCondition,
  type PathSegment,
  type ShapeIssue,
} from './schema.js'
import { parseDateTime } from './values.js'

export const FIELD_TYPES = ['string', 'number', 'boolean', 'money', 'datetime', 'string[]'] as const
/**
 * - `money` facts are `{ amount, currency }` in integer minor units; conditions give a number in major units
 *   of the workspace base currency (`amount > 500` is ¥500 in a CNY workspace); a fact in another currency
 *   never satisfies a comparison.
 * - `datetime` facts and values are ISO-8601 dates or date-times with an offset.
 * - `string[]` facts are lists of text (entity types, tags).
 */
export type FieldType = (typeof FIELD_TYPES)[number]

export interface FieldSpec {
  readonly type: FieldType
  /** The only values the field takes (an enumeration such as the intents); checked at validation. */
  readonly values?: readonly string[]
  readonly description: string
}

/** The facts a condition may name, by dotted field name. */
export type FieldCatalogue = Readonly<Record<string, FieldSpec>>

const EXISTENCE = ['exists', 'not_exists'] as const
const ORDERING = ['gt', 'gte', 'lt', 'lte'] as const

/** The operators each field type accepts. Enumerated strings (with `values`) drop `contains` and `matches`. */
export const OPERATORS_BY_TYPE: Readonly<Record<FieldType, readonly ConditionOperator[]>> = Object.freeze({
  string: ['eq', 'ne', 'in', 'not_in', 'contains', 'matches', ...EXISTENCE],
  number: ['eq', 'ne', ...ORDERING, 'in', 'not_in', ...EXISTENCE],
  boolean: ['eq', 'ne', ...EXISTENCE],
  money: ['eq', 'ne', ...ORDERING, ...EXISTENCE],
  datetime: ['eq', 'ne', ...ORDERING, ...EXISTENCE],
  'string[]': ['contains', 'matches', 'in', 'not_in', ...EXISTENCE],
})

/** The operators a field accepts. */
export function operatorsFor(spec: FieldSpec): readonly ConditionOperator[] {
  if (spec.type === 'string' && spec.values !== undefined) {
    return OPERATORS_BY_TYPE.string.filter((op) => op !== 'contains' && op !== 'matches')
  }
  return OPERATORS_BY_TYPE[spec.type]
}

/** One problem, at a path such as `rules[2].when.all[1].field`. */
export interface ConditionIssue {
  readonly path: string
  readonly message: string
}

export type ConditionValidation =
  { readonly ok: true } | { readonly ok: false; readonly issues: readonly ConditionIssue[] }

export interface ValidateConditionOptions {
  /** Put in front of every issue path, e.g. `rules[2].when`. */
  readonly path?: string
}

/**
 * Checks a condition's shape and every field against the catalogue: known field names, operators that suit
 * the field's type, values of the right type (and among the field's `values`). Reports all problems, each
 * with its path and a message naming the bad value and listing the valid ones.
 *
 * @example
 *   validateCondition({ field: 'tierr', op: 'eq', value: 'vip' }, catalogue, { path: 'rules[0].when' })
 *   // → { ok: false, issues: [{ path: 'rules[0].when.field',
 *   //       message: 'unknown field "tierr"; known: … (did you mean "customer.tier"?)' }] }
 */
export function validateCondition(
  condition: unknown,
  catalogue: FieldCatalogue,
  options: ValidateConditionOptions = {},
): ConditionValidation {
  const issues = conditionShapeIssues(condition, (leaf, path) => leafIssues(leaf, path, catalogue))
  if (issues.length === 0) return { ok: true }
  return {
    ok: false,
    issues: issues.map((issue) => ({
      path: formatPath(issue.path, options.path ?? ''),
      message: issue.message,
    })),
  }
}

function leafIssues(
  leaf: FieldCondition,
  path: readonly PathSegment[],
  catalogue: FieldCatalogue,
): ShapeIssue[] {
  const spec = Object.hasOwn(catalogue, leaf.field) ? catalogue[leaf.field] : undefined
  if (spec === undefined)
    return [{ path: [...path, 'field'], message: unknownFieldMessage(leaf.field, catalogue) }]
  const operators = operatorsFor(spec)
  if (!operators.includes(leaf.op)) {
    return [
      {
        path: [...path, 'op'],
        message: `operator "${leaf.op}" is not valid for ${spec.type} field "${leaf.field}"; use one of: ${operators.join(', ')}`,
      },
    ]
  }
  if (leaf.value === undefined) return []
  const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value]
  const issues: ShapeIssue[] = []
  values.forEach((value: ConditionScalar, index) => {
    const at = Array.isArray(leaf.value) ? [...path, 'value', index] : [...path, 'value']
    const message = valueMessage(leaf.field, spec, value)
    if (message !== undefined) issues.push({ path: at, message })
  })
  return issues
}

function show(value: ConditionScalar): string {
  return typeof value === 'string' ? `"${value}"` : String(value)
}

function valueMessage(field: string, spec: FieldSpec, value: ConditionScalar): string | undefined {
  switch (spec.type) {
    case 'number':
      return typeof value === 'number'
        ? undefined
        : `value ${show(value)} is not a number; "${field}" is a number field`
    case 'boolean':
      return typeof value === 'boolean'
        ? undefined
        : `value ${show(value)} is not true or false; "${field}" is a boolean field`
    case 'money':
      return typeof value === 'number'
        ? undefined
        : `value ${show(value)} is not a number; money field "${field}" compares against a number in major units of the workspace currency (500 means ¥500 in a CNY workspace)`
    case 'datetime':
      return parseDateTime(value) !== undefined
        ? undefined
        : `value ${show(value)} is not a date; "${field}" compares against an ISO-8601 date such as 2026-11-25 or a date-time with its offset such as 2026-11-25T09:00:00+08:00`
    default: {
      if (typeof value !== 'string')
        return `value ${show(value)} is not text; "${field}" is a ${spec.type} field`
      if (spec.values === undefined || spec.values.includes(value)) return undefined
      const suggestion = closest(value, spec.values)
      return `value "${value}" is not one of ${field}'s values: ${spec.values.join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`
    }
  }
}

function unknownFieldMessage(field: string, catalogue: FieldCatalogue): string {
  const known = Object.keys(catalogue).sort()
  const suggestion = closest(field, known) ?? closestByLastSegment(field, known)
  const hint = suggestion ? ` (did you mean "${suggestion}"?)` : ''
  // Under a known parent (`customer.attributes.`), list only the siblings: the whole catalogue would bury them.
  const parts = field.split('.')
  for (let length = parts.length - 1; length > 0; length -= 1) {
    const prefix = `${parts.slice(0, length).join('.')}.`
    const siblings = known.filter((name) => name.startsWith(prefix))
    if (siblings.length > 0) {
      return `unknown field "${field}"; known under ${prefix.slice(0, -1)}: ${siblings.join(', ')}${hint}`
    }
  }
  return `unknown field "${field}"; known: ${known.join(', ') || '(none)'}${hint}`
}

/** `tierr` → `customer.tier`: people often leave out the prefix. */
function closestByLastSegment(field: string, known: readonly string[]): string | undefined {
  const last = (name: string) => name.slice(name.lastIndexOf('.') + 1)
  const segment = closest(last(field), [...new Set(known.map(last))])
  const matches = known.filter((name) => last(name) === segment)
  return matches.length === 1 ? matches[0] : undefined
}

/** The candidate closest to `input` by edit distance, if it is close enough to be a likely typo. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  const limit = Math.max(2, Math.floor(input.length / 3))
  if (best !== undefined && bestDistance <= limit) return best
  // A prefix or fragment (`refund` for `refund_request`) is a likely slip too.
  const containing = candidates.filter((candidate) => candidate.includes(input) || input.includes(candidate))
  return containing.length === 1 ? containing[0] : undefined
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Math.abs(a.length - b.length)
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i]
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
    previous = current
  }
  return previous[b.length]
}
