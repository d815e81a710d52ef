import { isAsciiAlphanumeric, makeEntity, type CatalogueProduct, type Entity } from './types.js'

export interface ProductOptions {
  /** The catalogue gazetteer: ids with every name and alias. */
  readonly products?: readonly CatalogueProduct[]
}

interface GazetteerName {
  readonly productId: string
  /** The catalogue's spelling, trimmed. */
  readonly original: string
  /** ASCII letters lower-cased; same length as the name. */
  readonly folded: string
  /** Folded, with white space, hyphens, underscores and middle dots removed. */
  readonly compact: string
  /** The digits of the name: a fuzzy match must keep them (`iPhone 15` is not `iPhone 16`). */
  readonly digits: string
  /** Edits a fuzzy match may make; 0 = no fuzzy matching for this name. */
  readonly maxEdits: number
  readonly startsLatin: boolean
  readonly endsLatin: boolean
  /** The same name belongs to more than one product (`耳机`, `earbuds`). */
  readonly ambiguous: boolean
}

/**
 * Names bucketed by a 16-bit hash of their first two code units ({@link pairHash}), plus one-character names
 * by that character, so a text is scanned once with an array lookup per position. Hash collisions only
 * cost a comparison: every candidate is checked with `startsWith`.
 */
interface PrefixIndex {
  readonly pairs: readonly (readonly GazetteerName[] | undefined)[]
  readonly singles: ReadonlyMap<number, readonly GazetteerName[]>
}

interface Gazetteer {
  readonly byFolded: PrefixIndex
  readonly byCompact: PrefixIndex
  /** Fuzzy-eligible names by first letter, then by compact length (a token starting with another letter is skipped). */
  readonly fuzzy: ReadonlyMap<number, readonly (readonly GazetteerName[] | undefined)[]>
  readonly maxFuzzyLength: number
  readonly maxFuzzyTokens: number
}

const SKIPPED = /[\s\-_·・]/

/** The characters {@link SKIPPED} matches, by code, for the per-character loops. */
function isSpacing(code: number): boolean {
  return (
    code === 32 ||
    code === 45 ||
    code === 95 ||
    code === 0xb7 ||
    code === 0x30fb ||
    (code >= 9 && code <= 13) ||
    code === 0xa0 ||
    code === 0x3000 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0xfeff
  )
}

/** Lower-cases ASCII letters only, so every offset stays where it was. */
export function foldAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase())
}

function pairHash(text: string, at: number): number {
  return (text.charCodeAt(at) * 31 + text.charCodeAt(at + 1)) & 0xffff
}

function createPrefixIndex(): {
  pairs: (GazetteerName[] | undefined)[]
  singles: Map<number, GazetteerName[]>
} {
  return { pairs: new Array<GazetteerName[] | undefined>(65_536).fill(undefined), singles: new Map() }
}

function addToIndex(
  index: { pairs: (GazetteerName[] | undefined)[]; singles: Map<number, GazetteerName[]> },
  key: string,
  name: GazetteerName,
): void {
  if (key.length === 1) {
    addTo(index.singles, key.charCodeAt(0), name)
    return
  }
  const hash = pairHash(key, 0)
  const bucket = index.pairs[hash]
  if (bucket === undefined) index.pairs[hash] = [name]
  else bucket.push(name)
}

const gazetteers = new WeakMap<readonly CatalogueProduct[], Gazetteer>()

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const bucket = map.get(key)
  if (bucket === undefined) map.set(key, [value])
  else bucket.push(value)
}

/** Builds the gazetteer of a product list once; later calls with the same array reuse it. */
function gazetteerOf(products: readonly CatalogueProduct[]): Gazetteer {
  const cached = gazetteers.get(products)
  if (cached !== undefined) return cached
  const owners = new Map<string, Set<string>>()
  for (const product of products) {
    for (const name of product.names) {
      const folded = foldAscii(name.trim())
      if (folded.length > 0) owners.set(folded, (owners.get(folded) ?? new Set()).add(product.id))
    }
  }
  const seen = new Set<string>()
  const byFolded = createPrefixIndex()
  const byCompact = createPrefixIndex()
  const fuzzy = new Map<number, (GazetteerName[] | undefined)[]>()
  let maxFuzzyLength = 0
  let maxFuzzyTokens = 0
  for (const product of products) {
    for (const raw of product.names) {
      const folded = foldAscii(raw.trim())
      if (folded.length === 0 || seen.has(folded)) continue
      seen.add(folded)
      const compact = [...folded].filter((char) => !SKIPPED.test(char)).join('')
      const latinOnly = /^[a-z0-9]+$/.test(compact)
      const tokens = folded.split(/[\s\-_]+/).filter(Boolean).length
      const eligible = latinOnly && /[a-z]/.test(compact) && (tokens >= 2 || compact.length >= 8)
      const maxEdits = !eligible || compact.length < 6 ? 0 : compact.length < 10 ? 1 : 2
      const name: GazetteerName = {
        productId: product.id,
        original: raw.trim(),
        folded,
        compact,
        digits: compact.replace(/\D/g, ''),
        maxEdits,
        startsLatin: isAsciiAlphanumeric(folded.charCodeAt(0)),
        endsLatin: isAsciiAlphanumeric(folded.charCodeAt(folded.length - 1)),
        ambiguous: (owners.get(folded)?.size ?? 0) > 1,
      }
      addToIndex(byFolded, folded, name)
      if (compact.length >= 3) addToIndex(byCompact, compact, name)
      if (maxEdits > 0 && compact.length <= 66) {
        const byLength = fuzzy.get(compact.charCodeAt(0)) ?? []
        fuzzy.set(compact.charCodeAt(0), byLength)
        const bucket = byLength[compact.length]
        if (bucket === undefined) byLength[compact.length] = [name]
        else bucket.push(name)
        maxFuzzyLength = Math.max(maxFuzzyLength, compact.length)
        maxFuzzyTokens = Math.max(maxFuzzyTokens, tokens + 1)
      }
    }
  }
  const gazetteer = {
    byFolded,
    byCompact,
    fuzzy,
    maxFuzzyLength,
    maxFuzzyTokens: Math.min(maxFuzzyTokens, 8),
  }
  gazetteers.set(products, gazetteer)
  return gazetteer
}

