import { z } from 'zod'
import { currencySchema, minorUnitsSchema, newId } from '../../core/index.js'
import { mergeAttributes, validateAttributes } from '../../crm/attributes.js'
import { attributesSchema, cleanText, type Attributes, type I18nText } from '../../crm/common.js'
import { productSearchText, skuSchema } from '../../crm/products.js'
import { productsTable } from '../crm/tables.js'
import type { ExportSpec } from './export-spec.js'
import { RowReader, type ColumnSet, type ImportRecord } from './fields.js'
import {
  distinct,
  addGivenKeys,
  recordProblems,
  type ChunkResult,
  type EntityImport,
  type ParsedRow,
} from './importer.js'
import { auditChunk, insertRows, selectIn, upsertRows } from './sql.js'

const columns: ColumnSet = {
  columns: [
    'sku',
    'nameZh',
    'nameEn',
    'category',
    'priceAmount',
    'currency',
    'descriptionZh',
    'descriptionEn',
    'active',
  ],
  readOnly: ['id', 'createdAt', 'updatedAt'],
  required: ['sku'],
  nested: ['name', 'description', 'price'],
  attributes: true,
}

const languageText = cleanText(2000).nullable().optional()

/** One product row, flat (the API's nested `name`, `description` and `price` are flattened first). */
const productRowSchema = z.strictObject({
  sku: skuSchema,
  nameZh: languageText,
  nameEn: languageText,
  descriptionZh: languageText,
  descriptionEn: languageText,
  category: cleanText(100).min(1).nullable().optional(),
  priceAmount: minorUnitsSchema.min(0).nullable().optional(),
  currency: currencySchema.nullable().optional(),
  active: z.boolean().nullable().optional(),
  attributes: attributesSchema.optional(),
})
export type ProductImportRow = z.output<typeof productRowSchema>

/** Reads the nested API shape (`name: {zh, en}`, `price: {amount, currency}`) into the flat columns. */
function flatten(record: ImportRecord, r: RowReader): Record<string, unknown> {
  const flat: Record<string, unknown> = { ...record }
  for (const [key, zh, en] of [
    ['name', 'nameZh', 'nameEn'],
    ['description', 'descriptionZh', 'descriptionEn'],
  ] as const) {
    const value = record[key]
    delete flat[key]
    if (value === undefined) continue
    if (value === null) {
      flat[zh] = null
      flat[en] = null
    } else if (typeof value === 'object' && !Array.isArray(value)) {
      const text = value as Record<string, unknown>
      if (text.zh !== undefined) flat[zh] = text.zh
      if (text.en !== undefined) flat[en] = text.en
    } else r.fail(key, 'must be an object {"zh": …, "en": …}')
  }
  const price = record.price
  delete flat.price
  if (price !== undefined && price !== null) {
    if (typeof price === 'object' && !Array.isArray(price)) {
      flat.priceAmount = (price as Record<string, unknown>).amount
      flat.currency = (price as Record<string, unknown>).currency
    } else r.fail('price', 'must be an object {"amount": …, "currency": …}')
  }
  return flat
}

/**
 * Products: upsert by SKU. A row may give one language of the name or description; on update the other is
 * kept. A new product needs a name (zh, en or both), a price and a currency.
 */
