import { AppError } from '../../core/index.js'

/** A local calendar date (proleptic Gregorian); `month` is 1–12. */
export interface CalendarDate {
  readonly year: number
  readonly month: number
  readonly day: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        calendar: 'gregory',
        numberingSystem: 'latn',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
      })
    } catch (cause) {
      throw new AppError(
        'CORE_VALIDATION_FAILED',
        `unknown time zone "${timeZone}"; use an IANA name such as Asia/Shanghai or America/New_York`,
        { cause, details: { field: 'timeZone', value: timeZone } },
      )
    }
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** The calendar date that the instant `now` falls on in `timeZone` (Intl does the zone arithmetic). */
export function calendarDateIn(now: Date, timeZone: string): CalendarDate {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new AppError('CORE_VALIDATION_FAILED', `context.now must be a valid Date; got "${String(now)}"`, {
      details: { field: 'now' },
    })
  }
  let year = 0
  let month = 0
  let day = 0
  for (const part of formatterFor(timeZone).formatToParts(now)) {
    if (part.type === 'year') year = Number(part.value)
    else if (part.type === 'month') month = Number(part.value)
    else if (part.type === 'day') day = Number(part.value)
  }
  return { year, month, day }
}

function fromUtc(time: number): CalendarDate {
  const date = new Date(time)
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }
}

function toUtc(date: CalendarDate): number {
  const time = new Date(0)
  time.setUTCFullYear(date.year, date.month - 1, date.day)
  return time.getTime()
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromUtc(toUtc(date) + days * 86_400_000)
}

/** Adds months, clamping the day to the target month's length (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const index = date.year * 12 + (date.month - 1) + months
  const year = Math.floor(index / 12)
  const month = index - year * 12 + 1
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) }
}

export function daysInMonth(year: number, month: number): number {
  return fromUtc(toUtc({ year, month: month + 1, day: 1 }) - 86_400_000).day
}

/** 0 = Monday … 6 = Sunday (weeks start on Monday, as in China and ISO 8601). */
export function dayOfWeek(date: CalendarDate): number {
  return (new Date(toUtc(date)).getUTCDay() + 6) % 7
}

export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((toUtc(to) - toUtc(from)) / 86_400_000)
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1) return false
  return day <= daysInMonth(year, month)
}

/** `YYYY-MM-DD`. */
export function formatCalendarDate(date: CalendarDate): string {
  const pad = (value: number, width: number) => String(value).padStart(width, '0')
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`
}
