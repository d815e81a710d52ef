import { makeEntity, type Entity } from './types.js'

export interface OrderNumberOptions {
  /** Replaces {@link DEFAULT_ORDER_NUMBER_PATTERNS}; spread the defaults in to extend them. */
  readonly patterns?: readonly RegExp[]
}

/** An order id after a label: a letter or digit, then letters, digits and inner hyphens; 5–40 characters. */
const CODE = '([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){4,39})(?![A-Za-z0-9])'

/**
 * The default order-number rules. When a pattern has a capturing group, group 1 (or the named group
 * `order`) is the order number and the rest is context (`订单号：` is not part of the value).
 *
 * - `LM20261024-582130`: 2–4 letters, a date, a hyphen and a serial (the demo shop's format);
 * - `#58213` : `#` and at least five digits;
 * - `订单号：A123456`, `订单编号 …`, `单号 …`, `order no. …`, `order number …`, `order #…`.
 */
export const DEFAULT_ORDER_NUMBER_PATTERNS: readonly RegExp[] = Object.freeze([
  /(?<![A-Za-z0-9])[A-Za-z]{2,4}\d{8}-\d{4,8}(?![A-Za-z0-9])/g,
  /(?<![\w#])#(\d{5,20})(?![\d])/g,
  new RegExp(`(?:订单编号|订单号码|订单号|单号)\\s*[:：#]?\\s*${CODE}`, 'g'),
  new RegExp(`(?<![A-Za-z])order\\s*(?:number|num|no\\.?|id|#)\\s*[:：]?\\s*#?${CODE}`, 'gi'),
])

/** A clone of each pattern that is global and reports group indices, cached per pattern list. */
const compiled = new WeakMap<readonly RegExp[], RegExp[]>()

function compile(patterns: readonly RegExp[]): RegExp[] {
  let result = compiled.get(patterns)
  if (result === undefined) {
    result = patterns.map((pattern) => {
      const flags = new Set(pattern.flags.replace('y', ''))
      flags.add('g')
      flags.add('d')
      return new RegExp(pattern.source, [...flags].join(''))
    })
    compiled.set(patterns, result)
  }
  return result
}

/**
 * Finds order numbers with the configured patterns (or the defaults). A value must contain a digit.
 *
 * @example
 *   findOrderNumbers('订单LM20261024-582130还没到')[0].value // 'LM20261024-582130'
 */
export function findOrderNumbers(text: string, options: OrderNumberOptions = {}): Entity<'order_number'>[] {
  const entities: Entity<'order_number'>[] = []
  for (const pattern of compile(options.patterns ?? DEFAULT_ORDER_NUMBER_PATTERNS)) {
    pattern.lastIndex = 0
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      if (match[0].length === 0) {
        pattern.lastIndex += 1
        continue
      }
      const span = match.indices?.groups?.order ?? match.indices?.[1] ?? match.indices?.[0]
      if (span === undefined) continue
      const [start, end] = span
      const value = text.slice(start, end)
      if (!/\d/.test(value)) continue
      const confidence = /^[A-Za-z]{2,4}\d{8}-\d{4,8}$/.test(value)
        ? 0.95
        : /订单|单号|order/i.test(match[0])
          ? 0.85
          : 0.7
      entities.push(
        makeEntity('order_number', text, start, end, confidence, value.replace(/\s+/g, '').toUpperCase()),
      )
    }
  }
  return entities
}
