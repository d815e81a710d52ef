import type { z } from 'zod'
import { closest, formatPath, type PathSegment } from '../crm/conditions/index.js'

/** One problem with a workflow definition, at a path such as `steps[2].input.template`. */
export interface WorkflowIssue {
  readonly path: string
  readonly message: string
}

/** Shows a value in a message: text quoted and cut, objects and lists by kind. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
  return String(value)
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let value = root
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return undefined
    value = (value as Record<string | number, unknown>)[segment]
  }
  return value
}

const EXPECTED: Readonly<Record<string, string>> = {
  object: 'an object',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  record: 'an object',
}

/** Allowed keys at a path (relative to the value that was validated), for "unknown key" messages. */
export type AllowedKeys = (path: readonly PathSegment[]) => readonly string[] | undefined

/**
 * A zod issue in the words of the rest of AgentCRM: the path as `steps[2].input.template`, the bad value,
 * and what would do (the allowed keys, the known values, the closest one).
 *
 * @param root the value that was validated (issue paths are relative to it)
 * @param prefix path segments put in front (when `root` sits inside a larger document)
 */
export function explainIssue(
  issue: z.core.$ZodIssue,
  root: unknown,
  prefix: readonly PathSegment[] = [],
  allowedKeys?: AllowedKeys,
): WorkflowIssue[] {
  const relative = issue.path.filter((segment) => typeof segment !== 'symbol') as PathSegment[]
  const segments = [...prefix, ...relative]
  const path = formatPath(segments)
  const value = valueAt(root, relative)
  const last = segments.at(-1)
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys?.(relative)
      return issue.keys.map((key) => {
        const suggestion = allowed ? closest(key, allowed) : undefined
        return {
          path: formatPath([...segments, key]),
          message: `unknown key "${key}"${allowed ? `; allowed: ${allowed.join(', ')}` : ''}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        }
      })
    }
    case 'invalid_type': {
      if (value === undefined && segments.length > 0)
        return [{ path, message: `"${String(last)}" is required` }]
      const expected = EXPECTED[issue.expected] ?? issue.expected
      return [{ path, message: `expected ${expected}; got ${show(value)}` }]
    }
    case 'invalid_value': {
      const options = issue.values.map((option) => String(option))
      const custom = !issue.message.startsWith('Invalid')
      if (custom) return [{ path, message: `${show(value)} is not allowed: ${issue.message}` }]
      const suggestion = typeof value === 'string' ? closest(value, options) : undefined
      return [
        {
          path,
          message: `${show(value)} is not allowed here; use ${options.length > 1 ? 'one of: ' : ''}${options.map((o) => (options.length > 1 ? o : JSON.stringify(o))).join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        },
      ]
    }
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        const options = ((issue as { options?: unknown[] }).options ?? []).map(String)
        const kind = segments[0] === 'steps' ? 'step' : segments[0] === 'trigger' ? 'trigger' : 'a'
        if (value === undefined) {
          return [{ path, message: `"${issue.discriminator}" is required; one of: ${options.join(', ')}` }]
        }
        const suggestion = typeof value === 'string' ? closest(value, options) : undefined
        return [
          {
            path,
            message: `unknown ${kind} ${issue.discriminator} ${show(value)}; known: ${options.join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
          },
        ]
      }
      return [{ path, message: `${show(value)} is not allowed here` }]
    }
    case 'invalid_format':
      return [{ path, message: `${issue.message}; got ${show(value)}` }]
    case 'too_small':
    case 'too_big': {
      const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum
      const word = issue.code === 'too_small' ? 'at least' : 'at most'
      if (issue.origin === 'string') {
        const length = typeof value === 'string' ? value.length : 0
        if (issue.code === 'too_small' && Number(limit) <= 1) return [{ path, message: 'must not be empty' }]
        return [{ path, message: `has ${length} characters; ${word} ${String(limit)}` }]
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        const count = Array.isArray(value) ? value.length : 0
        return [{ path, message: `has ${count} item${count === 1 ? '' : 's'}; ${word} ${String(limit)}` }]
      }
      return [
        {
          path,
          message: `${show(value)} is ${issue.code === 'too_small' ? 'below' : 'above'} the ${issue.code === 'too_small' ? 'minimum' : 'maximum'} ${String(limit)}`,
        },
      ]
    }
    default:
      return [{ path, message: issue.message }]
  }
}

/** Drops repeated issues (zod and the graph checks may find the same one) and orders them by position. */
export function tidyIssues(found: readonly WorkflowIssue[]): WorkflowIssue[] {
  const seen = new Set<string>()
  const unique = found.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  const order = ['key', 'name', 'description', 'trigger', 'steps']
  const rank = (path: string): [number, number] => {
    const top = /^[a-zA-Z]+/.exec(path)?.[0] ?? ''
    const index = order.indexOf(top)
    const step = Number(/^steps\[(\d+)\]/.exec(path)?.[1] ?? -1)
    return [index === -1 ? (path === '' ? -1 : order.length) : index, step]
  }
  return unique
    .map((issue, position) => ({ issue, position, rank: rank(issue.path) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.position - b.position)
    .map((entry) => entry.issue)
}
