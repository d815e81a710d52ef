import i18n from '../../lib/i18n'

/**
 * A calendar day ("2026-11-10") for a chart axis. The API already grouped by day in the workspace time zone,
 * so the day is a date, not an instant: it is formatted as such (in UTC, where the string's midnight lies),
 * never shifted by a zone.
 */
export function formatDay(day: string, long = false): string {
  return new Intl.DateTimeFormat(i18n.language, {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    ...(long ? { year: 'numeric', weekday: 'short' } : {}),
  }).format(new Date(`${day}T00:00:00Z`))
}

/** A duration in seconds as "45 sec", "12 min", "3.5 hr", "2 days" in the console's language. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '—'
  const [value, unit] =
    seconds < 90
      ? [seconds, 'second']
      : seconds < 90 * 60
        ? [seconds / 60, 'minute']
        : seconds < 48 * 3600
          ? [seconds / 3600, 'hour']
          : [seconds / 86_400, 'day']
  return new Intl.NumberFormat(i18n.language, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value)
}
