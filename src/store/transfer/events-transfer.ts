import { z } from 'zod'
import { newId } from '../../core/index.js'
import { cleanText, idSchema, propertiesSchema } from '../../crm/common.js'
import { eventTypeSchema } from '../../crm/events.js'
import { skuSchema } from '../../crm/products.js'
import { eventsTable } from '../crm/tables.js'
import type { ExportSpec } from './export-spec.js'
import { RowReader, type ColumnSet, type ImportRecord } from './fields.js'
import { distinct, recordProblems, type ChunkResult, type EntityImport, type ParsedRow } from './importer.js'
import { auditChunk, insertRows, selectIn } from './sql.js'

const columns: ColumnSet = {
  columns: [
    'type',
    'customerExternalId',
    'customerId',
    'anonymousId',
    'sessionId',
    'sku',
    'source',
    'occurredAt',
    'properties',
  ],
  readOnly: ['id', 'createdAt'],
  required: ['type'],
  attributes: false,
}

const eventRowSchema = z
  .strictObject({
    type: eventTypeSchema,
    customerExternalId: cleanText(200).min(1).nullable().optional(),
    customerId: idSchema.nullable().optional(),
    anonymousId: cleanText(200).min(1).nullable().optional(),
    sessionId: cleanText(200).min(1).nullable().optional(),
    sku: skuSchema.nullable().optional(),
    source: cleanText(64).min(1).nullable().optional(),
    occurredAt: z.string().nullable().optional(),
    properties: propertiesSchema.nullable().optional(),
  })
  .refine((event) => Boolean(event.customerExternalId || event.customerId || event.anonymousId), {
    message: 'give customer_external_id, customer_id or anonymous_id',
    path: ['customerExternalId'],
  })
export type EventImportRow = z.output<typeof eventRowSchema>

/**
 * Behaviour events: insert-only (an event is a fact; importing the same file twice records it twice). The
 * customer is named by external id (or id); a SKU resolves to the product, an unknown one is kept under
 * `properties.sku` as the API does.
 */
export const eventsImport: EntityImport<EventImportRow> = {
  columns,
  attributes: null,
  parser: (context) => {
    function parse(record: ImportRecord) {
      const problems = recordProblems(record, columns, context.csv)
      if (problems.length > 0) return { errors: problems }
      const r = new RowReader(record, context.csv)
      const candidate = {
        type: r.text('type'),
        customerExternalId: r.text('customerExternalId'),
        customerId: r.text('customerId'),
        anonymousId: r.text('anonymousId'),
        sessionId: r.text('sessionId'),
        sku: r.text('sku'),
        source: r.text('source'),
        occurredAt: r.time('occurredAt'),
        properties: r.object('properties'),
      }
      if (r.errors.length > 0) return { errors: r.errors }
      const parsed = eventRowSchema.safeParse(candidate)
      if (!parsed.success) {
        r.zodIssues(parsed.error)
        return { errors: r.errors }
      }
      return { value: parsed.data }
    }

    return parse
  },
  writer: (context) => {
    const { store } = context

    async function importChunk(rows: readonly ParsedRow<EventImportRow>[]): Promise<ChunkResult> {
      const now = context.now()
      const at = now.toISOString()
      const result: ChunkResult = { inserted: 0, updated: 0, rejected: [] }
      const columnsOfCustomer = ['id', 'externalId', 'mergedIntoId']
      const byExternalId = new Map<string, string>()
      for (const row of await selectIn(
        store,
        'customers',
        'externalId',
        distinct(rows.map((row) => row.value.customerExternalId)),
        columnsOfCustomer,
      )) {
        byExternalId.set(String(row.externalId), String(row.mergedIntoId ?? row.id))
      }
      const byId = new Map<string, string>()
      for (const row of await selectIn(
        store,
        'customers',
        'id',
        distinct(rows.map((row) => row.value.customerId)),
        columnsOfCustomer,
      )) {
        byId.set(String(row.id), String(row.mergedIntoId ?? row.id))
      }
      const products = new Map<string, string>()
      for (const row of await selectIn(store, 'products', 'sku', distinct(rows.map((row) => row.value.sku)), [
        'id',
        'sku',
      ])) {
        products.set(String(row.sku), String(row.id))
      }
      const inserts: Record<string, unknown>[] = []
      const fields = new Set<string>()
      for (const { line, value } of rows) {
        let customerId: string | null = null
        if (value.customerExternalId) {
          customerId = byExternalId.get(value.customerExternalId) ?? null
          if (customerId === null) {
            result.rejected.push({
              line,
              errors: [`customer_external_id: no customer has the external id "${value.customerExternalId}"`],
            })
            continue
          }
        } else if (value.customerId) {
          customerId = byId.get(value.customerId) ?? null
          if (customerId === null) {
            result.rejected.push({
              line,
              errors: [`customer_id: customer "${value.customerId}" does not exist`],
            })
            continue
          }
        }
        let properties = value.properties ?? {}
        let productId: string | null = null
        if (value.sku) {
          productId = products.get(value.sku) ?? null
          if (productId === null) properties = { sku: value.sku, ...properties }
        }
        const occurredAt = value.occurredAt ?? at
        inserts.push({
          id: newId('event', Date.parse(occurredAt)),
          type: value.type,
          customerId,
          anonymousId: value.anonymousId ?? null,
          sessionId: value.sessionId ?? null,
          productId,
          properties,
          source: value.source ?? 'import',
          occurredAt,
          createdAt: at,
        })
        for (const [key, field] of Object.entries(value)) if (field !== undefined) fields.add(key)
        result.inserted++
      }
      if (context.dryRun || inserts.length === 0) return result
      await store.db.transaction().execute(async (trx) => {
        await insertRows(store, trx, 'events', eventsTable.columns, inserts)
        await auditChunk(
          trx,
          store,
          context.actor,
          {
            entity: 'event',
            fields,
            inserted: result.inserted,
            updated: 0,
            firstLine: rows[0].line,
            lastLine: rows[rows.length - 1].line,
          },
          now,
        )
      })
      return result
    }

    return importChunk
  },
}

/** Events as exported: the import columns (customer and product by their keys) plus id and created time. */
export const eventsExport: ExportSpec = {
  table: 'events',
  kinds: eventsTable.columns,
  columns: ['id', ...columns.columns, 'createdAt'],
  async resolve(store, rows) {
    const customers = new Map<string, string | null>()
    for (const row of await selectIn(
      store,
      'customers',
      'id',
      distinct(rows.map((row) => row.customerId as string)),
      ['id', 'externalId'],
    )) {
      customers.set(String(row.id), (row.externalId as string | null) ?? null)
    }
    const skus = new Map<string, string>()
    for (const row of await selectIn(
      store,
      'products',
      'id',
      distinct(rows.map((row) => row.productId as string)),
      ['id', 'sku'],
    )) {
      skus.set(String(row.id), String(row.sku))
    }
    return rows.map((row) => ({
      id: row.id,
      type: row.type,
      customerExternalId: row.customerId ? (customers.get(String(row.customerId)) ?? null) : null,
      customerId: row.customerId,
      anonymousId: row.anonymousId,
      sessionId: row.sessionId,
      sku: row.productId ? (skus.get(String(row.productId)) ?? null) : null,
      source: row.source,
      occurredAt: row.occurredAt,
      properties: row.properties,
      createdAt: row.createdAt,
    }))
  },
}
