import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/index.js'
import { findDates } from './date.js'
import { describeEntityCases } from './test-fixtures.js'

/** `{ value: normalized }` for every date in `text`. */
function dates(text: string, now: Date, timeZone?: string): Record<string, string | undefined> {
  return Object.fromEntries(
    findDates(text, { now, timeZone }).map((entity) => [entity.value, entity.normalized]),
  )
}

describe('date', () => {
  describeEntityCases('date')

  it('resolves relative dates across a year boundary (Thursday 2026-12-31 in Shanghai)', () => {
    const now = new Date('2026-12-31T10:00:00Z')
    expect(dates('明天', now)).toEqual({ 明天: '2027-01-01' })
    expect(dates('后天', now)).toEqual({ 后天: '2027-01-02' })
    expect(dates('下个月', now)).toEqual({ 下个月: '2027-01-01' })
    expect(dates('下周一', now)).toEqual({ 下周一: '2027-01-04' })
    expect(dates('3天后', now)).toEqual({ '3天后': '2027-01-03' })
    expect(dates('in 3 days', now)).toEqual({ 'in 3 days': '2027-01-03' })
    expect(dates('next Monday', now)).toEqual({ 'next Monday': '2027-01-04' })
    expect(dates('yesterday', now)).toEqual({ yesterday: '2026-12-30' })
    expect(dates('1月3日', now)).toEqual({ '1月3日': '2027-01-03' })
  })

  it('resolves relative dates across a month boundary and clamps month arithmetic', () => {
    const now = new Date('2026-01-31T02:00:00Z')
    expect(dates('明天', now)).toEqual({ 明天: '2026-02-01' })
    expect(dates('一个月后', now)).toEqual({ 一个月后: '2026-02-28' })
    expect(dates('月底', now)).toEqual({ 月底: '2026-01-31' })
    expect(dates('上个月', now)).toEqual({ 上个月: '2025-12-01' })
    expect(dates('昨天', new Date('2026-03-01T02:00:00Z'))).toEqual({ 昨天: '2026-02-28' })
  })

  it('gives different local dates for the same instant in Asia/Shanghai and America/New_York', () => {
    // 2026-11-30 20:00 UTC is Tuesday 04:00 on Dec 1 in Shanghai and Monday 15:00 on Nov 30 in New York.
    const instant = new Date('2026-11-30T20:00:00Z')
    expect(dates('今天 tomorrow', instant, 'Asia/Shanghai')).toEqual({
      今天: '2026-12-01',
      tomorrow: '2026-12-02',
    })
    expect(dates('今天 tomorrow', instant, 'America/New_York')).toEqual({
      今天: '2026-11-30',
      tomorrow: '2026-12-01',
    })
    expect(dates('下周一', instant, 'Asia/Shanghai')).toEqual({ 下周一: '2026-12-07' })
    expect(dates('下周一', instant, 'America/New_York')).toEqual({ 下周一: '2026-12-07' })
    expect(dates('这周日', instant, 'Asia/Shanghai')).toEqual({ 这周日: '2026-12-06' })
  })

  it('defaults to Asia/Shanghai', () => {
    const instant = new Date('2026-11-30T20:00:00Z')
    expect(dates('今天', instant)).toEqual({ 今天: '2026-12-01' })
  })

  it('reads week words with Monday-first weeks (Wednesday 2026-11-25)', () => {
    const now = new Date('2026-11-25T04:00:00Z')
    expect(dates('上周五', now)).toEqual({ 上周五: '2026-11-20' })
    expect(dates('这周一', now)).toEqual({ 这周一: '2026-11-23' })
    expect(dates('下下周二', now)).toEqual({ 下下周二: '2026-12-08' })
    expect(dates('下个星期天', now)).toEqual({ 下个星期天: '2026-12-06' })
    expect(dates('周五发货', now)).toEqual({ 周五: '2026-11-27' })
    expect(dates('周一发货', now)).toEqual({ 周一: '2026-11-30' })
    expect(dates('这周末', now)).toEqual({ 这周末: '2026-11-28' })
    expect(dates('last Friday', now)).toEqual({ 'last Friday': '2026-11-20' })
    expect(dates('next weekend', now)).toEqual({ 'next weekend': '2026-12-05' })
    expect(dates('on Wednesday', now)).toEqual({ Wednesday: '2026-11-25' })
    expect(dates('this coming Wednesday', now)).toEqual({ 'coming Wednesday': '2026-12-02' })
  })

  it('does not read short weekday abbreviations on their own as dates', () => {
    expect(dates('the sun is out, sat down', new Date('2026-11-25T04:00:00Z'))).toEqual({})
  })

  it('rejects an unknown time zone with an error naming it', () => {
    expect(() => findDates('明天', { now: new Date(), timeZone: 'Mars/Olympus' })).toThrow(AppError)
    expect(() => findDates('明天', { now: new Date(), timeZone: 'Mars/Olympus' })).toThrow(/Mars\/Olympus/)
  })

  it('rejects an invalid clock', () => {
    expect(() => findDates('明天', { now: new Date('nope') })).toThrow(/now/)
  })
})
