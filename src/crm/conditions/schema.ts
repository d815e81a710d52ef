import { z } from 'zod'

/**
 * The condition language: a JSON expression tree that agent policies, workflow branches and customer segments
 * share. Five node shapes, each an object with exactly one of these keys:
 *
 * - `{ all: Condition[] }` — every child holds;
 * - `{ any: Condition[] }` — at least one child holds;
 * - `{ not: Condition }`;
 * - `{ field, op, value? }` — a comparison of one fact (see {@link CONDITION_OPERATORS});
 * - `{ within_business_hours: true | false }` — the evaluation time against the workspace's opening hours.
 *
 * @example
 *   { all: [{ field: 'intent', op: 'eq', value: 'refund_request' }, { field: 'amount', op: 'gt', value: 500 }] }
 */
export type Condition = AllCondition | AnyCondition | NotCondition | FieldCondition | BusinessHoursCondition

export interface AllCondition {
  readonly all: readonly Condition[]
}
export interface AnyCondition {
  readonly any: readonly Condition[]
}
export interface NotCondition {
  readonly not: Condition
}
export interface BusinessHoursCondition {
  readonly within_business_hours: boolean
}

/**
 * The comparison operators. `contains` is a case-sensitive substring (string fields) or membership (list
 * fields); `matches` is a case-insensitive any-of substring test — deliberately not a regular expression, so
 * a policy written by a user can never cost exponential time.
 */
export const CONDITION_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'not_in',
  'contains',
  'exists',
  'not_exists',
  'matches',
] as const
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number]

export type ConditionScalar = string | number | boolean

export interface FieldCondition {
  /** A dotted fact name from the field catalogue: `intent`, `customer.tier`, `customer.attributes.vipLevel`. */
  readonly field: string
  readonly op: ConditionOperator
  /** Absent for `exists`/`not_exists`; a non-empty list for `in`/`not_in` (and optionally `matches`). */
  readonly value?: ConditionScalar | readonly ConditionScalar[]
}

/** Limits that keep a user-written condition cheap to validate, evaluate and compile. */
export const CONDITION_LIMITS = Object.freeze({
  /** Nesting depth of `all`/`any`/`not`. */
  depth: 12,
  /** Nodes in one condition tree. */
  nodes: 500,
  /** Values in one `in`/`not_in`/`matches` list. */
  listValues: 500,
  /** Characters in one string value. */
  stringLength: 1000,
})

const FIELD_NAME = /^[a-z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)*$/
const NODE_KEYS = ['all', 'any', 'not', 'field', 'within_business_hours'] as const
const LEAF_KEYS = ['field', 'op', 'value']
const SHAPES = '{all: [...]}, {any: [...]}, {not: {...}}, {field, op, value} or {within_business_hours: true}'

export type PathSegment = string | number

/** One problem with a condition, at a path relative to the condition's root. */
export interface ShapeIssue {
  readonly path: readonly PathSegment[]
  readonly message: string
}

/**
 * Formats a path for people: `['rules', 2, 'when', 'all', 1, 'field']` → `rules[2].when.all[1].field`.
 * A `prefix` (already formatted) is put in front.
 */
export function formatPath(segments: readonly PathSegment[], prefix = ''): string {
  let out = prefix
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += out === '' ? segment : `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`
  if (typeof value === 'object') return 'an object'
  return String(value)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isScalar(value: unknown): value is ConditionScalar {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  )
}

/** Called for each well-formed `{field, op, value}` leaf; returns extra issues (the catalogue's checks). */
export type LeafCheck = (leaf: FieldCondition, path: readonly PathSegment[]) => readonly ShapeIssue[]

/**
 * Walks an untrusted value and lists every way it is not a {@link Condition}: wrong node shapes, unknown keys,
 * unknown operators, values that do not suit the operator, trees that are too deep or too large. `checkLeaf`
 * adds checks for well-formed leaves (validateCondition passes the field catalogue's).
 */
export function conditionShapeIssues(value: unknown, checkLeaf?: LeafCheck): ShapeIssue[] {
  const issues: ShapeIssue[] = []
  let nodes = 0
  const walk = (node: unknown, path: PathSegment[], depth: number): void => {
    nodes += 1
    if (nodes === CONDITION_LIMITS.nodes + 1) {
      issues.push({ path, message: `a condition may have at most ${CONDITION_LIMITS.nodes} nodes` })
    }
    if (nodes > CONDITION_LIMITS.nodes) return
    if (node === undefined) {
      issues.push({ path, message: `a condition is missing; write one of ${SHAPES}` })
      return
    }
    if (!isPlainObject(node)) {
      issues.push({ path, message: `a condition must be one of ${SHAPES}; got ${describeValue(node)}` })
      return
    }
    const kinds = NODE_KEYS.filter((key) => Object.hasOwn(node, key))
    if (kinds.length !== 1) {
      const got = Object.keys(node)
      issues.push({
        path,
        message:
          kinds.length === 0
            ? `a condition must be one of ${SHAPES}; got ${got.length === 0 ? 'an empty object' : `keys ${got.join(', ')}`}`
            : `a condition has exactly one of all, any, not, field, within_business_hours; got ${kinds.join(', ')} — nest them in {all: [...]} instead`,
      })
      return
    }
    const kind = kinds[0]
    const allowed = kind === 'field' ? LEAF_KEYS : [kind]
    for (const key of Object.keys(node)) {
      if (!allowed.includes(key)) {
        issues.push({
          path: [...path, key],
          message: `unknown key "${key}" in a {${kind}} condition; allowed: ${allowed.join(', ')}`,
        })
      }
    }
    if (kind === 'all' || kind === 'any' || kind === 'not') {
      if (depth >= CONDITION_LIMITS.depth) {
        issues.push({ path, message: `conditions may nest at most ${CONDITION_LIMITS.depth} levels deep` })
        return
      }
    }
    if (kind === 'all' || kind === 'any') {
      const children = node[kind]
      if (!Array.isArray(children) || children.length === 0) {
        issues.push({
          path: [...path, kind],
          message: `"${kind}" needs a non-empty list of conditions; got ${describeValue(children)}`,
        })
        return
      }
      children.forEach((child, index) => walk(child, [...path, kind, index], depth + 1))
      return
    }
    if (kind === 'not') {
      walk(node.not, [...path, 'not'], depth + 1)
      return
    }
    if (kind === 'within_business_hours') {
      if (typeof node.within_business_hours !== 'boolean') {
        issues.push({
          path: [...path, 'within_business_hours'],
          message: `within_business_hours must be true or false; got ${describeValue(node.within_business_hours)}`,
        })
      }
      return
    }
    const before = issues.length
    leafShapeIssues(node, path, issues)
    if (issues.length === before && checkLeaf)
      issues.push(...checkLeaf(node as unknown as FieldCondition, path))
  }
  walk(value, [], 0)
  return issues
}

