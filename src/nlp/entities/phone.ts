import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max'
import { digitsOf, findDigitChunks } from './digits.js'
import { DEFAULT_REGION, makeEntity, type Entity } from './types.js'

export interface PhoneOptions {
  /** Region for numbers without a country code; default `CN`. */
  readonly defaultRegion?: string
}

/** The longest phone number has 15 digits; `0086` adds two. */
const MAX_DIGITS = 17

interface PhoneMatch {
  readonly e164: string
  readonly confidence: number
}

/**
 * Finds phone numbers: Chinese mobiles (`138 0013 8000`, `138-0013-8000`), `+86` / `0086` / `86` prefixes,
 * landlines with an area code (`021-6888 8888`, `(010) 1234 5678`), 400/800 service numbers and
 * international numbers in E.164 (`+1 415 555 2671`). A number is kept only when libphonenumber-js (full
 * metadata) says it is valid, so impossible numbers (`123 4567 8901`, ten-digit "mobiles") never match.
 *
 * @example
 *   findPhones('电话 138-0013-8000')[0].normalized // '+8613800138000'
 */
export function findPhones(text: string, options: PhoneOptions = {}): Entity<'phone'>[] {
  const region = (options.defaultRegion ?? DEFAULT_REGION).toUpperCase()
  const country = isSupportedCountry(region) ? (region as CountryCode) : undefined
  const cache = new Map<string, PhoneMatch | null>()
  const entities: Entity<'phone'>[] = []
  for (const chunk of findDigitChunks(text)) {
    const groups = chunk.groups
    let first = 0
    while (first < groups.length) {
      // A window may start after a `(` that opens an area code: `+86 (21) 6888 8888`.
      let windowStart = groups[first].start
      if (first === 0) windowStart = chunk.start
      else if (text[windowStart - 1] === '(') windowStart -= 1
      const plus = text[windowStart] === '+'
      const firstGroupLength = groups[first].end - groups[first].start
      let best: { last: number; match: PhoneMatch } | null = null
      let digitCount = 0
      for (let last = first; last < groups.length; last += 1) {
        digitCount += groups[last].end - groups[last].start
        if (digitCount > MAX_DIGITS) break
        const digits = digitsOf(text, windowStart, groups[last].end)
        const key = `${plus ? '+' : ''}${digits}|${firstGroupLength}`
        let match = cache.get(key)
        if (match === undefined) {
          match = classify(digits, plus, firstGroupLength, country)
          cache.set(key, match)
        }
        if (match !== null) best = { last, match }
      }
      if (best === null) {
        first += 1
        continue
      }
      entities.push(
        makeEntity('phone', text, windowStart, groups[best.last].end, best.match.confidence, best.match.e164),
      )
      first = best.last + 1
    }
  }
  return entities
}

/** Decides whether a window's digits are a phone number, checking the cheap shapes before libphonenumber. */
function classify(
  digits: string,
  plus: boolean,
  firstGroupLength: number,
  country: CountryCode | undefined,
): PhoneMatch | null {
  if (plus) return international(digits, 0.95)
  if (digits.startsWith('00') && digits.length >= 10) return international(digits.slice(2), 0.93)
  if (country === 'CN') {
    if (/^1[3-9]\d{9}$/.test(digits)) return national(digits, 'CN', 0.95)
    // `86 138 0013 8000`: the country code written without `+`, as its own group.
    if (firstGroupLength === 2 && /^861[3-9]\d{9}$/.test(digits)) return international(digits, 0.9)
    if (/^0[1-9]\d{8,10}$/.test(digits)) return national(digits, 'CN', 0.85)
    if (/^[48]00\d{7}$/.test(digits)) return national(digits, 'CN', 0.85)
    return null
  }
  if (country !== undefined && digits.length >= 7 && digits.length <= 15)
    return national(digits, country, 0.8)
  return null
}

function international(digits: string, confidence: number): PhoneMatch | null {
  if (digits.length < 7 || digits.length > 15 || digits.startsWith('0')) return null
  const parsed = parsePhoneNumberFromString(`+${digits}`)
  return parsed?.isValid() ? { e164: parsed.number, confidence } : null
}

function national(digits: string, country: CountryCode, confidence: number): PhoneMatch | null {
  const parsed = parsePhoneNumberFromString(digits, country)
  return parsed?.isValid() ? { e164: parsed.number, confidence } : null
}
