import { describe, expect, it } from 'vitest'
import { daysBetween, offsetSegments, startOfDay, utcOffsetMinutes } from './zone-days.js'

describe('zone days', () => {
  it('finds the UTC offset of a zone at an instant, DST included', () => {
    expect(utcOffsetMinutes(Date.parse('2026-11-25T02:00:00Z'), 'Asia/Shanghai')).toBe(480)
    expect(utcOffsetMinutes(Date.parse('2026-07-01T12:00:00Z'), 'Europe/London')).toBe(60)
    expect(utcOffsetMinutes(Date.parse('2026-12-01T12:00:00Z'), 'Europe/London')).toBe(0)
    expect(utcOffsetMinutes(Date.parse('2026-12-01T12:00:00Z'), 'Asia/Kolkata')).toBe(330)
  })

  it('starts a local day at the right UTC instant', () => {
    expect(new Date(startOfDay('2026-11-10', 'Asia/Shanghai')).toISOString()).toBe('2026-11-09T16:00:00.000Z')
    expect(new Date(startOfDay('2026-10-25', 'Europe/London')).toISOString()).toBe('2026-10-24T23:00:00.000Z')
    expect(new Date(startOfDay('2026-10-26', 'Europe/London')).toISOString()).toBe('2026-10-26T00:00:00.000Z')
    expect(new Date(startOfDay('2026-03-08', 'America/New_York')).toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    )
  })

  it('splits a period where the offset changes, to the millisecond', () => {
    const start = startOfDay('2026-10-20', 'Europe/London')
    const end = startOfDay('2026-11-01', 'Europe/London')
    const segments = offsetSegments(start, end, 'Europe/London')
    expect(segments).toEqual([
      { start, end: Date.parse('2026-10-25T01:00:00Z'), offsetMinutes: 60 },
      { start: Date.parse('2026-10-25T01:00:00Z'), end, offsetMinutes: 0 },
    ])
    expect(offsetSegments(start, end, 'Asia/Shanghai')).toHaveLength(1)
  })

  it('lists the days of a half-open period', () => {
    expect(daysBetween('2026-10-30', '2026-11-02')).toEqual(['2026-10-30', '2026-10-31', '2026-11-01'])
    expect(daysBetween('2026-11-02', '2026-11-02')).toEqual([])
  })
})
