import type { Currency } from '../../core/index.js'
import type { I18nText } from '../../crm/common.js'
import { productSearchText, type Product, type ProductCreate, type ProductPatch } from '../../crm/products.js'
import type { RepositoryContext } from './context.js'
import { createSimpleRepository } from './simple-repository.js'
import { productsTable } from './tables.js'

/** A decoded `products` row in the API shape: `price_amount` + `currency` become `price`. */
export function productFromRow(row: Record<string, unknown>): Product {
  return {
    id: row.id as string,
    sku: row.sku as string,
    name: row.name as I18nText,
    category: (row.category as string | null) ?? null,
    price: { amount: row.priceAmount as number, currency: row.currency as Currency },
    description: (row.description as I18nText | null) ?? null,
    attributes: (row.attributes as Product['attributes']) ?? {},
    active: row.active as boolean,
    createdAt: row.createdAt as string,
    updatedAt: row.updatedAt as string,
  }
}

/**
 * The catalogue. `search_text` (SKU, both names, category, lower-cased) is kept in step on every write so
 * `q` finds a product in Chinese and in English; a SKU is unique (409), and a product that order items or
 * events point at cannot be deleted (409).
 */
export function createProductsRepository(context: RepositoryContext) {
  return createSimpleRepository<Product, ProductCreate, ProductPatch>(context, {
    spec: productsTable,
    attributesEntity: 'product',
    required: ['sku', 'name', 'price', 'active'],
    toRow: (input) => ({
      sku: input.sku,
      name: input.name,
      searchText: productSearchText(input),
      category: input.category ?? null,
      priceAmount: input.price.amount,
      currency: input.price.currency,
      description: input.description ?? null,
      attributes: input.attributes,
      active: input.active,
    }),
    patchToRow: (patch, current) => {
      const { price, ...rest } = patch
      const next = {
        sku: patch.sku ?? current.sku,
        name: patch.name ?? current.name,
        category: patch.category === undefined ? current.category : patch.category,
      }
      return {
        ...rest,
        ...(price === undefined ? {} : { priceAmount: price.amount, currency: price.currency }),
        searchText: productSearchText(next),
      }
    },
    fromRow: productFromRow,
  })
}

export type ProductsRepository = ReturnType<typeof createProductsRepository>
