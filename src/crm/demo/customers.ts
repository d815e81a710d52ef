import { makeEmail, makePhone, makeWorkEmail, type EmailParts } from './contact-details.js'
import {
  COMPANIES,
  EMAIL_DOMAINS_GB,
  EMAIL_DOMAINS_HK,
  EMAIL_DOMAINS_TW,
  EMAIL_DOMAINS_US,
  EMAIL_DOMAINS_ZH,
  ENGLISH_FIRST_FEMININE,
  ENGLISH_FIRST_MASCULINE,
  ENGLISH_LAST,
  GIVEN_FEMININE,
  GIVEN_MASCULINE,
  HK_FIRST,
  HK_SURNAMES,
  SURNAMES,
  TW_SURNAMES,
  type Romanised,
} from './people.js'
import { makeAddress, pickCity } from './addresses.js'
import type { Country } from './places.js'
import { createRandom, hashSeed, uniqueDigits, type Random } from './random.js'
import { HOUR, iso, seasonality } from './timeline.js'
import { toTraditional } from './traditional.js'
import type { DemoCustomer, DemoLocale, DemoOptions, DemoTier } from './types.js'

const LOCALES: readonly (readonly [DemoLocale, number])[] = [
  ['zh-CN', 50],
  ['en-US', 24],
  ['en-GB', 16],
  ['zh-TW', 5],
  ['zh-HK', 5],
]
const TIERS: readonly (readonly [DemoTier, number])[] = [
  ['standard', 58],
  ['silver', 24],
  ['gold', 12],
  ['vip', 6],
]
const SOURCES_ZH: readonly (readonly [string, number])[] = [
  ['organic_search', 14],
  ['wechat', 18],
  ['xiaohongshu', 14],
  ['douyin', 12],
  ['weibo', 4],
  ['referral', 10],
  ['tmall', 8],
  ['jd', 7],
  ['offline_store', 4],
  ['baidu_ads', 5],
  ['email_campaign', 4],
]
const SOURCES_EN: readonly (readonly [string, number])[] = [
  ['google_ads', 20],
  ['organic_search', 22],
  ['instagram', 14],
  ['facebook', 8],
  ['referral', 12],
  ['newsletter', 8],
  ['youtube', 7],
  ['reddit', 4],
  ['tiktok', 5],
]

/** `c000001` for index 0. */
export function customerKey(index: number): string {
  return `c${String(index + 1).padStart(6, '0')}`
}

/** The index behind a key made by `customerKey`: `c000250` → 249. */
export function customerIndexOf(key: string): number {
  if (!/^c\d{6,}$/.test(key)) throw new Error(`"${key}" is not a demo customer key (c000001, c000002, …)`)
  return Number(key.slice(1)) - 1
}

/**
 * When customer #index first appeared. Drawn from its own sub-seed so the event generator can ask cheaply
 * without building the whole customer. Newer customers are more common (the shop grows over the year).
 */
export function customerFirstSeenMs(options: DemoOptions, index: number): number {
  const random = createRandom(hashSeed(options.seed, 'first-seen', index))
  const now = options.now.getTime()
  const season = seasonality(now)
  return Math.floor(Math.min(season.sample(season.start, now - 2 * HOUR, random.next()), now - 2 * HOUR))
}

function biasedPick<T>(random: Random, items: readonly T[], bias: number): T {
  return items[Math.min(items.length - 1, Math.floor(items.length * random.next() ** bias))]
}

interface NamePick {
  display: string
  email: EmailParts
}

function chineseGiven(random: Random, feminine: boolean): Romanised[] {
  const pool = feminine ? GIVEN_FEMININE : GIVEN_MASCULINE
  const first = random.pick(pool)
  if (random.chance(0.25)) return [first]
  let second = random.pick(pool)
  while (second.hanzi === first.hanzi) second = random.pick(pool)
  return [first, second]
}

function pickName(random: Random, locale: DemoLocale, writesEnglish: boolean): NamePick {
  const feminine = random.chance(0.52)
  const englishFirst = random.pick(feminine ? ENGLISH_FIRST_FEMININE : ENGLISH_FIRST_MASCULINE)
  if (locale === 'zh-CN') {
    const surname = biasedPick(random, SURNAMES, 2.2)
    const given = chineseGiven(random, feminine)
    return {
      display: surname.hanzi + given.map((g) => g.hanzi).join(''),
      email: { family: surname.latin, given: given.map((g) => g.latin).join(''), style: 'zh' },
    }
  }
  if (locale === 'zh-TW') {
    const surname = biasedPick(random, TW_SURNAMES, 1.6)
    const given = chineseGiven(random, feminine)
    return {
      display: toTraditional(surname.hanzi + given.map((g) => g.hanzi).join('')),
      email: {
        family: surname.latin,
        given: random.chance(0.6) ? englishFirst : given.map((g) => g.latin).join(''),
        style: 'en',
      },
    }
  }
  if (locale === 'zh-HK') {
    const surname = biasedPick(random, HK_SURNAMES, 1.6)
    const hkFirst = random.pick(HK_FIRST)
    const email: EmailParts = { family: surname.latin, given: hkFirst, style: 'en' }
    if (writesEnglish)
      return { display: `${hkFirst} ${surname.latin[0].toUpperCase()}${surname.latin.slice(1)}`, email }
    const given = chineseGiven(random, feminine)
    return { display: toTraditional(surname.hanzi + given.map((g) => g.hanzi).join('')), email }
  }
  if (random.chance(0.15)) {
    const surname = biasedPick(random, SURNAMES, 2.5)
    const family = `${surname.latin[0].toUpperCase()}${surname.latin.slice(1)}`
    return {
      display: `${englishFirst} ${family}`,
      email: { given: englishFirst, family: surname.latin, style: 'en' },
    }
  }
  const last = random.pick(ENGLISH_LAST)
  return { display: `${englishFirst} ${last}`, email: { given: englishFirst, family: last, style: 'en' } }
}

