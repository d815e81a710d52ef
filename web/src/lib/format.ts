import i18n from './i18n'

/** The workspace's display settings; the shell sets them from `GET /api/v1/workspace` after sign-in. */
const settings = { timeZone: 'Asia/Shanghai', baseCurrency: 'CNY' }

export function setWorkspaceFormat(workspace: { timeZone: string; baseCurrency: string }): void {
  settings.timeZone = workspace.timeZone
  settings.baseCurrency = workspace.baseCurrency
}

export function workspaceTimeZone(): string {
  return settings.timeZone
}

const cache = new Map<string, Intl.DateTimeFormat>()
function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${i18n.language}|${settings.timeZone}|${JSON.stringify(options)}`
  let format = cache.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(i18n.language, { ...options, timeZone: settings.timeZone })
    cache.set(key, format)
  }
  return format
}

/**
 * A date and time in the WORKSPACE time zone (not the browser's), in the console's language.
 *
 * @example formatDate('2026-11-25T02:00:00.000Z') // "Nov 25, 2026, 10:00 AM" in Asia/Shanghai
 */
export function formatDate(
  value: string | number | Date | null | undefined,
  style: 'datetime' | 'date' | 'time' = 'datetime',
): string {
  if (value === null || value === undefined || value === '') return '—'
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) return '—'
  const options: Intl.DateTimeFormatOptions =
    style === 'date'
      ? { dateStyle: 'medium' }
      : style === 'time'
        ? { timeStyle: 'short' }
        : { dateStyle: 'medium', timeStyle: 'short' }
  return dateFormat(options).format(date)
}

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>()
function relativeFormat(): Intl.RelativeTimeFormat {
  let format = relativeFormats.get(i18n.language)
  if (!format) {
    format = new Intl.RelativeTimeFormat(i18n.language, { numeric: 'auto' })
    relativeFormats.set(i18n.language, format)
  }
  return format
}

/** "3 minutes ago", "in 2 days" — in the console's language. */
export function formatRelative(
  value: string | number | Date | null | undefined,
  now: number = Date.now(),
): string {
  if (value === null || value === undefined || value === '') return '—'
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) return '—'
  const seconds = Math.round((date.getTime() - now) / 1000)
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ]
  const format = relativeFormat()
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit)
  }
  return format.format(0, 'minute')
}

/** An amount in minor units (`{ amount: 29900, currency: 'CNY' }` → "¥299.00"); the base currency by default. */
export function formatMoney(amount: number, currency: string = settings.baseCurrency): string {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  return new Intl.NumberFormat(i18n.language, { style: 'currency', currency }).format(amount / 10 ** digits)
}

/** A fraction in [0, 1] as a percentage ("87%"). */
export function formatPercent(fraction: number | null | undefined, digits = 0): string {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) return '—'
  return new Intl.NumberFormat(i18n.language, {
    style: 'percent',
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(fraction)
}

/** A count with the language's grouping ("12,345"). */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(i18n.language).format(value)
}