function bounded(text: string, start: number, end: number, name: GazetteerName): boolean {
  if (name.startsLatin && start > 0 && isAsciiAlphanumeric(text.charCodeAt(start - 1))) return false
  if (name.endsLatin && end < text.length && isAsciiAlphanumeric(text.charCodeAt(end))) return false
  return true
}

/** Calls `found(at, name)` for every name of the index that occurs in `haystack`. */
function scan(
  haystack: string,
  index: PrefixIndex,
  field: 'folded' | 'compact',
  found: (at: number, name: GazetteerName) => void,
) {
  for (let at = 0; at < haystack.length; at += 1) {
    if (index.singles.size > 0) {
      const single = index.singles.get(haystack.charCodeAt(at))
      if (single !== undefined) for (const name of single) found(at, name)
    }
    if (at + 1 >= haystack.length) break
    const bucket = index.pairs[pairHash(haystack, at)]
    if (bucket === undefined) continue
    for (const name of bucket) if (haystack.startsWith(name[field], at)) found(at, name)
  }
}

/**
 * Finds catalogue products named in the text, in three passes of falling confidence: the name as written
 * (ASCII case ignored; 0.97 with the catalogue's case, 0.93 otherwise); the name with spacing and hyphens
 * ignored (`airpro`, `Air-Pro`: 0.85); and, for Latin names of two or more words or eight or more letters, a
 * match within one edit (six to nine letters) or two edits (ten or more) that keeps the first letter and
 * every digit (`Studio H1 hedphones`: 0.8 × the share of letters right), tried only where no name at least as
 * long was found as written. A name shared by several products is ambiguous: 0.6 × its confidence,
 * normalized to the first product listing it.
 *
 * @example
 *   findProducts('我的air pro耳机坏了', { products: [{ id: 'p1', names: ['Air Pro'] }] })[0].normalized // 'p1'
 */
export function findProducts(text: string, options: ProductOptions = {}): Entity<'product'>[] {
  const products = options.products ?? []
  if (products.length === 0 || text.length === 0) return []
  const gazetteer = gazetteerOf(products)
  const folded = foldAscii(text)
  const best = new Map<string, Entity<'product'>>()
  // For each character, the longest compact name found there without typos.
  const coveredBy = new Int32Array(text.length)
  const push = (start: number, end: number, name: GazetteerName, confidence: number, exact: boolean) => {
    if (!bounded(text, start, end, name)) return
    const entity = makeEntity(
      'product',
      text,
      start,
      end,
      name.ambiguous ? confidence * 0.6 : confidence,
      name.productId,
    )
    // The passes overlap (an exact name is also a compact one): keep the best reading of each span and product.
    const key = `${start}:${end}:${name.productId}`
    const kept = best.get(key)
    if (kept === undefined || entity.confidence > kept.confidence) best.set(key, entity)
    if (exact)
      for (let at = start; at < end; at += 1) coveredBy[at] = Math.max(coveredBy[at], name.compact.length)
  }

  scan(folded, gazetteer.byFolded, 'folded', (at, name) => {
    const end = at + name.folded.length
    if (folded.startsWith(name.folded, at))
      push(at, end, name, text.startsWith(name.original, at) ? 0.97 : 0.93, true)
  })

  // Compact text: skip spacing characters, remembering where each kept character came from.
  const positions: number[] = []
  let compact = ''
  for (let index = 0; index < folded.length; index += 1) {
    if (isSpacing(folded.charCodeAt(index))) continue
    positions.push(index)
    compact += folded[index]
  }
  scan(compact, gazetteer.byCompact, 'compact', (at, name) => {
    if (!compact.startsWith(name.compact, at)) return
    push(positions[at], positions[at + name.compact.length - 1] + 1, name, 0.85, true)
  })

  if (gazetteer.fuzzy.size > 0) {
    findFuzzy(folded, gazetteer, (start, end, name, confidence) => {
      for (let at = start; at < end; at += 1) if (coveredBy[at] >= name.compact.length) return
      push(start, end, name, confidence, false)
    })
  }
  return [...best.values()]
}

