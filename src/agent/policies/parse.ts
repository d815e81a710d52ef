import { LineCounter, parseDocument } from 'yaml'
import type { z } from 'zod'
import { AppError } from '../../core/index.js'
import {
  formatPath,
  validateCondition,
  type ConditionIssue,
  type FieldCatalogue,
  type PathSegment,
} from '../../crm/conditions/index.js'
import { policySetSchema, type PolicySet } from './policy.js'

export type PolicyFileFormat = 'json' | 'yaml'

/** Policy files are small; a larger one is a mistake (or an attack on the parser). */
export const MAX_POLICY_FILE_CHARS = 256 * 1024

const ALLOWED_KEYS: readonly { readonly at: RegExp; readonly keys: readonly string[] }[] = [
  { at: /^$/, keys: ['version', 'rules'] },
  { at: /^rules\[\d+\]$/, keys: ['name', 'description', 'when', 'then', 'priority', 'enabled'] },
  { at: /^rules\[\d+\]\.then$/, keys: ['action', 'reason', 'note'] },
]

/**
 * Parses and validates a policy file. Every problem is collected — syntax, the set's shape (unknown keys
 * with their path), duplicate rule names, and each condition against the field catalogue (unknown fields
 * and attribute names, operators, values) — and thrown together as `AGENT_POLICY_INVALID` with
 * `details.issues: [{ path, message }]`.
 *
 * @example
 *   const set = parsePolicyFile(readFileSync('policies.yaml', 'utf8'), 'yaml', policyFieldCatalogue(definitions))
 */
export function parsePolicyFile(
  text: string,
  format: PolicyFileFormat,
  catalogue: FieldCatalogue,
): PolicySet {
  if (text.length > MAX_POLICY_FILE_CHARS) {
    fail([{ path: '', message: `the file has ${text.length} characters; at most ${MAX_POLICY_FILE_CHARS}` }])
  }
  const raw = format === 'json' ? readJson(text) : readYaml(text)
  const parsed = policySetSchema.safeParse(raw)
  const issues: ConditionIssue[] = parsed.success
    ? []
    : parsed.error.issues.flatMap((issue) => explain(issue, raw))
  issues.push(...duplicateNames(raw))
  const rules = isRecord(raw) && Array.isArray(raw.rules) ? raw.rules : []
  rules.forEach((rule: unknown, index) => {
    if (!isRecord(rule) || !Object.hasOwn(rule, 'when')) return
    const result = validateCondition(rule.when, catalogue, { path: `rules[${index}].when` })
    if (!result.ok) issues.push(...result.issues)
  })
  if (issues.length > 0 || !parsed.success) fail(issues)
  return parsed.data
}

function fail(found: readonly ConditionIssue[]): never {
  const seen = new Set<string>()
  const issues = found.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  const rule = (issue: ConditionIssue) => Number(/^rules\[(\d+)\]/.exec(issue.path)?.[1] ?? -1)
  issues.sort((a, b) => rule(a) - rule(b))
  const shown = issues
    .slice(0, 3)
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('; ')
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''
  throw new AppError(
    'AGENT_POLICY_INVALID',
    `invalid policy file, ${issues.length} problem${issues.length === 1 ? '' : 's'}: ${shown}${more}`,
    { details: { issues } },
  )
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    return fail([{ path: '', message: `not valid JSON: ${(error as Error).message}` }])
  }
}

function readYaml(text: string): unknown {
  // The core schema (YAML 1.2): no custom tags, `yes`/`no` stay text; duplicate keys are errors.
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter })
  if (document.errors.length > 0) {
    fail(
      document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0])
        const where = `line ${position.line}, column ${position.col}: `
        return { path: '', message: `not valid YAML: ${where}${error.message.split('\n')[0]}` }
      }),
    )
  }
  try {
    return document.toJS({ maxAliasCount: 100 })
  } catch (error) {
    return fail([{ path: '', message: `not valid YAML: ${(error as Error).message}` }])
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let value = root
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return undefined
    value = (value as Record<string | number, unknown>)[segment]
  }
  return value
}

/** A zod issue in the words of the rest of the condition language: the bad value and what would do. */
function explain(issue: z.core.$ZodIssue, raw: unknown): ConditionIssue[] {
  const segments = issue.path.filter((segment) => typeof segment !== 'symbol') as PathSegment[]
  const path = formatPath(segments)
  if (issue.code === 'unrecognized_keys') {
    const allowed = ALLOWED_KEYS.find((entry) => entry.at.test(path))?.keys
    return issue.keys.map((key) => ({
      path: formatPath([...segments, key]),
      message: `unknown key "${key}"${allowed ? `; allowed: ${allowed.join(', ')}` : ''}`,
    }))
  }
  const value = valueAt(raw, segments)
  if (issue.code === 'invalid_type') {
    if (segments.length === 0) {
      return [{ path, message: `a policy file is an object {version: 1, rules: [...]}; got ${show(value)}` }]
    }
    if (value === undefined) return [{ path, message: `"${String(segments.at(-1))}" is required` }]
    const expected = issue.expected === 'int' ? 'an integer' : `a ${issue.expected}`
    return [{ path, message: `expected ${expected}; got ${show(value)}` }]
  }
  if (issue.code === 'invalid_value') {
    const options = issue.values.map((option) => String(option)).join(', ')
    return [
      {
        path,
        message: `${show(value)} is not allowed here; use ${issue.values.length > 1 ? 'one of: ' : ''}${options}`,
      },
    ]
  }
  return [{ path, message: issue.message }]
}

function show(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (value === null) return 'null'
  return typeof value === 'object' ? 'an object' : JSON.stringify(value)
}

function duplicateNames(raw: unknown): ConditionIssue[] {
  if (!isRecord(raw) || !Array.isArray(raw.rules)) return []
  const seen = new Map<string, number>()
  const issues: ConditionIssue[] = []
  raw.rules.forEach((rule: unknown, index) => {
    if (!isRecord(rule) || typeof rule.name !== 'string') return
    const first = seen.get(rule.name)
    if (first === undefined) seen.set(rule.name, index)
    else {
      issues.push({
        path: `rules[${index}].name`,
        message: `duplicate rule name "${rule.name}"; rules[${first}] has it already — names must be unique`,
      })
    }
  })
  return issues
}