export const productsImport: EntityImport<ProductImportRow> = {
  columns,
  attributes: 'product',
  parser: (context) => {
    const definitions = [...context.definitions.values()]
    function parse(record: ImportRecord) {
      const problems = recordProblems(record, columns, context.csv)
      if (problems.length > 0) return { errors: problems }
      const pre = new RowReader(record, context.csv)
      const r = new RowReader(flatten(record, pre), context.csv)
      const currency = r.text('currency')
      const candidate = {
        sku: r.text('sku'),
        nameZh: r.text('nameZh'),
        nameEn: r.text('nameEn'),
        descriptionZh: r.text('descriptionZh'),
        descriptionEn: r.text('descriptionEn'),
        category: r.text('category'),
        priceAmount: r.integer('priceAmount'),
        currency: typeof currency === 'string' ? currency.toUpperCase() : currency,
        active: r.boolean('active'),
        attributes: r.attributes(context.definitions),
      }
      const errors = [...pre.errors, ...r.errors]
      if (errors.length > 0) return { errors }
      if (candidate.sku === null || candidate.sku === undefined) return { errors: ['sku: required'] }
      const parsed = productRowSchema.safeParse(candidate)
      if (!parsed.success) {
        r.zodIssues(parsed.error)
        return { errors: r.errors }
      }
      if (parsed.data.attributes) {
        try {
          validateAttributes('product', definitions, parsed.data.attributes)
        } catch (error) {
          return { errors: [`attributes: ${(error as Error).message}`] }
        }
      }
      return { value: parsed.data }
    }

    return parse
  },
  writer: (context) => {
    const { store, dryRun } = context
    const codec = store.codec
    // A dry run writes nothing: products it would have written stay here so later rows update them.
    const virtual = new Map<string, Record<string, unknown>>()

    async function importChunk(rows: readonly ParsedRow<ProductImportRow>[]): Promise<ChunkResult> {
      const now = context.now()
      const at = now.toISOString()
      const result: ChunkResult = { inserted: 0, updated: 0, rejected: [] }
      const targets = new Map<string, { row: Record<string, unknown>; isNew: boolean }>()
      const skus = distinct(rows.map((row) => row.value.sku))
      for (const row of await selectIn(store, 'products', 'sku', skus)) {
        const product = codec.decode<Record<string, unknown>>(productsTable.columns, row)
        targets.set(String(product.sku), { row: product, isNew: false })
      }
      for (const sku of skus) {
        const row = virtual.get(sku)
        if (row && !targets.has(sku)) targets.set(sku, { row: { ...row }, isNew: false })
      }
      const inserts = new Map<string, Record<string, unknown>>()
      const updates = new Map<string, Record<string, unknown>>()
      const fields = new Set<string>()
      for (const { line, value } of rows) {
        const existing = targets.get(value.sku)
        const row = { ...(existing?.row ?? newRow(value.sku, at)) }
        const errors = applyRow(row, value, at)
        if (!existing) {
          if (value.priceAmount === undefined || value.priceAmount === null) {
            errors.push('price_amount: required for a new product')
          }
          if (value.currency === undefined || value.currency === null) {
            errors.push('currency: required for a new product')
          }
        }
        if (errors.length > 0) {
          result.rejected.push({ line, errors })
          continue
        }
        addGivenKeys(fields, value)
        const id = String(row.id)
        if (!existing) {
          inserts.set(id, row)
          targets.set(value.sku, { row, isNew: true })
          result.inserted++
        } else {
          existing.row = row
          if (existing.isNew) inserts.set(id, row)
          else updates.set(id, row)
          result.updated++
        }
      }
      if (dryRun) {
        for (const row of [...inserts.values(), ...updates.values()]) virtual.set(String(row.sku), row)
        return result
      }
      if (inserts.size === 0 && updates.size === 0) return result
      await store.db.transaction().execute(async (trx) => {
        await insertRows(store, trx, 'products', productsTable.columns, [...inserts.values()])
        await upsertRows(store, trx, 'products', productsTable.columns, [...updates.values()])
        await auditChunk(
          trx,
          store,
          context.actor,
          {
            entity: 'product',
            fields,
            inserted: result.inserted,
            updated: result.updated,
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

function newRow(sku: string, at: string): Record<string, unknown> {
  return {
    id: newId('product'),
    sku,
    name: {},
    searchText: '',
    category: null,
    priceAmount: 0,
    currency: 'CNY',
    description: null,
    attributes: {},
    active: true,
    createdAt: at,
    updatedAt: at,
  }
}

/** Applies a row to a complete product row (merge: absent keeps, null clears); returns the problems. */
function applyRow(row: Record<string, unknown>, value: ProductImportRow, at: string): string[] {
  const errors: string[] = []
  const name = mergeText(row.name as I18nText | null, value.nameZh, value.nameEn)
  if (name === null) errors.push('name: give name_zh, name_en or both')
  else row.name = name
  if (value.descriptionZh !== undefined || value.descriptionEn !== undefined) {
    row.description = mergeText(row.description as I18nText | null, value.descriptionZh, value.descriptionEn)
  }
  if (value.category !== undefined) row.category = value.category
  if (value.priceAmount !== undefined && value.priceAmount !== null) row.priceAmount = value.priceAmount
  if (value.currency !== undefined && value.currency !== null) row.currency = value.currency
  if (value.active !== undefined && value.active !== null) row.active = value.active
  if (value.attributes !== undefined) {
    row.attributes = mergeAttributes((row.attributes ?? {}) as Attributes, value.attributes)
  }
  row.searchText = productSearchText({
    sku: String(row.sku),
    name: row.name as I18nText,
    category: row.category as string | null,
  })
  row.updatedAt = at
  return errors
}

function mergeText(
  current: I18nText | null,
  zh: string | null | undefined,
  en: string | null | undefined,
): I18nText | null {
  const next: I18nText = { ...(current ?? {}) }
  if (zh !== undefined) {
    if (zh === null) delete next.zh
    else next.zh = zh
  }
  if (en !== undefined) {
    if (en === null) delete next.en
    else next.en = en
  }
  return next.zh === undefined && next.en === undefined ? null : next
}

/** Products as exported: the import columns plus id and times. */
export const productsExport: ExportSpec = {
  table: 'products',
  kinds: productsTable.columns,
  attributesEntity: 'product',
  columns: ['id', ...columns.columns, 'createdAt', 'updatedAt'],
  async resolve(_store, rows) {
    return rows.map((row) => {
      const name = (row.name ?? {}) as I18nText
      const description = (row.description ?? {}) as I18nText
      return {
        id: row.id,
        sku: row.sku,
        nameZh: name.zh ?? null,
        nameEn: name.en ?? null,
        category: row.category,
        priceAmount: row.priceAmount,
        currency: row.currency,
        descriptionZh: description.zh ?? null,
        descriptionEn: description.en ?? null,
        active: row.active,
        attributes: row.attributes,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      }
    })
  },
}
