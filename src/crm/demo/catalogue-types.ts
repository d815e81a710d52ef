import type { DemoProduct } from './types.js'

/** A catalogue line: the public product plus how often it sells (relative weight for orders and events). */
export interface CatalogueEntry extends DemoProduct {
  popularity: number
}

type Entry = Omit<CatalogueEntry, 'currency' | 'aliases' | 'name' | 'description'> & {
  zh: string
  en: string
  descZh: string
  descEn: string
  aliasZh: readonly string[]
  aliasEn: readonly string[]
}

/** Writes a catalogue line compactly; prices are given in whole yuan and stored in fen. */
export function entry(line: Entry): CatalogueEntry {
  return {
    sku: line.sku,
    name: { zh: line.zh, en: line.en },
    category: line.category,
    priceAmount: line.priceAmount * 100,
    currency: 'CNY',
    description: { zh: line.descZh, en: line.descEn },
    attributes: line.attributes,
    aliases: { zh: line.aliasZh, en: line.aliasEn },
    popularity: line.popularity,
  }
}
