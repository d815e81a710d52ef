import { findAddresses } from './address.js'
import { findAmounts } from './amount.js'
import { findBankCards } from './bank-card.js'
import { findCnIdNumbers } from './cn-id.js'
import { findDates } from './date.js'
import { findEmails } from './email.js'
import { findOrderNumbers } from './order-number.js'
import { findPhones } from './phone.js'
import { findProducts } from './product.js'
import { ENTITY_TYPES, type Entity, type EntityContext, type EntityType } from './types.js'

export * from './types.js'
export { findAddresses } from './address.js'
export { findAmounts } from './amount.js'
export { findBankCards, isCardNumber, luhnValid } from './bank-card.js'
export { findCnIdNumbers, isValidCnId, type CnIdOptions } from './cn-id.js'
export { findDates, type DateOptions } from './date.js'
export { findEmails } from './email.js'
export { DEFAULT_ORDER_NUMBER_PATTERNS, findOrderNumbers, type OrderNumberOptions } from './order-number.js'
export { findPhones, type PhoneOptions } from './phone.js'
export { findProducts, type ProductOptions } from './product.js'
export { parseChineseNumeral } from './chinese-numerals.js'

/** Lower is preferred when two candidates cover spans of the same length. */
const RANK: Readonly<Record<EntityType, number>> = Object.fromEntries(
  ENTITY_TYPES.map((type, index) => [type, index]),
) as Record<EntityType, number>

/** Options for {@link findEntities}: which types to look for (default: all). */
export interface FindEntitiesOptions {
  readonly types?: readonly EntityType[]
}

/**
 * Extracts entities of every CONTRACTS type, non-overlapping and ordered by `start`.
 * Offsets are UTF-16 code units and `text.slice(start, end) === value` always holds.
 *
 * Precedence when candidates overlap:
 * 1. the longest span wins (`+86 138 0013 8000` as a phone beats `86 138 0013 8000` read as anything else;
 *    an email beats the phone number in its local part; `LM20261024-582130` beats a card inside it);
 * 2. on equal length the more specific type wins, in this order: email, cn_id_number, order_number, phone,
 *    bank_card, amount, date, product, address (a checksum-valid id that is also Luhn-valid is an id; a
 *    labelled `订单号 4111111111111` is an order number, not a card);
 * 3. then the higher confidence, then the earlier start.
 *
 * @example
 *   extractEntities('订单LM20261024-582130 明天能到吗？电话138 0013 8000', { now: clock.now() })
 *   // → order_number LM20261024-582130, date (tomorrow), phone +8613800138000
 */
export function extractEntities(text: string, context: EntityContext): Entity[] {
  return findEntities(text, context)
}

/** {@link extractEntities} restricted to some types; `now` is only needed for `date` (and sharpens ids). */
export function findEntities(
  text: string,
  context: Omit<EntityContext, 'now'> & { readonly now?: Date },
  options: FindEntitiesOptions = {},
): Entity[] {
  if (typeof text !== 'string' || text.length === 0) return []
  const wanted = new Set(options.types ?? ENTITY_TYPES)
  const candidates: Entity[] = []
  const add = (type: EntityType, find: () => Entity[]) => {
    if (wanted.has(type)) candidates.push(...find())
  }
  add('email', () => findEmails(text))
  add('cn_id_number', () => findCnIdNumbers(text, { now: context.now }))
  add('order_number', () => findOrderNumbers(text, { patterns: context.orderNumberPatterns }))
  add('phone', () => findPhones(text, { defaultRegion: context.defaultRegion }))
  add('bank_card', () => findBankCards(text))
  add('amount', () => findAmounts(text))
  add('date', () => {
    if (context.now === undefined) throw new TypeError('context.now is required to resolve dates')
    return findDates(text, { now: context.now, timeZone: context.timeZone })
  })
  add('product', () => findProducts(text, { products: context.products }))
  add('address', () => findAddresses(text))
  return resolveOverlaps(candidates, text.length)
}

/** Keeps a non-overlapping subset by the precedence documented on {@link extractEntities}. */
export function resolveOverlaps(candidates: readonly Entity[], textLength: number): Entity[] {
  const ordered = [...candidates].sort(
    (a, b) =>
      b.end - b.start - (a.end - a.start) ||
      RANK[a.type] - RANK[b.type] ||
      b.confidence - a.confidence ||
      a.start - b.start,
  )
  const taken = new Uint8Array(textLength)
  const kept: Entity[] = []
  for (const candidate of ordered) {
    if (candidate.end <= candidate.start) continue
    let free = true
    for (let index = candidate.start; index < candidate.end; index += 1) {
      if (taken[index] === 1) {
        free = false
        break
      }
    }
    if (!free) continue
    taken.fill(1, candidate.start, candidate.end)
    kept.push(candidate)
  }
  return kept.sort((a, b) => a.start - b.start)
}
