import type { BusinessHours } from '../workspace.js'

const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
type DayKey = (typeof DAY_KEYS)[number]
const SHORT_NAMES: Readonly<Record<string, DayKey>> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, format)
  }
  return format
}

/** The weekday and minute of the day of an instant on the wall clock of an IANA time zone. */
export function localWeekTime(at: Date, timeZone: string): { day: DayKey; minute: number } {
  let day: DayKey = 'mon'
  let hour = 0
  let minute = 0
  for (const part of formatter(timeZone).formatToParts(at)) {
    if (part.type === 'weekday') day = SHORT_NAMES[part.value] ?? day
    else if (part.type === 'hour') hour = Number(part.value)
    else if (part.type === 'minute') minute = Number(part.value)
  }
  return { day, minute: hour * 60 + minute }
}

function minutes(clock: string): number {
  const [hour, minute] = clock.split(':').map(Number)
  return hour * 60 + minute
}

/**
 * True when `at` falls inside the opening hours, read on the wall clock of `timeZone` (so daylight-saving
 * changes need no special care). A range is `[start, end)`; `end` may be `24:00`; a range whose end is
 * before its start runs past midnight into the next day (`22:00`–`02:00`); a range with equal ends is empty.
 *
 * @example
 *   isWithinBusinessHours(new Date('2026-11-25T02:00:00Z'), 'Asia/Shanghai', DEFAULT_WORKSPACE.businessHours)
 *   // → true: 10:00 on a Wednesday in Shanghai
 */
export function isWithinBusinessHours(at: Date, timeZone: string, hours: BusinessHours): boolean {
  const { day, minute } = localWeekTime(at, timeZone)
  const today = DAY_KEYS.indexOf(day)
  for (const range of hours[day]) {
    const start = minutes(range.start)
    const end = minutes(range.end)
    if (start < end ? minute >= start && minute < end : start > end && minute >= start) return true
  }
  const yesterday = DAY_KEYS[(today + 6) % 7]
  return hours[yesterday].some(
    (range) => minutes(range.start) > minutes(range.end) && minute < minutes(range.end),
  )
}

/**
 * Builds workspace opening hours from one range and ISO weekdays (1 = Monday … 7 = Sunday).
 *
 * @example
 *   weeklyBusinessHours({ days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '21:00' })
 */
export function weeklyBusinessHours(spec: {
  readonly days: readonly number[]
  readonly start: string
  readonly end: string
}): BusinessHours {
  const entries = DAY_KEYS.map((key, index) => [
    key,
    spec.days.includes(index + 1) ? [{ start: spec.start, end: spec.end }] : [],
  ])
  return Object.fromEntries(entries) as BusinessHours
}
