import type { z } from 'zod'
import type { AttributeDefinition } from '../../crm/attributes.js'
import type { Attributes } from '../../crm/common.js'

/**
 * Reading one import record. CSV cells are strings (an empty cell means null); NDJSON values keep their JSON
 * types and may use the API's nested shapes. Keys are canonical camelCase (see `canonicalKey`).
 */
export type ImportRecord = Readonly<Record<string, unknown>>

/** `external_id` and `externalId` both become `externalId`; `attributes.<key>` keeps its key as written. */
export function canonicalKey(name: string): string {
  const trimmed = name.trim()
  if (trimmed.toLowerCase().startsWith('attributes.')) return `attributes.${trimmed.slice(11).trim()}`
  return trimmed.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())
}

/** The snake_case name of a canonical key, as the CSV columns are documented: `externalId` → `external_id`. */
export function columnName(key: string): string {
  if (key.startsWith('attributes.')) return key
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
}

/** The set of columns one entity accepts; read-only columns (exports carry them) are accepted and ignored. */
export interface ColumnSet {
  readonly columns: readonly string[]
  readonly readOnly: readonly string[]
  /** Columns a CSV header must have. */
  readonly required: readonly string[]
  /** Nested objects NDJSON rows may use instead of flat columns (`attributes`, `items`, …). */
  readonly nested?: readonly string[]
  /** Whether `attributes.<key>` columns are accepted. */
  readonly attributes: boolean
}

/**
 * Collects per-row problems while reading values. Each reader returns `undefined` when the column is absent,
 * `null` when it is empty (CSV) or null (NDJSON), else the value — or records an error and returns undefined.
 */
export class RowReader {
  readonly errors: string[] = []
  constructor(
    readonly record: ImportRecord,
    readonly csv: boolean,
  ) {}

  has(key: string): boolean {
    return this.record[key] !== undefined
  }

  raw(key: string): unknown {
    const value = this.record[key]
    if (value === undefined) return undefined
    if (value === null || (typeof value === 'string' && this.csv && value.trim() === '')) return null
    return value
  }

  fail(key: string, message: string): undefined {
    this.errors.push(`${columnName(key)}: ${message}`)
    return undefined
  }

  text(key: string): string | null | undefined {
    const value = this.raw(key)
    if (value === undefined || value === null) return value
    if (typeof value === 'string') return this.csv ? value.trim() : value
    if (typeof value === 'number' && Number.isFinite(value)) return String(value)
    return this.fail(key, `must be text, got ${describe(value)}`)
  }

  integer(key: string): number | null | undefined {
    const value = this.raw(key)
    if (value === undefined || value === null) return value
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value
    if (typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value)) return Number(value)
    return this.fail(
      key,
      `must be a whole number (money in minor units, e.g. 29900 for ¥299.00), got ${describe(value)}`,
    )
  }

  boolean(key: string): boolean | null | undefined {
    const value = this.raw(key)
    if (value === undefined || value === null) return value
    if (typeof value === 'boolean') return value
    if (typeof value === 'string') {
      const text = value.trim().toLowerCase()
      if (['true', '1', 'yes', 'y'].includes(text)) return true
      if (['false', '0', 'no', 'n'].includes(text)) return false
    }
    return this.fail(key, `must be true or false, got ${describe(value)}`)
  }

  /** ISO-8601 with an offset (`2026-11-25T10:00:00+08:00`), or a bare date read as midnight UTC. */
  time(key: string): string | null | undefined {
    const value = this.text(key)
    if (value === undefined || value === null) return value
    const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value
    const hasOffset = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)
    const time = Date.parse(text)
    if (!hasOffset || Number.isNaN(time)) {
      return this.fail(
        key,
        `"${value}" is not a time; write ISO-8601 with an offset, e.g. 2026-11-25T10:00:00+08:00`,
      )
    }
    return new Date(time).toISOString()
  }

  /** A `|`-separated list in CSV, or an array of strings in NDJSON. Empty → []. */
  list(key: string): string[] | null | undefined {
    const value = this.raw(key)
    if (value === undefined) return undefined
    if (value === null) return []
    if (typeof value === 'string') {
      return value
        .split('|')
        .map((part) => part.trim())
        .filter((part) => part.length > 0)
    }
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[]
    return this.fail(key, `must be a |-separated list, got ${describe(value)}`)
  }

  /** A JSON object: JSON text in a CSV cell, or an object in NDJSON. */
  object(key: string): Record<string, unknown> | null | undefined {
    let value = this.raw(key)
    if (value === undefined || value === null) return value
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value)
      } catch {
        return this.fail(key, 'is not valid JSON')
      }
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>
    }
    return this.fail(key, `must be a JSON object, got ${describe(value)}`)
  }

  /**
   * Custom attributes from `attributes.<key>` columns (CSV text converted by each definition's type) or an
   * `attributes` object. Empty cells are null, which clears the value on update.
   */
  attributes(definitions: ReadonlyMap<string, AttributeDefinition>): Attributes | undefined {
    let found = false
    const attributes: Attributes = {}
    const nested = this.raw('attributes')
    if (nested !== undefined && nested !== null) {
      if (typeof nested !== 'object' || Array.isArray(nested)) {
        return this.fail('attributes', 'must be an object of custom fields')
      }
      found = true
      for (const [key, value] of Object.entries(nested as Record<string, unknown>)) {
        if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
          this.fail(`attributes.${key}`, 'must be text, a number or true/false')
          continue
        }
        attributes[key] = value as string | number | boolean | null
      }
    }
    for (const name of Object.keys(this.record)) {
      if (!name.startsWith('attributes.')) continue
      found = true
      const key = name.slice('attributes.'.length)
      const value = this.raw(name)
      attributes[key] =
        typeof value === 'string' ? fromText(value, definitions.get(key)) : (value as Attributes[string])
    }
    return found ? attributes : undefined
  }

  /** Copies the issues of a failed zod parse, naming each column in snake_case. */
  zodIssues(error: z.ZodError): void {
    for (const issue of error.issues) {
      const path = issue.path.map(String)
      const key = path.length === 0 ? '(row)' : [columnName(path[0]), ...path.slice(1)].join('.')
      this.errors.push(`${key}: ${issue.message}`)
    }
  }
}

function fromText(text: string, definition: AttributeDefinition | undefined): string | number | boolean {
  const value = text.trim()
  switch (definition?.type) {
    case 'number': {
      const number = Number(value)
      return value !== '' && Number.isFinite(number) ? number : value
    }
    case 'boolean':
      return value.toLowerCase() === 'true' ? true : value.toLowerCase() === 'false' ? false : value
    default:
      return value
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`
  if (Array.isArray(value)) return 'a list'
  if (value === null) return 'null'
  return typeof value === 'object' ? 'an object' : String(value)
}

/** Keys of an NDJSON record that the entity does not know. */
export function unknownKeys(record: ImportRecord, set: ColumnSet): string[] {
  const known = new Set([...set.columns, ...set.readOnly, ...(set.nested ?? [])])
  return Object.keys(record).filter(
    (key) => !known.has(key) && !(set.attributes && (key === 'attributes' || key.startsWith('attributes.'))),
  )
}

/** Attribute values as CSV text: booleans as true/false, numbers as written, absent as empty. */
export function attributeText(value: unknown): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'string' ? value : String(value)
}
