import { workspaceTimeZone } from '../../lib/format'

/** A period as the dashboard API takes it: `from` the first day, `to` the day after the last (YYYY-MM-DD). */
export interface Period {
  readonly from: string
  readonly to: string
}

export const PRESETS = [7, 30, 90] as const
export const MAX_DAYS = 366

/** Today's date in the workspace time zone (en-CA formats as YYYY-MM-DD). */
export function today(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: workspaceTimeZone(),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now)
}

/** A calendar day moved by `days` (calendar arithmetic, no time zone involved). */
export function addDays(day: string, days: number): string {
  const at = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000
  return new Date(at).toISOString().slice(0, 10)
}

export function daysIn(period: Period): number {
  return Math.round(
    (Date.parse(`${period.to}T00:00:00Z`) - Date.parse(`${period.from}T00:00:00Z`)) / 86_400_000,
  )
}

/** The last `days` days, today included. */
export function presetPeriod(days: number): Period {
  const end = addDays(today(), 1)
  return { from: addDays(end, -days), to: end }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** The custom range a person typed (first and last day, both shown), or the reason it cannot be used. */
export function customPeriod(first: string, last: string): Period | 'invalid' | 'reversed' | 'tooLong' {
  if (!DAY.test(first) || !DAY.test(last)) return 'invalid'
  const period = { from: first, to: addDays(last, 1) }
  const days = daysIn(period)
  if (Number.isNaN(days)) return 'invalid'
  if (days <= 0) return 'reversed'
  if (days > MAX_DAYS) return 'tooLong'
  return period
}
