import { permuteIndex, uniqueDigits, type Random } from './random.js'
import { HANDLES } from './people.js'
import type { Country } from './places.js'

/**
 * Phone numbers and email addresses for demo customers. Each is built around a number that is unique per
 * customer index (a keyed permutation), so no two customers ever share a phone or an email address, and every
 * phone number parses with libphonenumber (numbers outside mainland China always carry their country code).
 */

const CN_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '170',
  '173',
  '175',
  '176',
  '177',
  '178',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '193',
  '195',
  '198',
  '199',
] as const
const US_AREAS = [
  '415',
  '628',
  '212',
  '646',
  '718',
  '206',
  '512',
  '617',
  '312',
  '213',
  '310',
  '503',
  '720',
  '404',
  '305',
  '202',
  '469',
  '614',
  '919',
  '702',
] as const
const CA_AREAS = ['416', '647', '604', '778'] as const

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}

/** A phone number as a customer in `country` would type it, unique for `index`. */
export function makePhone(random: Random, country: Country, index: number, salt: number): string {
  switch (country) {
    case 'CN': {
      const prefix = random.pick(CN_PREFIXES)
      const rest = pad(permuteIndex(index % 1e8, 1e8, salt), 8)
      const a = rest.slice(0, 4)
      const b = rest.slice(4)
      return random.weighted<string>([
        [`${prefix}${rest}`, 45],
        [`${prefix} ${a} ${b}`, 20],
        [`${prefix}-${a}-${b}`, 10],
        [`+86 ${prefix} ${a} ${b}`, 10],
        [`+86 ${prefix}-${a}-${b}`, 5],
        [`+86${prefix}${rest}`, 5],
        [`+86 ${prefix}${rest}`, 5],
      ])
    }
    case 'US':
    case 'CA': {
      const areas = country === 'US' ? US_AREAS : CA_AREAS
      const blockSize = areas.length * 10_000
      const exchange = 555 + Math.floor(index / blockSize)
      const value = permuteIndex(index % blockSize, blockSize, salt)
      const area = areas[Math.floor(value / 10_000)]
      const line = pad(value % 10_000, 4)
      return random.weighted<string>([
        [`+1 ${area} ${exchange} ${line}`, 35],
        [`+1 (${area}) ${exchange}-${line}`, 30],
        [`+1-${area}-${exchange}-${line}`, 20],
        [`+1${area}${exchange}${line}`, 15],
      ])
    }
    case 'GB': {
      const block = 7700 + (Math.floor(index / 100_000) % 100)
      const rest = pad(permuteIndex(index % 100_000, 100_000, salt), 5)
      return random.weighted<string>([
        [`+44 ${block} 9${rest}`, 50],
        [`+44${block}9${rest}`, 25],
        [`+44 ${block} 9${rest.slice(0, 2)} ${rest.slice(2)}`, 25],
      ])
    }
    case 'HK': {
      const first = random.pick(['5', '6', '9'])
      const rest = pad(permuteIndex(index % 1e7, 1e7, salt), 7)
      return random.chance(0.6) ? `+852 ${first}${rest.slice(0, 3)} ${rest.slice(3)}` : `+852${first}${rest}`
    }
    case 'TW': {
      const rest = pad(permuteIndex(index % 1e8, 1e8, salt), 8)
      return random.weighted<string>([
        [`+886 9${rest.slice(0, 2)} ${rest.slice(2, 5)} ${rest.slice(5)}`, 50],
        [`+886-9${rest.slice(0, 2)}-${rest.slice(2, 5)}-${rest.slice(5)}`, 25],
        [`+8869${rest}`, 25],
      ])
    }
    case 'SG': {
      const rest = pad(permuteIndex(index % 1e7, 1e7, salt), 7)
      return `+65 ${random.pick(['8', '9'])}${rest.slice(0, 3)} ${rest.slice(3)}`
    }
    case 'AU': {
      const rest = pad(permuteIndex(index % 1e8, 1e8, salt), 8)
      return random.chance(0.5)
        ? `+61 4${rest.slice(0, 2)} ${rest.slice(2, 5)} ${rest.slice(5)}`
        : `+614${rest}`
    }
  }
}

export interface EmailParts {
  /** Latin spellings of the name, lower-case: given name, family name. */
  given: string
  family: string
  /** A Chinese-style customer (QQ numbers, pinyin handles) or an English-style one. */
  style: 'zh' | 'en'
}

function clean(part: string): string {
  return part.toLowerCase().replace(/[^a-z]/g, '')
}

/** A lower-case personal email address, unique for `index` under `salt`. */
export function makeEmail(
  random: Random,
  parts: EmailParts,
  domains: readonly (readonly [string, number])[],
  index: number,
  salt: number,
): string {
  const given = clean(parts.given)
  const family = clean(parts.family)
  const digits = uniqueDigits(index, salt, 3)
  const domain = random.weighted(domains)
  if (parts.style === 'zh') {
    if (domain === 'qq.com' || domain === 'foxmail.com') {
      if (random.chance(0.75)) return `${uniqueDigits(index, salt ^ 0x5bd1e995, 8)}@${domain}`
    }
    const handle = random.pick(HANDLES)
    const initials = given.length > 0 ? given[0] : ''
    const local = random.weighted<string>([
      [`${family}${given}${digits}`, 30],
      [`${given}${family}${digits}`, 10],
      [`${family}_${given}${digits}`, 10],
      [`${family}${initials}${digits}`, 10],
      [`${handle}_${digits}`, 12],
      [`${handle}${family}${digits}`, 8],
      [`${given}.${family}${digits}`, 10],
      [`${family}.${given}.${digits}`, 10],
    ])
    return `${local}@${domain}`
  }
  const local = random.weighted<string>([
    [`${given}.${family}${digits}`, 35],
    [`${given}${family}${digits}`, 20],
    [`${given[0] ?? 'x'}${family}${digits}`, 15],
    [`${given}_${family}${digits}`, 10],
    [`${given}${digits}`, 10],
    [`${family}.${given}${digits}`, 10],
  ])
  return `${local}@${domain}`
}

/** A work address at a company domain: `wei.zhang.481@xinghe-tech.cn`, unique for `index`. */
export function makeWorkEmail(
  random: Random,
  parts: EmailParts,
  domain: string,
  index: number,
  salt: number,
): string {
  const given = clean(parts.given)
  const family = clean(parts.family)
  const digits = uniqueDigits(index, salt, 3)
  const local = random.weighted<string>([
    [`${given}.${family}.${digits}`, 40],
    [`${family}${given}${digits}`, 30],
    [`${given[0] ?? 'x'}${family}${digits}`, 30],
  ])
  return `${local}@${domain}`
}
