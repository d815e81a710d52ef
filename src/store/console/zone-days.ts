/**
 * Calendar days in a time zone, for per-day charts on a database without time zones (SQLite). Intl does the
 * zone arithmetic; the dashboard splits a period into segments of constant UTC offset (a DST change starts a
 * new one) and lets SQL shift each row by its segment's offset before taking the date.
 */

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, format)
  }
  return format
}

/** Minutes to add to UTC to get the wall-clock time in `timeZone` at `instant` (Asia/Shanghai: 480). */
export function utcOffsetMinutes(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {}
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second)
  return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000)
}

/** `YYYY-MM-DD` → the UTC instant (ms) at which that day starts in `timeZone`. */
export function startOfDay(day: string, timeZone: string): number {
  const [year, month, date] = day.split('-').map(Number)
  const wall = Date.UTC(year, month - 1, date)
  let instant = wall - utcOffsetMinutes(wall, timeZone) * 60_000
  // A second pass settles days whose offset differs from the guess's (a DST change near midnight).
  instant = wall - utcOffsetMinutes(instant, timeZone) * 60_000
  return instant
}

/** The days from `from` up to but not including `to`, as `YYYY-MM-DD`. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = []
  for (let at = Date.parse(`${from}T00:00:00Z`); at < Date.parse(`${to}T00:00:00Z`); at += 86_400_000)
    days.push(new Date(at).toISOString().slice(0, 10))
  return days
}

/** A stretch of time with one UTC offset: rows in [start, end) get their local day by adding `offset`. */
export interface OffsetSegment {
  readonly start: number
  readonly end: number
  readonly offsetMinutes: number
}

/** Splits [start, end) where the zone's offset changes (found day by day, then to the millisecond). */
export function offsetSegments(start: number, end: number, timeZone: string): OffsetSegment[] {
  const segments: OffsetSegment[] = []
  let segmentStart = start
  let offset = utcOffsetMinutes(start, timeZone)
  let probe = start
  while (probe < end) {
    const next = Math.min(probe + 86_400_000, end)
    const nextOffset = utcOffsetMinutes(next === end ? end - 1 : next, timeZone)
    if (nextOffset !== offset) {
      // the change lies in (probe, next]: find its first millisecond
      let low = probe
      let high = next === end ? end - 1 : next
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2)
        if (utcOffsetMinutes(middle, timeZone) === offset) low = middle
        else high = middle
      }
      segments.push({ start: segmentStart, end: high, offsetMinutes: offset })
      segmentStart = high
      offset = utcOffsetMinutes(high, timeZone)
      probe = high
      continue
    }
    probe = next
  }
  segments.push({ start: segmentStart, end, offsetMinutes: offset })
  return segments
}
