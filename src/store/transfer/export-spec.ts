import type { SelectQueryBuilder } from 'kysely'
import type { AttributeEntity } from '../../crm/attributes.js'
import type { ColumnKinds } from '../codec.js'
import type { Row, Store, Tables } from '../database.js'

export type ExportQuery = SelectQueryBuilder<Tables, string, Row>

/**
 * How one entity is exported: its table, the records of a page in the nested JSONL shape (camelCase, the same
 * keys the import reads), and how a record flattens to CSV text. An export re-imports cleanly.
 */
export interface ExportSpec {
  readonly table: string
  readonly kinds: ColumnKinds
  /** When set, defined custom attributes become `attributes.<key>` CSV columns. */
  readonly attributesEntity?: AttributeEntity
  readonly scope?: (query: ExportQuery) => ExportQuery
  /** Canonical keys in column order (attributes are appended). */
  readonly columns: readonly string[]
  /** Turns a page of decoded rows into records, resolving ids to external keys with `in (…)` queries. */
  resolve(store: Store, rows: readonly Record<string, unknown>[]): Promise<Record<string, unknown>[]>
  /** Flattens the list and object values of a record to CSV text (attributes are handled by the exporter). */
  toCsv?(record: Record<string, unknown>): Record<string, unknown>
}