function personalDomains(locale: DemoLocale, country: Country): readonly (readonly [string, number])[] {
  if (locale === 'zh-CN') return EMAIL_DOMAINS_ZH
  if (locale === 'zh-TW') return EMAIL_DOMAINS_TW
  if (locale === 'zh-HK') return EMAIL_DOMAINS_HK
  return locale === 'en-GB' || country === 'AU' ? EMAIL_DOMAINS_GB : EMAIL_DOMAINS_US
}

function companyRegion(locale: DemoLocale, country: Country): 'cn' | 'intl' | 'hk' | 'tw' {
  if (locale === 'zh-TW') return 'tw'
  if (locale === 'zh-HK') return 'hk'
  if (locale === 'zh-CN') return 'cn'
  return country === 'CN' ? 'cn' : 'intl'
}

/**
 * Builds customer #index (0-based; its key is `customerKey(index)`). Uses only a sub-seed of (seed, index),
 * so it equals the index-th customer of any full run with the same seed and `now`.
 *
 * @example
 * generateCustomer({ customers: 500, seed: 42, now: new Date('2026-11-25T00:00:00Z') }, 249).key // 'c000250'
 */
export function generateCustomer(options: DemoOptions, index: number): DemoCustomer {
  if (!Number.isInteger(index) || index < 0)
    throw new RangeError(`customer index must be a whole number ≥ 0, got ${index}`)
  const random = createRandom(hashSeed(options.seed, 'customer', index))
  const salt = hashSeed(options.seed, 'contact')
  const key = customerKey(index)
  const locale = random.weighted(LOCALES)
  const writesEnglish = locale.startsWith('en') || (locale === 'zh-HK' && random.chance(0.35))
  const language = writesEnglish ? 'en' : 'zh'
  const place = pickCity(random, locale)
  const name = pickName(random, locale, writesEnglish)
  const tier = random.weighted(TIERS)
  const firstSeenMs = customerFirstSeenMs(options, index)

  const region = companyRegion(locale, place.city.country)
  const company = random.chance(region === 'intl' ? 0.1 : 0.12)
    ? random.pick(COMPANIES.filter((c) => c.region === region))
    : null

  let email: string | null = null
  if (company) email = makeWorkEmail(random, name.email, company.domain, index, salt)
  else if (random.chance(locale === 'zh-CN' ? 0.82 : 0.96)) {
    email = makeEmail(random, name.email, personalDomains(locale, place.city.country), index, salt)
  }
  const phoneShare = locale.startsWith('zh') ? 0.94 : place.city.country === 'CN' ? 0.6 : 0.45
  let phone: string | null = random.chance(phoneShare)
    ? makePhone(random, place.city.country, index, salt)
    : null
  if (email === null && phone === null) phone = makePhone(random, place.city.country, index, salt)

  const tags: string[] = []
  const newsletter = email !== null && random.chance(0.38)
  if (newsletter) tags.push('newsletter')
  if (tier !== 'standard' && random.chance(0.6)) tags.push('repeat-buyer')
  if (tier === 'vip') tags.push('vip')
  if (company) tags.push('b2b')
  if (place.city.country !== 'CN') tags.push('overseas')
  for (const [tag, share] of [
    ['student', 0.08],
    ['price-sensitive', 0.15],
    ['early-adopter', 0.07],
    ['gift-buyer', 0.1],
    ['app-user', 0.4],
  ] as const) {
    if (random.chance(share)) tags.push(tag)
  }
  if (locale === 'zh-CN' && random.chance(0.3)) tags.push('wechat-follower')

  const points = { standard: [0, 800], silver: [500, 3000], gold: [2000, 9000], vip: [8000, 40000] }[tier]
  const attributes: Record<string, string | number | boolean> = {
    preferredLanguage: language,
    preferredChannel: random.weighted<string>(
      language === 'zh'
        ? [
            ['wechat', 50],
            ['app', 20],
            ['phone', 10],
            ['email', 10],
            ['sms', 10],
          ]
        : [
            ['email', 60],
            ['app', 20],
            ['phone', 10],
            ['sms', 10],
          ],
    ),
    memberPoints: random.int(points[0], points[1]),
    marketingOptIn: newsletter,
    birthYear: random.int(1962, 2007),
    memberNumber: `LMU${uniqueDigits(index, hashSeed(options.seed, 'member'), 7)}`,
  }
  const address = makeAddress(random, place, language, locale === 'zh-TW' || locale === 'zh-HK')
  const cityName = language === 'zh' ? place.city.name.zh : place.city.name.en
  return {
    key,
    externalId: `shop-u-${uniqueDigits(index, hashSeed(options.seed, 'external'), 7)}`,
    name: name.display,
    locale,
    email: email?.toLowerCase() ?? null,
    phone,
    companyKey: company?.key ?? null,
    tier,
    acquisitionSource: random.weighted(language === 'zh' ? SOURCES_ZH : SOURCES_EN),
    firstSeenAt: iso(firstSeenMs),
    tags,
    attributes,
    city: locale === 'zh-TW' || locale === 'zh-HK' ? toTraditional(cityName) : cityName,
    address,
  }
}

/** Streams customers 0 … options.customers − 1 without holding them in memory. */
export function* generateCustomers(options: DemoOptions): Generator<DemoCustomer> {
  for (let index = 0; index < options.customers; index++) yield generateCustomer(options, index)
}