function leafShapeIssues(node: Record<string, unknown>, path: PathSegment[], issues: ShapeIssue[]): void {
  const { field, op, value } = node
  if (typeof field !== 'string' || !FIELD_NAME.test(field)) {
    issues.push({
      path: [...path, 'field'],
      message: `field must be a dotted name such as customer.tier or intent.confidence; got ${describeValue(field)}`,
    })
  }
  if (typeof op !== 'string' || !(CONDITION_OPERATORS as readonly string[]).includes(op)) {
    issues.push({
      path: [...path, 'op'],
      message: `unknown operator ${describeValue(op)}; known: ${CONDITION_OPERATORS.join(', ')}`,
    })
    return
  }
  const at = [...path, 'value']
  const hasValue = Object.hasOwn(node, 'value')
  const tooLong = (text: string) => text.length > CONDITION_LIMITS.stringLength
  const checkString = (item: unknown, itemPath: PathSegment[]) => {
    if (typeof item !== 'string' || item.length === 0 || tooLong(item)) {
      issues.push({
        path: itemPath,
        message: `operator "${op}" needs non-empty text (at most ${CONDITION_LIMITS.stringLength} characters); got ${describeValue(item)}`,
      })
    }
  }
  const checkScalar = (item: unknown, itemPath: PathSegment[], kinds: string) => {
    if (!isScalar(item) || (typeof item === 'string' && tooLong(item))) {
      issues.push({ path: itemPath, message: `operator "${op}" needs ${kinds}; got ${describeValue(item)}` })
    }
  }
  const checkList = (each: (item: unknown, itemPath: PathSegment[]) => void, example: string) => {
    if (!Array.isArray(value) || value.length === 0 || value.length > CONDITION_LIMITS.listValues) {
      issues.push({
        path: at,
        message: `operator "${op}" needs a list of 1 to ${CONDITION_LIMITS.listValues} values, such as ${example}; got ${describeValue(value)}`,
      })
      return
    }
    value.forEach((item, index) => each(item, [...at, index]))
  }
  switch (op) {
    case 'exists':
    case 'not_exists':
      if (hasValue) issues.push({ path: at, message: `operator "${op}" takes no value; remove "value"` })
      return
    case 'in':
    case 'not_in':
      checkList((item, itemPath) => {
        if (typeof item === 'boolean') {
          issues.push({ path: itemPath, message: `operator "${op}" needs text or numbers; got ${item}` })
        } else checkScalar(item, itemPath, 'text or numbers')
      }, '["gold", "vip"]')
      return
    case 'matches':
      if (Array.isArray(value)) checkList(checkString, '["lawyer", "律师"]')
      else checkString(value, at)
      return
    case 'contains':
      checkString(value, at)
      return
    case 'eq':
    case 'ne':
      checkScalar(value, at, 'a value (text, a number, true or false)')
      return
    default:
      if (typeof value === 'boolean') {
        issues.push({ path: at, message: `operator "${op}" needs a number or a date; got ${value}` })
      } else checkScalar(value, at, 'a number or a date')
  }
}

/**
 * The zod schema of a condition. The tree is checked by {@link conditionShapeIssues}, which reports every
 * problem with its path and a message naming the bad value (a zod union would only say "invalid input").
 * The JSON Schema of this node is `{}`: describe conditions in prose in API documentation.
 */
export const conditionSchema = z
  .unknown()
  .superRefine((value, context) => {
    for (const issue of conditionShapeIssues(value)) {
      context.addIssue({ code: 'custom', message: issue.message, path: [...issue.path] })
    }
  })
  .meta({
    description: `A condition: ${SHAPES}. Operators: ${CONDITION_OPERATORS.join(', ')}.`,
  }) as unknown as z.ZodType<Condition, unknown>

/** True when the node is a `{field, op, value}` comparison. */
export function isFieldCondition(condition: Condition): condition is FieldCondition {
  return Object.hasOwn(condition, 'field')
}
