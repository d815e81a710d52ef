import {
  addDays,
  addMonths,
  calendarDateIn,
  dayOfWeek,
  daysBetween,
  daysInMonth,
  formatCalendarDate,
  isRealDate,
  type CalendarDate,
} from './calendar.js'
import { parseChineseNumeral } from './chinese-numerals.js'
import { DEFAULT_TIME_ZONE, makeEntity, type Entity } from './types.js'

export interface DateOptions {
  /** The injected clock. */
  readonly now: Date
  /** IANA zone whose calendar "today" belongs to; default `Asia/Shanghai`. */
  readonly timeZone?: string
}

interface Resolved {
  readonly date: CalendarDate
  readonly confidence: number
}

interface DateRule {
  readonly pattern: RegExp
  resolve(match: RegExpExecArray, today: CalendarDate): Resolved | null
}

const EN_MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?'
const EN_WEEKDAYS =
  'monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun'
const EN_NUMBERS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fourteen: 14,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
}
const EN_COUNT = `\\d{1,3}|${Object.keys(EN_NUMBERS).join('|')}`
const ZH_COUNT = '\\d{1,3}|[一二两三四五六七八九十]{1,3}'
const ZH_SMALL = '\\d{1,2}|[一二三四五六七八九十]{1,3}'

/** Chinese week qualifiers → weeks from the current one. */
const ZH_WEEK_OFFSET: Readonly<Record<string, number>> = {
  上上: -2,
  上: -1,
  上个: -1,
  这: 0,
  本: 0,
  这个: 0,
  下: 1,
  下个: 1,
  下下: 2,
}

/** 周一 … 周日/周天 → 0 … 6. */
const ZH_WEEKDAY: Readonly<Record<string, number>> = {
  一: 0,
  二: 1,
  三: 2,
  四: 3,
  五: 4,
  六: 5,
  日: 6,
  天: 6,
  '1': 0,
  '2': 1,
  '3': 2,
  '4': 3,
  '5': 4,
  '6': 5,
  '7': 6,
}

const ZH_DAY_WORDS: Readonly<Record<string, number>> = {
  大前天: -3,
  前天: -2,
  昨天: -1,
  昨日: -1,
  昨晚: -1,
  今天: 0,
  今日: 0,
  今晚: 0,
  今早: 0,
  明天: 1,
  明日: 1,
  明早: 1,
  明晚: 1,
  后天: 2,
  大后天: 3,
}

function number(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text)
  return EN_NUMBERS[text.toLowerCase()] ?? parseChineseNumeral(text)
}

function englishMonth(text: string): number {
  const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
  return months.indexOf(text.slice(0, 3).toLowerCase()) + 1
}

function englishWeekday(text: string): number {
  return ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(text.slice(0, 3).toLowerCase())
}

/** A year-less date (`11月30日`, `Nov 30`) means the one nearest to today: last, this or next year. */
function nearest(today: CalendarDate, month: number, day: number): CalendarDate | null {
  let best: CalendarDate | null = null
  for (const year of [today.year - 1, today.year, today.year + 1]) {
    if (!isRealDate(year, month, day)) continue
    const candidate = { year, month, day }
    if (best === null || Math.abs(daysBetween(today, candidate)) < Math.abs(daysBetween(today, best)))
      best = candidate
  }
  return best
}

function absolute(year: number | null, month: number | null, day: number | null, today: CalendarDate) {
  if (month === null || day === null) return null
  if (year === null) return nearest(today, month, day)
  return year >= 1900 && year <= 2100 && isRealDate(year, month, day) ? { year, month, day } : null
}

/** Monday of the week `weeks` from the current one. */
function mondayOf(today: CalendarDate, weeks: number): CalendarDate {
  return addDays(today, weeks * 7 - dayOfWeek(today))
}

/** The next `weekday` counting today (0–6 days ahead), or strictly after today (1–7). */
function upcoming(today: CalendarDate, weekday: number, strictlyAfter = false): CalendarDate {
  let ahead = (weekday - dayOfWeek(today) + 7) % 7
  if (strictlyAfter && ahead === 0) ahead = 7
  return addDays(today, ahead)
}

function shift(today: CalendarDate, count: number, unit: string): CalendarDate {
  if (/月|month/i.test(unit)) return addMonths(today, count)
  if (/周|星期|礼拜|week/i.test(unit)) return addDays(today, count * 7)
  return addDays(today, count)
}

const firstOfMonth = (date: CalendarDate, months: number): CalendarDate => ({
  ...addMonths(date, months),
  day: 1,
})
const endOfMonth = (date: CalendarDate): CalendarDate => ({
  ...date,
  day: daysInMonth(date.year, date.month),
})
const ok = (date: CalendarDate | null, confidence: number): Resolved | null =>
  date === null ? null : { date, confidence }

