import { AUDIO_WEARABLES } from './catalogue-audio-wearables.js'
import { COMPUTING } from './catalogue-computing.js'
import { LIVING } from './catalogue-living.js'
import { MOBILE_HOME } from './catalogue-mobile-home.js'
import type { CatalogueEntry } from './catalogue-types.js'
import type { DemoProduct } from './types.js'

/** The demo shop: Lumen 光屿, consumer electronics and lifestyle goods, prices in CNY. */
export const SHOP = {
  name: { zh: '光屿', en: 'Lumen' },
  fullName: { zh: '光屿 Lumen 数码生活馆', en: 'Lumen 光屿 Electronics & Living' },
  orderPrefix: 'LM',
  supportEmail: 'support@lumen-demo.com',
  hotline: '400-800-0000',
} as const

/** Every catalogue line, in SKU order within each category. */
export const CATALOGUE: readonly CatalogueEntry[] = [
  ...AUDIO_WEARABLES,
  ...COMPUTING,
  ...MOBILE_HOME,
  ...LIVING,
]

const BY_SKU = new Map(CATALOGUE.map((line) => [line.sku, line]))

/** Pairs for `random.weighted`, built once. */
export const PRODUCT_WEIGHTS: readonly (readonly [CatalogueEntry, number])[] = CATALOGUE.map((line) => [
  line,
  line.popularity,
])

export function catalogueEntry(sku: string): CatalogueEntry {
  const line = BY_SKU.get(sku)
  if (!line) throw new Error(`unknown demo SKU "${sku}"`)
  return line
}

/** The catalogue as public products (without the internal popularity weight). Fresh objects on every call. */
export function listProducts(): DemoProduct[] {
  return CATALOGUE.map(({ popularity: _popularity, ...product }) => ({
    ...product,
    name: { ...product.name },
    description: { ...product.description },
    attributes: { ...product.attributes },
    aliases: { zh: [...product.aliases.zh], en: [...product.aliases.en] },
  }))
}
