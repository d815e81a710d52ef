import { stringify } from 'csv-stringify/sync'
import { AppError } from '../../core/index.js'
import type { AttributeDefinition } from '../../crm/attributes.js'
import { attributeDefinitionsTable } from '../crm/tables.js'
import type { Store } from '../database.js'
import type { ExportQuery, ExportSpec } from './export-spec.js'
import { attributeText, columnName } from './fields.js'
import type { TransferFormat } from './source.js'

/** Rows read per keyset page while exporting. */
const PAGE = 1000

/**
 * Streams an entity as CSV (header row first) or JSON lines, paging through the table by id so memory stays
 * flat however large it is. Yields text chunks of about one page each.
 *
 * @example
 *   for await (const text of exportRows(store, customersExport, 'csv')) process.stdout.write(text)
 */
export async function* exportRows(
  store: Store,
  spec: ExportSpec,
  format: TransferFormat,
): AsyncGenerator<string> {
  const attributeKeys = spec.attributesEntity ? await definedKeys(store, spec.attributesEntity) : []
  const header = [...spec.columns.map(columnName), ...attributeKeys.map((key) => `attributes.${key}`)]
  if (format === 'csv') yield stringify([header])
  let after: string | null = null
  for (;;) {
    let query = store.db.selectFrom(spec.table).selectAll() as ExportQuery
    if (spec.scope) query = spec.scope(query)
    if (after !== null) query = query.where('id', '>', after)
    const rows = await query.orderBy('id').limit(PAGE).execute()
    if (rows.length === 0) return
    after = String(rows[rows.length - 1].id)
    const decoded = rows.map((row) => store.codec.decode<Record<string, unknown>>(spec.kinds, row))
    const records = await spec.resolve(store, decoded)
    if (format === 'jsonl') {
      yield records.map((record) => `${JSON.stringify(record)}\n`).join('')
    } else {
      yield stringify(records.map((record) => csvRow(spec, record, attributeKeys)))
    }
    if (rows.length < PAGE) return
  }
}

function csvRow(
  spec: ExportSpec,
  record: Record<string, unknown>,
  attributeKeys: readonly string[],
): string[] {
  const flat = spec.toCsv ? spec.toCsv(record) : record
  const cells = spec.columns.map((key) => cellText(flat[key]))
  const attributes = (record.attributes ?? {}) as Record<string, unknown>
  for (const key of attributeKeys) cells.push(attributeText(attributes[key]))
  return cells
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

async function definedKeys(store: Store, entity: string): Promise<string[]> {
  const rows = await store.db
    .selectFrom('attribute_definitions')
    .selectAll()
    .where('entity', '=', entity)
    .orderBy('key')
    .execute()
  return rows.map(
    (row) => store.codec.decode<AttributeDefinition>(attributeDefinitionsTable.columns, row).key,
  )
}

/** A user error for an entity name that is not one of `valid`. */
export function unknownEntity(entity: string, valid: readonly string[], verb: 'import' | 'export'): AppError {
  return new AppError('CRM_UNKNOWN_ENTITY', `cannot ${verb} "${entity}"; valid: ${valid.join(', ')}`, {
    details: { entity, valid },
  })
}