/**
 * The date rules. Every pattern is linear: literal anchors, bounded quantifiers, and lookbehinds that stop
 * a match from starting inside a longer number.
 */
const RULES: readonly DateRule[] = [
  {
    // 2026-11-30, 2026/11/30, 2026.11.30
    pattern: /(?<![\d.\-/])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)/g,
    resolve: (m, today) => ok(absolute(Number(m[1]), Number(m[3]), Number(m[4]), today), 0.95),
  },
  {
    // 2026年11月30日, 11月30日, 11月30号, 11月30, 十一月三十日
    pattern: new RegExp(
      `(?<!\\d)(?:(\\d{4}|[〇零一二三四五六七八九]{4})\\s?年\\s?)?(${ZH_SMALL})\\s?月\\s?(${ZH_SMALL})(?:\\s?[日号]|(?![\\d一二三四五六七八九十]))`,
      'g',
    ),
    resolve: (m, today) => {
      const year = m[1] === undefined ? null : number(m[1])
      return ok(absolute(year, number(m[2]), number(m[3]), today), m[1] === undefined ? 0.9 : 0.95)
    },
  },
  {
    // 11/30, 11/30/2026 (month first; day first when the first number cannot be a month)
    pattern: /(?<![\d/.\-])(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?(?![\d/])/g,
    resolve: (m, today) => {
      let month = Number(m[1])
      let day = Number(m[2])
      if (month > 12 && day <= 12) [month, day] = [day, month]
      const year = m[3] === undefined ? null : m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3])
      return ok(absolute(year, month, day, today), m[3] === undefined ? 0.7 : 0.85)
    },
  },
  {
    // 30 Nov, 30th of November 2026
    pattern: new RegExp(
      `\\b(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+of)?\\s+(${EN_MONTHS})\\b(?:,?\\s+((?:19|20)\\d{2})\\b)?`,
      'gi',
    ),
    resolve: (m, today) =>
      ok(absolute(m[3] === undefined ? null : Number(m[3]), englishMonth(m[2]), Number(m[1]), today), 0.9),
  },
  {
    // Nov 30, November 30th, 2026
    pattern: new RegExp(
      `\\b(${EN_MONTHS})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+((?:19|20)\\d{2})\\b)?`,
      'gi',
    ),
    resolve: (m, today) =>
      ok(absolute(m[3] === undefined ? null : Number(m[3]), englishMonth(m[1]), Number(m[2]), today), 0.9),
  },
  {
    // 今天, 明天, 后天, 大后天, 昨天, 前天 …
    pattern: new RegExp(
      Object.keys(ZH_DAY_WORDS)
        .sort((a, b) => b.length - a.length)
        .join('|'),
      'g',
    ),
    resolve: (m, today) => ok(addDays(today, ZH_DAY_WORDS[m[0]]), 0.9),
  },
  {
    // 下周一, 这周五, 本周日, 上个星期三, 下下周, 周末, bare 周五 / 星期五 (the coming one)
    pattern:
      /(?<![一二两三四五六七八九十\d个每几])(?:(上上|下下|上个|下个|这个|上|下|这|本)\s?)?(?:周|星期|礼拜)([一二三四五六日天1-7末])?/g,
    resolve: (m, today) => {
      const qualifier = m[1]
      const day = m[2]
      if (qualifier === undefined) {
        if (day === undefined) return null
        return ok(upcoming(today, day === '末' ? 5 : ZH_WEEKDAY[day]), 0.8)
      }
      const monday = mondayOf(today, ZH_WEEK_OFFSET[qualifier])
      if (day === undefined) return ok(monday, 0.6)
      return ok(addDays(monday, day === '末' ? 5 : ZH_WEEKDAY[day]), 0.9)
    },
  },
  {
    // 3天后, 三天后, 两周后, 一个月后, 5天前, 10日之后
    pattern: new RegExp(
      `(?<![\\d.])(${ZH_COUNT})\\s?(个星期|个礼拜|个月|星期|礼拜|周|天|日)\\s?[之以]?(后|前)`,
      'g',
    ),
    resolve: (m, today) => {
      const count = number(m[1])
      if (count === null) return null
      return ok(shift(today, m[3] === '前' ? -count : count, m[2]), 0.85)
    },
  },
  {
    // 过3天, 过两周
    pattern: new RegExp(`过\\s?(${ZH_COUNT})\\s?(个星期|个礼拜|个月|星期|礼拜|周|天)`, 'g'),
    resolve: (m, today) => {
      const count = number(m[1])
      return count === null ? null : ok(shift(today, count, m[2]), 0.8)
    },
  },
  {
    // 下个月 → the 1st of next month; 月底 → the last day of this month
    pattern: /下个月|下月|上个月|上月|这个月|本月|月底|月末|月初/g,
    resolve: (m, today) => {
      if (m[0] === '月底' || m[0] === '月末') return ok(endOfMonth(today), 0.7)
      const months = m[0].startsWith('下') ? 1 : m[0].startsWith('上') ? -1 : 0
      return ok(firstOfMonth(today, months), 0.7)
    },
  },
  {
    pattern:
      /\b(?:(?:the\s+)?day\s+after\s+tomorrow|(?:the\s+)?day\s+before\s+yesterday|today|tonight|tomorrow|tmrw?|yesterday)\b/gi,
    resolve: (m, today) => {
      const word = m[0].toLowerCase()
      const offset = word.includes('after')
        ? 2
        : word.includes('before')
          ? -2
          : word.startsWith('tom') || word.startsWith('tmr')
            ? 1
            : word === 'yesterday'
              ? -1
              : 0
      return ok(addDays(today, offset), 0.9)
    },
  },
  {
    // next Monday (Monday of next week), last Fri, this Friday / coming Friday (the next one), bare Friday
    pattern: new RegExp(`\\b(?:(next|this|last|coming)\\s+)?(${EN_WEEKDAYS})\\b`, 'gi'),
    resolve: (m, today) => {
      const qualifier = m[1]?.toLowerCase()
      const weekday = englishWeekday(m[2])
      if (qualifier === undefined) return m[2].length >= 6 ? ok(upcoming(today, weekday), 0.8) : null
      if (qualifier === 'next') return ok(addDays(mondayOf(today, 1), weekday), 0.9)
      if (qualifier === 'last') return ok(addDays(mondayOf(today, -1), weekday), 0.9)
      return ok(upcoming(today, weekday, qualifier === 'coming'), 0.9)
    },
  },
  {
    // next week → its Monday; next weekend → its Saturday; next month → its 1st; end of the month
    pattern: /\b(?:(next|this|last)\s+(week|weekend|month)|end\s+of\s+(?:the\s+|this\s+)?month)\b/gi,
    resolve: (m, today) => {
      if (m[1] === undefined) return ok(endOfMonth(today), 0.7)
      const offset = { next: 1, this: 0, last: -1 }[m[1].toLowerCase() as 'next' | 'this' | 'last']
      const unit = m[2].toLowerCase()
      if (unit === 'month') return ok(firstOfMonth(today, offset), 0.7)
      const monday = mondayOf(today, offset)
      return ok(unit === 'weekend' ? addDays(monday, 5) : monday, 0.6)
    },
  },
  {
    // in 3 days, in two weeks, in a month
    pattern: new RegExp(`\\bin\\s+(${EN_COUNT})\\s+(days?|weeks?|months?)\\b`, 'gi'),
    resolve: (m, today) => {
      const count = number(m[1])
      return count === null ? null : ok(shift(today, count, m[2]), 0.85)
    },
  },
  {
    // 3 days later, two weeks from now, 5 days ago
    pattern: new RegExp(`\\b(${EN_COUNT})\\s+(days?|weeks?|months?)\\s+(from\\s+now|later|ago)\\b`, 'gi'),
    resolve: (m, today) => {
      const count = number(m[1])
      if (count === null) return null
      return ok(shift(today, m[3].toLowerCase() === 'ago' ? -count : count, m[2]), 0.85)
    },
  },
]

