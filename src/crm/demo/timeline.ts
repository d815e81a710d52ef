/**
 * Time helpers for the demo generator: the one-year window before `now`, Shanghai-local calendar parts (the
 * shop's time zone, UTC+8 without daylight saving) and a seasonal density — busy evenings, quiet nights,
 * spikes on 618 and Singles' Day — that orders and events are drawn from.
 */

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
export const WINDOW_DAYS = 365
const SHANGHAI_OFFSET = 8 * HOUR

export function iso(ms: number): string {
  return new Date(ms).toISOString()
}

export interface LocalParts {
  year: number
  month: number
  day: number
  hour: number
  /** 0 = Sunday. */
  weekday: number
}

/** Calendar parts of an instant in Asia/Shanghai. */
export function shanghai(ms: number): LocalParts {
  const date = new Date(ms + SHANGHAI_OFFSET)
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    weekday: date.getUTCDay(),
  }
}

/** `20261024` for an instant, in Shanghai time. */
export function compactDate(ms: number): string {
  const { year, month, day } = shanghai(ms)
  return `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`
}

/** Moves an instant out of the night: replies from people happen between 09:00 and 22:00 Shanghai time. */
export function nextBusinessMoment(ms: number, jitterMs: number): number {
  const { hour } = shanghai(ms)
  if (hour >= 9 && hour < 22) return ms
  const local = new Date(ms + SHANGHAI_OFFSET)
  const nineAm =
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 9) - SHANGHAI_OFFSET
  return (hour >= 22 ? nineAm + DAY : nineAm) + jitterMs
}

const HOURLY = [
  0.35, 0.2, 0.12, 0.08, 0.06, 0.08, 0.18, 0.35, 0.55, 0.75, 0.85, 0.9, 1.0, 0.95, 0.85, 0.85, 0.85, 0.8,
  0.85, 1.0, 1.15, 1.25, 1.1, 0.7,
]

function promotion(month: number, day: number): number {
  if (month === 11 && day === 11) return 4
  if (month === 11 && day === 10) return 1.8
  if (month === 11 && day < 10) return 1.35
  if (month === 6 && day === 18) return 3
  if (month === 6 && day < 18) return 1.3
  if (month === 12 && day === 12) return 1.8
  if (month === 11 && day >= 24 && day <= 28) return 1.25
  if (month === 2 && day <= 10) return 0.75
  return 1
}

/** A density over the year before `now`, and an inverse-CDF sampler for it. */
export interface Seasonality {
  readonly start: number
  readonly end: number
  /** Maps `u` in [0, 1) to an instant in [from, to), monotonically: a larger `u` never gives an earlier time. */
  sample(from: number, to: number, u: number): number
}

const cache = new Map<number, Seasonality>()

export function seasonality(now: number): Seasonality {
  const cached = cache.get(now)
  if (cached) return cached
  const start = now - WINDOW_DAYS * DAY
  const hours = WINDOW_DAYS * 24
  const cumulative = new Float64Array(hours + 1)
  for (let h = 0; h < hours; h++) {
    const at = start + h * HOUR
    const local = shanghai(at)
    const weekend = local.weekday === 0 || local.weekday === 6 ? 1.1 : 1
    const growth = 0.6 + 0.4 * (h / hours)
    cumulative[h + 1] =
      cumulative[h] + HOURLY[local.hour] * weekend * growth * promotion(local.month, local.day)
  }
  const total = cumulative[hours]
  const cdf = (ms: number): number => {
    const position = Math.min(Math.max((ms - start) / HOUR, 0), hours)
    const h = Math.min(Math.floor(position), hours - 1)
    return (cumulative[h] + (cumulative[h + 1] - cumulative[h]) * (position - h)) / total
  }
  const inverse = (p: number): number => {
    const target = p * total
    let low = 0
    let high = hours
    while (high - low > 1) {
      const middle = (low + high) >> 1
      if (cumulative[middle] <= target) low = middle
      else high = middle
    }
    const width = cumulative[low + 1] - cumulative[low]
    const fraction = width > 0 ? (target - cumulative[low]) / width : 0
    return start + (low + Math.min(Math.max(fraction, 0), 1)) * HOUR
  }
  const result: Seasonality = {
    start,
    end: now,
    sample(from, to, u) {
      const low = cdf(from)
      const high = cdf(to)
      if (high <= low) return from + (to - from) * u
      const at = inverse(low + (high - low) * u)
      return Math.min(Math.max(at, from), to - 1)
    },
  }
  if (cache.size >= 8) cache.clear()
  cache.set(now, result)
  return result
}
