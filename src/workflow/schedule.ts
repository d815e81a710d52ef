import { CronExpressionParser } from 'cron-parser'
import { isTimeZone } from '../core/index.js'

/** The outcome of checking a value: what it means, or a message naming the bad value and the valid forms. */
export type Checked<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string }

/** The longest wait, timeout or delay a workflow may name: a run that sleeps longer is a mistake. */
export const MAX_DURATION_DAYS = 366

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/
const DURATION_EXAMPLES = 'PT30M, PT1H, P1D, P2DT12H or P1W'

/**
 * Parses an ISO-8601 duration of weeks, days, hours, minutes and seconds (`PT1H`, `P3D`, `P1DT12H`,
 * `PT90S`) to milliseconds. Years and months are refused because their length depends on the calendar
 * (write `P30D`); a zero duration and one over {@link MAX_DURATION_DAYS} days are refused too.
 *
 * @example
 *   parseIsoDuration('PT1H') // → { ok: true, value: 3_600_000 }
 *   parseIsoDuration('1h')   // → { ok: false, message: 'duration "1h" is not an ISO-8601 duration; …' }
 */
export function parseIsoDuration(text: string): Checked<number> {
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)
  if (/^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T[\d.HMS]*)?$/.test(text) && /^P[^T]*[YM]/.test(text)) {
    return {
      ok: false,
      message: `duration ${shown} uses years or months, whose length depends on the calendar; write days instead (P30D, P365D)`,
    }
  }
  const match = DURATION.exec(text)
  if (!match || text === 'P' || text.endsWith('T')) {
    return {
      ok: false,
      message: `duration ${shown} is not an ISO-8601 duration; write one such as ${DURATION_EXAMPLES}`,
    }
  }
  const [, weeks, days, hours, minutes, seconds] = match
  const milliseconds =
    ((Number(weeks ?? 0) * 7 + Number(days ?? 0)) * 86_400 +
      Number(hours ?? 0) * 3_600 +
      Number(minutes ?? 0) * 60 +
      Number(seconds ?? 0)) *
    1_000
  if (milliseconds <= 0)
    return { ok: false, message: `duration ${shown} is zero; give a positive one such as PT1H` }
  if (milliseconds > MAX_DURATION_DAYS * 86_400_000) {
    return {
      ok: false,
      message: `duration ${shown} is longer than ${MAX_DURATION_DAYS} days (P${MAX_DURATION_DAYS}D)`,
    }
  }
  return { ok: true, value: Math.round(milliseconds) }
}

const CRON_FIELDS = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const
const CRON_EXAMPLES = '"*/15 * * * *" (every 15 minutes) or "0 9 * * 1-5" (09:00 on weekdays)'

/**
 * Checks a standard 5-field cron expression (minute, hour, day of month, month, day of week; names such as
 * `mon-fri` and `jan` are accepted) and, when given, the IANA time zone it runs in. Aliases such as
 * `@daily` and 6-field expressions with seconds are refused, so every expression reads the same way.
 *
 * @example
 *   checkCron('*\/15 * * * *')   // → { ok: true, value: '*\/15 * * * *' }
 *   checkCron('0 25 * * *')     // → { ok: false, message: 'cron "0 25 * * *": hour …' }
 */
export function checkCron(expression: string, timeZone?: string): Checked<string> {
  const shown = JSON.stringify(expression.length > 60 ? `${expression.slice(0, 60)}…` : expression)
  const fields = expression.trim().split(/\s+/).filter(Boolean)
  if (fields.length !== CRON_FIELDS.length) {
    return {
      ok: false,
      message: `cron ${shown} has ${fields.length} field${fields.length === 1 ? '' : 's'}; a cron expression has 5 (${CRON_FIELDS.join(', ')}), such as ${CRON_EXAMPLES}`,
    }
  }
  if (timeZone !== undefined && !isTimeZone(timeZone)) {
    return { ok: false, message: timeZoneMessage(timeZone) }
  }
  try {
    CronExpressionParser.parse(fields.join(' '), { tz: timeZone ?? 'UTC', currentDate: new Date(0) })
  } catch (error) {
    return {
      ok: false,
      message: `cron ${shown} is not valid: ${(error as Error).message}; fields are ${CRON_FIELDS.join(', ')}, such as ${CRON_EXAMPLES}`,
    }
  }
  return { ok: true, value: fields.join(' ') }
}

/** The message for an unknown time zone name. */
export function timeZoneMessage(timeZone: string): string {
  return `unknown time zone ${JSON.stringify(timeZone)}; use an IANA name such as Asia/Shanghai, Europe/Berlin or America/New_York (absent: the workspace's time zone)`
}

/**
 * The first time after `after` at which a (valid) cron expression fires, read on the wall clock of
 * `timeZone` (daylight-saving changes included).
 *
 * @example
 *   nextCronTime('0 9 * * 1-5', 'Asia/Shanghai', new Date('2026-11-25T02:00:00Z')) // → 2026-11-26T01:00:00.000Z
 */
export function nextCronTime(expression: string, timeZone: string, after: Date): Date {
  return CronExpressionParser.parse(expression, { tz: timeZone, currentDate: after }).next().toDate()
}