/**
 * Finds absolute and relative dates and resolves them to local calendar dates in the workspace time zone:
 * "today" is the date the injected `now` falls on there, so the same instant can be 12-01 in Shanghai and
 * 11-30 in New York. Week-based words use Monday-first weeks: `下周五` / `next Friday` is the Friday of next
 * week, `这周五` the Friday of this week, `this Friday` and a bare `周五` / `Friday` the next one (today
 * included). Periods resolve to their first day (`下个月` → the 1st of next month, `next week` → its Monday);
 * `月底` / `end of the month` to the last day. A date without a year is the nearest such date to today.
 *
 * @example
 *   findDates('明天到吗', { now: new Date('2026-12-31T10:00:00Z') })[0].normalized // '2027-01-01'
 */
export function findDates(text: string, options: DateOptions): Entity<'date'>[] {
  const today = calendarDateIn(options.now, options.timeZone ?? DEFAULT_TIME_ZONE)
  const entities: Entity<'date'>[] = []
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0
    for (let match = rule.pattern.exec(text); match !== null; match = rule.pattern.exec(text)) {
      if (match[0].length === 0) {
        rule.pattern.lastIndex += 1
        continue
      }
      const resolved = rule.resolve(match, today)
      if (resolved === null) continue
      const end = match.index + match[0].length
      entities.push(
        makeEntity('date', text, match.index, end, resolved.confidence, formatCalendarDate(resolved.date)),
      )
    }
  }
  return entities
}