function findFuzzy(
  folded: string,
  gazetteer: Gazetteer,
  push: (start: number, end: number, name: GazetteerName, confidence: number) => void,
): void {
  const tokens: { start: number; end: number }[] = []
  const token = /[a-z0-9]+/g
  for (let match = token.exec(folded); match !== null; match = token.exec(folded)) {
    tokens.push({ start: match.index, end: match.index + match[0].length })
  }
  for (let first = 0; first < tokens.length; first += 1) {
    const byLength = gazetteer.fuzzy.get(folded.charCodeAt(tokens[first].start))
    if (byLength === undefined) continue
    // The best window starting at this token: fewest edits, then the closest length.
    let best: { last: number; name: GazetteerName; distance: number; slack: number } | null = null
    let window = ''
    let digits = ''
    for (let last = first; last < tokens.length && last - first < gazetteer.maxFuzzyTokens; last += 1) {
      if (last > first && !onlySpacing(folded, tokens[last - 1].end, tokens[last].start)) break
      const part = folded.slice(tokens[last].start, tokens[last].end)
      window += part
      for (let index = 0; index < part.length; index += 1) {
        const code = part.charCodeAt(index)
        if (code >= 48 && code <= 57) digits += part[index]
      }
      if (window.length > gazetteer.maxFuzzyLength + 2) break
      for (let length = window.length - 2; length <= window.length + 2; length += 1) {
        const candidates = length >= 0 ? byLength[length] : undefined
        if (candidates === undefined) continue
        const slack = Math.abs(length - window.length)
        for (const name of candidates) {
          if (slack > name.maxEdits || !similarEnds(window, name.compact) || digits !== name.digits) continue
          if (bagDistance(window, name.compact, name.maxEdits) > name.maxEdits) continue
          const distance = editDistance(window, name.compact, name.maxEdits)
          if (distance === 0 || distance > name.maxEdits) continue
          if (
            best === null ||
            distance < best.distance ||
            (distance === best.distance && slack < best.slack)
          ) {
            best = { last, name, distance, slack }
          }
        }
      }
    }
    if (best !== null) {
      const confidence = 0.8 * (1 - best.distance / best.name.compact.length)
      push(tokens[first].start, tokens[best.last].end, best.name, confidence)
    }
  }
}

/** True when only white space, hyphens and underscores lie between two tokens. */
function onlySpacing(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index += 1) if (!isSpacing(text.charCodeAt(index))) return false
  return true
}

/**
 * O(1) screen before any distance: the second and the last characters must agree, allowing for one
 * character inserted or deleted next to them.
 */
function similarEnds(window: string, name: string): boolean {
  const w1 = window.charCodeAt(1)
  const n1 = name.charCodeAt(1)
  if (w1 !== n1 && w1 !== name.charCodeAt(2) && window.charCodeAt(2) !== n1) return false
  const wLast = window.charCodeAt(window.length - 1)
  const nLast = name.charCodeAt(name.length - 1)
  return (
    wLast === nLast ||
    wLast === name.charCodeAt(name.length - 2) ||
    window.charCodeAt(window.length - 2) === nLast
  )
}

const counts = new Int32Array(128)

/**
 * A cheap lower bound of the edit distance: how many characters one string has that the other lacks (both
 * ASCII, as fuzzy names are). Stops at `limit + 1`.
 */
function bagDistance(a: string, b: string, limit: number): number {
  for (let index = 0; index < a.length; index += 1) counts[a.charCodeAt(index) & 127] += 1
  for (let index = 0; index < b.length; index += 1) counts[b.charCodeAt(index) & 127] -= 1
  let surplus = 0
  let deficit = 0
  for (let index = 0; index < a.length; index += 1) {
    const code = a.charCodeAt(index) & 127
    if (counts[code] > 0) surplus += counts[code]
    counts[code] = 0
  }
  for (let index = 0; index < b.length; index += 1) {
    const code = b.charCodeAt(index) & 127
    if (counts[code] < 0) deficit -= counts[code]
    counts[code] = 0
  }
  return Math.min(limit + 1, Math.max(surplus, deficit))
}

/** Scratch rows for {@link editDistance}; grown when a longer string comes along. */
let rows = [new Int32Array(72), new Int32Array(72), new Int32Array(72)]

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), giving up with
 * `limit + 1` as soon as every cell of a row exceeds `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  if (rows[0].length <= b.length) rows = rows.map(() => new Int32Array(b.length * 2 + 2))
  let [previousPrevious, previous, current] = rows
  for (let j = 0; j <= b.length; j += 1) previous[j] = j
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i
    let rowMinimum = i
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        value = Math.min(value, previousPrevious[j - 2] + 1)
      }
      current[j] = value
      if (value < rowMinimum) rowMinimum = value
    }
    if (rowMinimum > limit) return limit + 1
    ;[previousPrevious, previous, current] = [previous, current, previousPrevious]
  }
  return previous[b.length]
}
