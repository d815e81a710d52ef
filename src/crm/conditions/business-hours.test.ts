import { describe, expect, it } from 'vitest'
import { DEFAULT_WORKSPACE, type BusinessHours } from '../workspace.js'
import { isWithinBusinessHours, localWeekTime, weeklyBusinessHours } from './business-hours.js'

const weekdays = weeklyBusinessHours({ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' })
const at = (iso: string) => new Date(iso)

describe('isWithinBusinessHours', () => {
  it('follows New York into daylight saving time (8 March 2026)', () => {
    // Friday before the change: EST, UTC−5.
    expect(isWithinBusinessHours(at('2026-03-06T14:30:00Z'), 'America/New_York', weekdays)).toBe(true)
    expect(isWithinBusinessHours(at('2026-03-06T13:30:00Z'), 'America/New_York', weekdays)).toBe(false)
    // Monday after: EDT, UTC−4 — the same UTC time of day is now an hour later on the wall clock.
    expect(isWithinBusinessHours(at('2026-03-09T13:30:00Z'), 'America/New_York', weekdays)).toBe(true)
    expect(isWithinBusinessHours(at('2026-03-09T12:30:00Z'), 'America/New_York', weekdays)).toBe(false)
    expect(isWithinBusinessHours(at('2026-03-09T21:00:00Z'), 'America/New_York', weekdays)).toBe(false)
  })

  it('follows New York out of daylight saving time (1 November 2026)', () => {
    expect(isWithinBusinessHours(at('2026-10-30T13:30:00Z'), 'America/New_York', weekdays)).toBe(true)
    expect(isWithinBusinessHours(at('2026-11-02T13:30:00Z'), 'America/New_York', weekdays)).toBe(false)
    expect(isWithinBusinessHours(at('2026-11-02T14:30:00Z'), 'America/New_York', weekdays)).toBe(true)
  })

  it('reads the weekday in the workspace zone, not in UTC', () => {
    const hours = weeklyBusinessHours({ days: [1, 2, 3, 4, 5], start: '09:00', end: '21:00' })
    // Friday 16:00 UTC is Saturday 00:00 in Shanghai (closed) and Friday 11:00 in New York (open).
    expect(isWithinBusinessHours(at('2026-11-27T16:00:00Z'), 'Asia/Shanghai', hours)).toBe(false)
    expect(isWithinBusinessHours(at('2026-11-27T16:00:00Z'), 'America/New_York', hours)).toBe(true)
    // Sunday 23:30 UTC is Monday 07:30 in Shanghai: a weekday, but before opening.
    expect(isWithinBusinessHours(at('2026-11-29T23:30:00Z'), 'Asia/Shanghai', hours)).toBe(false)
    expect(isWithinBusinessHours(at('2026-11-30T01:00:00Z'), 'Asia/Shanghai', hours)).toBe(true)
  })

  it('treats the end of a range as closed: 21:00 is after hours', () => {
    const hours = weeklyBusinessHours({ days: [3], start: '09:00', end: '21:00' })
    expect(isWithinBusinessHours(at('2026-11-25T12:59:00Z'), 'Asia/Shanghai', hours)).toBe(true)
    expect(isWithinBusinessHours(at('2026-11-25T13:00:00Z'), 'Asia/Shanghai', hours)).toBe(false)
  })

  it('reads the workspace hours shape, with several ranges a day, 24:00 and ranges past midnight', () => {
    const hours: BusinessHours = {
      ...weeklyBusinessHours({ days: [], start: '00:00', end: '00:00' }),
      wed: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '24:00' },
      ],
      sat: [{ start: '22:00', end: '02:00' }],
    }
    const shanghai = (local: string) => isWithinBusinessHours(at(`${local}+08:00`), 'Asia/Shanghai', hours)
    expect(shanghai('2026-11-25T12:30')).toBe(false)
    expect(shanghai('2026-11-25T23:59')).toBe(true)
    expect(shanghai('2026-11-28T21:59')).toBe(false)
    expect(shanghai('2026-11-28T23:00')).toBe(true)
    expect(shanghai('2026-11-29T01:59')).toBe(true)
    expect(shanghai('2026-11-29T02:00')).toBe(false)
  })

  it('opens the default workspace on weekdays 09:00–18:00 Shanghai time', () => {
    expect(
      isWithinBusinessHours(at('2026-11-25T02:00:00Z'), 'Asia/Shanghai', DEFAULT_WORKSPACE.businessHours),
    ).toBe(true)
    expect(
      isWithinBusinessHours(at('2026-11-28T02:00:00Z'), 'Asia/Shanghai', DEFAULT_WORKSPACE.businessHours),
    ).toBe(false)
  })
})

describe('localWeekTime', () => {
  it('gives midnight as minute 0 of the new day', () => {
    expect(localWeekTime(at('2026-11-25T16:00:00Z'), 'Asia/Shanghai')).toEqual({ day: 'thu', minute: 0 })
  })
})

describe('weeklyBusinessHours', () => {
  it('maps ISO weekdays to the workspace shape', () => {
    const hours = weeklyBusinessHours({ days: [1, 7], start: '09:00', end: '21:00' })
    expect(hours.mon).toEqual([{ start: '09:00', end: '21:00' }])
    expect(hours.sun).toEqual([{ start: '09:00', end: '21:00' }])
    expect(hours.tue).toEqual([])
  })
})
