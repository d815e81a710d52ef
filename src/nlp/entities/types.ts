import type { Money } from '../../core/index.js'

/** The entity types of CONTRACTS.md, in the order the resolver prefers them when two spans tie. */
export const ENTITY_TYPES = [
  'email',
  'cn_id_number',
  'order_number',
  'phone',
  'bank_card',
  'amount',
  'date',
  'product',
  'address',
] as const

export type EntityType = (typeof ENTITY_TYPES)[number]

/** What `normalized` holds for each entity type. */
export interface EntityNormalizedValues {
  /** E.164, `+8613800138000`. */
  phone: string
  /** Lower-cased address. */
  email: string
  /** 18 characters, upper-case `X` check digit, no spaces. */
  cn_id_number: string
  /** Digits only. */
  bank_card: string
  /** Upper-cased, spaces removed. */
  order_number: string
  /** Integer minor units plus ISO 4217 code: `¥299` → `{ amount: 29900, currency: 'CNY' }`. */
  amount: Money
  /** Local calendar date in the workspace time zone, `YYYY-MM-DD`. */
  date: string
  /** The catalogue product id. */
  product: string
  /** The address with runs of white space collapsed to one space. */
  address: string
}

interface EntityOf<T extends EntityType> {
  readonly type: T
  /** Exactly `text.slice(start, end)`. */
  readonly value: string
  /** UTF-16 code unit offsets into the original text. */
  readonly start: number
  readonly end: number
  /** In [0, 1]: how sure the extractor is that this span is this kind of thing. */
  readonly confidence: number
  readonly normalized?: EntityNormalizedValues[T]
}

/**
 * One entity found in a text; a union discriminated by `type`, so `normalized` has the right shape:
 *
 * @example
 *   if (entity.type === 'amount') entity.normalized?.currency // 'CNY'
 */
export type Entity<T extends EntityType = EntityType> = { [K in T]: EntityOf<K> }[T]

/** One catalogue product for the gazetteer: its id and every name or alias customers may use. */
export interface CatalogueProduct {
  readonly id: string
  readonly names: readonly string[]
}

/** What extraction needs to know about the workspace; only `now` is required. */
export interface EntityContext {
  /** The injected clock: relative dates ("明天", "next Monday") resolve against it. */
  readonly now: Date
  /** IANA time zone of the workspace; default `Asia/Shanghai`. */
  readonly timeZone?: string
  /** Region for phone numbers written without a country code; default `CN`. */
  readonly defaultRegion?: string
  /** Replaces the default order-number patterns; group 1 (or the named group `order`), if any, is the value. */
  readonly orderNumberPatterns?: readonly RegExp[]
  /** The catalogue gazetteer for `product` entities. */
  readonly products?: readonly CatalogueProduct[]
  /** Used by redaction; extraction ignores it. */
  readonly customerName?: string
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'
export const DEFAULT_REGION = 'CN'

/** ASCII letters and digits: the characters a Latin token or a code is made of. */
export function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
}

/** CJK unified ideographs (basic block and extension A) and the compatibility block. */
export function isHan(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff)
  )
}

/** Builds an entity from a span of `text`, so that `value` is always `text.slice(start, end)`. */
export function makeEntity<T extends EntityType>(
  type: T,
  text: string,
  start: number,
  end: number,
  confidence: number,
  normalized?: EntityNormalizedValues[T],
): Entity<T> {
  const entity = { type, value: text.slice(start, end), start, end, confidence: round(confidence) }
  return (normalized === undefined ? entity : { ...entity, normalized }) as Entity<T>
}

function round(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000
}
