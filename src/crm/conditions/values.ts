/**
 * How fact values are read and compared, shared by the in-memory evaluator and the SQL compiler so that both
 * give the same answer for the same row.
 */

/** Digits after the decimal point of a currency's minor unit (`JPY` has none; the others have two). */
export function minorUnitDigits(currency: string): number {
  return currency === 'JPY' ? 0 : 2
}

/**
 * A condition value in major units (`500` = ¥500) as integer minor units of the currency (`50000`).
 * Fractions smaller than the minor unit are rounded half away from zero.
 */
export function toMinorUnits(major: number, currency: string): number {
  const scaled = major * 10 ** minorUnitDigits(currency)
  return Math.sign(scaled) * Math.round(Math.abs(scaled))
}

/** A money fact: integer minor units and an ISO 4217 code, as `core/money.ts` defines it. */
export interface MoneyFact {
  readonly amount: number
  readonly currency: string
}

export function isMoneyFact(value: unknown): value is MoneyFact {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return (
    typeof record.amount === 'number' && Number.isFinite(record.amount) && typeof record.currency === 'string'
  )
}

/**
 * The date and date-time forms conditions and datetime facts accept: `2026-11-25`, or a date-time that says
 * its offset (`2026-11-25T08:00:00Z`, `2026-11-25T16:00+08:00`). A local time without an offset is refused:
 * JavaScript and the databases would read it in different zones.
 */
export const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/

/** Milliseconds since the epoch of an ISO date or date-time (see {@link ISO_DATE_TIME}), a Date, or undefined. */
export function parseDateTime(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime()
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) return undefined
  const time = Date.parse(value)
  return Number.isNaN(time) ? undefined : time
}

/**
 * Case folding for `matches`: ASCII letters only (`LAWYER` → `lawyer`); other scripts are compared as they
 * are. SQLite's `lower()` folds exactly these letters, so SQL and memory agree without ICU.
 */
export function foldCase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase())
}
