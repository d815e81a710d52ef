/** UTC instants travel through AgentCRM as ISO-8601 strings with milliseconds and `Z`. */
export type IsoTime = string

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** Normalises a Date or any parseable timestamp to `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export function toIsoTime(value: Date | string | number): IsoTime {
  if (typeof value === 'string' && ISO_Z.test(value)) return value
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) throw new RangeError(`"${String(value)}" is not a valid time`)
  return date.toISOString()
}

/** True for valid IANA time zone names such as `Asia/Shanghai`. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name })
    return true
  } catch {
    return false
  }
}
