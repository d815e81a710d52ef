import { describe, expect, it } from 'vitest'
import { checkCron, nextCronTime, parseIsoDuration } from './schedule.js'

describe('parseIsoDuration', () => {
  it.each([
    ['PT1H', 3_600_000],
    ['PT30M', 1_800_000],
    ['P1D', 86_400_000],
    ['P1W', 7 * 86_400_000],
    ['P1DT12H', 36 * 3_600_000],
    ['PT1.5S', 1_500],
  ])('reads %s', (text, milliseconds) => {
    expect(parseIsoDuration(text)).toEqual({ ok: true, value: milliseconds })
  })

  it.each(['1h', 'P', 'PT', 'PT1', 'P1H', '', 'pt1h'])('refuses %j, naming the valid forms', (text) => {
    const result = parseIsoDuration(text)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.message).toContain('PT30M, PT1H, P1D')
  })

  it('refuses years and months, zero and over a year', () => {
    expect(parseIsoDuration('P1Y')).toMatchObject({
      ok: false,
      message: expect.stringContaining('years or months'),
    })
    expect(parseIsoDuration('P2M')).toMatchObject({ ok: false, message: expect.stringContaining('P30D') })
    expect(parseIsoDuration('PT0S')).toMatchObject({ ok: false, message: expect.stringContaining('is zero') })
    expect(parseIsoDuration('P400D')).toMatchObject({
      ok: false,
      message: expect.stringContaining('366 days'),
    })
  })
})

describe('checkCron', () => {
  it('accepts 5-field expressions with ranges, steps and names', () => {
    for (const expression of ['*/15 * * * *', '0 9 * * 1-5', '0 9 * * mon-fri', '30 8 1 jan *']) {
      expect(checkCron(expression)).toEqual({ ok: true, value: expression })
    }
  })

  it('refuses other field counts, out-of-range values and impossible dates', () => {
    expect(checkCron('* * * * * *')).toMatchObject({
      ok: false,
      message: expect.stringContaining('has 6 fields'),
    })
    expect(checkCron('61 * * * *')).toMatchObject({ ok: false, message: expect.stringContaining('0-59') })
    expect(checkCron('0 0 31 4 *')).toMatchObject({
      ok: false,
      message: expect.stringContaining('not valid'),
    })
    expect(checkCron('* * * * *', 'Nowhere/City')).toMatchObject({
      ok: false,
      message: expect.stringContaining('unknown time zone'),
    })
  })

  it('computes the next time on the wall clock of the time zone', () => {
    const after = new Date('2026-11-25T02:00:00.000Z') // 10:00 in Shanghai, a Wednesday
    expect(nextCronTime('0 9 * * 1-5', 'Asia/Shanghai', after).toISOString()).toBe('2026-11-26T01:00:00.000Z')
    expect(nextCronTime('*/15 * * * *', 'UTC', after).toISOString()).toBe('2026-11-25T02:15:00.000Z')
  })
})
