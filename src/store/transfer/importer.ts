import { AppError } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import type { AttributeDefinition, AttributeEntity } from '../../crm/attributes.js'
import type { Store } from '../database.js'
import { columnName, unknownKeys, type ColumnSet, type ImportRecord } from './fields.js'
import type { RejectedRow } from './report.js'

/** The entities `import` takes. */
export const IMPORT_ENTITIES = ['customers', 'products', 'orders', 'events'] as const
export type ImportEntity = (typeof IMPORT_ENTITIES)[number]

/** What parsing a record needs: no database, so it can run in a thread of its own. */
export interface ParseContext {
  /** Whether records come from CSV (cells are text; empty means null). */
  readonly csv: boolean
  readonly defaultRegion: string
  /** Attribute definitions of the entity, by key, read once at the start of the run. */
  readonly definitions: ReadonlyMap<string, AttributeDefinition>
}

/** What writing chunks needs for one run. */
export interface ImportContext extends ParseContext {
  readonly store: Store
  readonly actor: Actor
  readonly now: () => Date
  readonly dryRun: boolean
}

export interface ParsedRow<T> {
  readonly line: number
  readonly value: T
}

export type ParseResult<T> =
  { readonly value: T; readonly errors?: undefined } | { readonly errors: string[] }

export interface ChunkResult {
  inserted: number
  updated: number
  rejected: RejectedRow[]
}

/**
 * One entity's import, in two halves that share nothing but plain data (so they can run in two threads):
 * the parser checks one record without the database; the writer — created per run, it may keep per-run
 * state such as the dry run's view of rows it would have written — resolves a chunk's keys and references
 * with a few `in (…)` queries, rejects the rows that fail, and unless this is a dry run writes the others in
 * one transaction with one audit entry.
 */
export interface EntityImport<T> {
  readonly columns: ColumnSet
  /** Whose custom attributes `attributes.<key>` columns hold, if any. */
  readonly attributes: AttributeEntity | null
  parser(context: ParseContext): (record: ImportRecord) => ParseResult<T>
  writer(context: ImportContext): (rows: readonly ParsedRow<T>[]) => Promise<ChunkResult>
}

/**
 * Refuses a CSV header up front (the whole file, before any row is written) when it names columns the entity
 * does not have, an undefined custom attribute, a column twice, or lacks a required column.
 */
export function checkHeader(
  set: ColumnSet,
  definitions: ReadonlyMap<string, AttributeDefinition>,
  keys: readonly string[],
  written: readonly string[],
): void {
  const known = new Set([...set.columns, ...set.readOnly])
  const unknown = keys
    .map((key, index) => ({ key, written: written[index] }))
    .filter(
      ({ key }) =>
        !known.has(key) &&
        !(
          set.attributes &&
          key.startsWith('attributes.') &&
          definitions.has(key.slice('attributes.'.length))
        ),
    )
  const duplicates = keys.filter((key, index) => keys.indexOf(key) !== index)
  const missing = set.required.filter((key) => !keys.includes(key))
  const problems: string[] = []
  if (unknown.length > 0) {
    const attributeHint = set.attributes
      ? `; custom fields are attributes.<key> with a defined key (${[...definitions.keys()].join(', ') || 'none defined'})`
      : ''
    problems.push(
      `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u.written}"`).join(', ')}; known: ${set.columns.map(columnName).join(', ')}${attributeHint}`,
    )
  }
  if (duplicates.length > 0) {
    problems.push(
      `column${duplicates.length > 1 ? 's' : ''} ${duplicates.map(columnName).join(', ')} appear twice`,
    )
  }
  if (missing.length > 0) {
    problems.push(
      `missing required column${missing.length > 1 ? 's' : ''} ${missing.map(columnName).join(', ')}`,
    )
  }
  if (problems.length > 0) {
    throw new AppError('CRM_IMPORT_INVALID_FILE', `the header row is not valid: ${problems.join('; ')}`, {
      details: {
        unknown: unknown.map((u) => u.written),
        duplicates: duplicates.map(columnName),
        missing: missing.map(columnName),
        known: set.columns.map(columnName),
      },
    })
  }
}

/**
 * Record-level checks shared by every entity: unknown NDJSON keys and empty records. CSV records need none:
 * their header was checked up front and the parser skips rows whose cells are all empty.
 */
export function recordProblems(record: ImportRecord, set: ColumnSet, csv: boolean): string[] {
  if (csv) return []
  const unknown = unknownKeys(record, set)
  if (unknown.length > 0) {
    return [
      `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => `"${key}"`).join(', ')}; known: ${set.columns.map(columnName).join(', ')}`,
    ]
  }
  if (Object.values(record).every((value) => value === null || value === undefined || value === '')) {
    return ['the row is empty']
  }
  return []
}

/** The distinct non-empty strings among `values`. */
export function distinct(values: Iterable<string | null | undefined>): string[] {
  const set = new Set<string>()
  for (const value of values) if (typeof value === 'string' && value.length > 0) set.add(value)
  return [...set]
}

/** Adds the keys of a value that were given (not undefined) to `fields`: the names an audit entry lists. */
export function addGivenKeys(fields: Set<string>, value: object): void {
  for (const key in value) {
    if ((value as Record<string, unknown>)[key] !== undefined) fields.add(key)
  }
}
