import {
  COMPOUNDS_ZH,
  HK_BUILDINGS,
  HONG_KONG,
  MAINLAND_CITIES,
  OVERSEAS_CITIES,
  TAIWAN_CITIES,
  type City,
  type District,
} from './places.js'
import type { Random } from './random.js'
import { toTraditional } from './traditional.js'
import type { DemoAddress, DemoLocale } from './types.js'

export interface CityPick {
  city: City
  district: District
}

const MAINLAND = MAINLAND_CITIES.map((city) => [city, city.weight] as const)
/** Where English-speaking customers living in mainland China tend to live. */
const EXPAT = MAINLAND_CITIES.slice(0, 6).map((city) => [city, city.weight] as const)
const TAIWAN = TAIWAN_CITIES.map((city) => [city, city.weight] as const)
const overseas = (countries: readonly string[]) =>
  OVERSEAS_CITIES.filter((city) => countries.includes(city.country)).map(
    (city) => [city, city.weight] as const,
  )
const US_LIKE = overseas(['US'])
const CA = overseas(['CA'])
const GB = overseas(['GB'])
const SG = overseas(['SG'])
const AU = overseas(['AU'])

/** Chooses where a customer lives: mainland China for zh-CN, HK/TW for those locales, a mix for English. */
export function pickCity(random: Random, locale: DemoLocale): CityPick {
  let city: City
  if (locale === 'zh-CN') city = random.weighted(MAINLAND)
  else if (locale === 'zh-TW') city = random.weighted(TAIWAN)
  else if (locale === 'zh-HK') city = HONG_KONG
  else if (random.chance(0.4)) city = random.weighted(EXPAT)
  else if (locale === 'en-US')
    city = random.weighted(random.chance(0.85) ? US_LIKE : random.chance(0.5) ? CA : SG)
  else {
    const roll = random.next()
    city =
      roll < 0.8
        ? random.weighted(GB)
        : roll < 0.9
          ? random.weighted(AU)
          : roll < 0.95
            ? random.weighted(SG)
            : HONG_KONG
  }
  return { city, district: random.pick(city.districts) }
}

/** The first address line, in Chinese or English, as the country writes it. */
export function addressLine(random: Random, pick: CityPick, language: 'zh' | 'en'): string {
  const { city, district } = pick
  const street = random.pick(city.streets)
  const number = random.int(1, 999)
  const floor = random.int(2, 32)
  const room = `${floor}${String(random.int(1, 8)).padStart(2, '0')}`
  switch (city.country) {
    case 'CN': {
      const building = random.int(1, 24)
      if (language === 'zh')
        return `${district.zh}${street.zh}${number}号${random.pick(COMPOUNDS_ZH)}${building}栋${room}室`
      return `Room ${room}, Bldg ${building}, ${number} ${street.en}, ${district.en}`
    }
    case 'HK': {
      const [buildingZh, buildingEn] = random.pick(HK_BUILDINGS).split('|')
      const flat = random.pick(['A', 'B', 'C', 'D', 'E'])
      if (language === 'zh') return `${district.zh}${street.zh}${number}号${buildingZh}${floor}楼${flat}室`
      return `Flat ${flat}, ${floor}/F, ${buildingEn}, ${number} ${street.en}, ${district.en}`
    }
    case 'TW':
      if (language === 'zh') return `${district.zh}${street.zh}${number}号${Math.min(floor, 18)}楼`
      return `${Math.min(floor, 18)}F., No. ${number}, ${street.en}, ${district.en}`
    case 'US':
      return `${number * 10 + random.int(0, 9)} ${street.en}, Apt ${random.int(1, 40)}${random.pick(['', 'A', 'B', 'C'])}`
    case 'CA':
      return `${number * 3} ${street.en}, Unit ${random.int(101, 2408)}`
    case 'GB':
      return random.chance(0.5)
        ? `Flat ${random.int(1, 24)}, ${number % 200} ${street.en}`
        : `${number % 200} ${street.en}`
    case 'SG':
      return `${number % 400} ${street.en} #${String(floor).padStart(2, '0')}-${String(random.int(1, 120)).padStart(2, '0')}`
    case 'AU':
      return `${random.int(1, 40)}/${number % 300} ${street.en}`
  }
}

/** A full postal address for a customer or an order. Chinese-language addresses in HK/TW are in traditional script. */
export function makeAddress(
  random: Random,
  pick: CityPick,
  language: 'zh' | 'en',
  traditional: boolean,
): DemoAddress {
  const { city, district } = pick
  const chinese =
    language === 'zh' && (city.country === 'CN' || city.country === 'HK' || city.country === 'TW')
  const convert = (text: string) => (traditional ? toTraditional(text) : text)
  return {
    line1: chinese ? convert(addressLine(random, pick, 'zh')) : addressLine(random, pick, 'en'),
    city: chinese ? convert(city.formal.zh) : city.formal.en,
    region: chinese ? convert(city.region.zh) : city.region.en,
    postalCode: district.postalCode,
    country: city.country,
  }
}

/** Finds the city an address was made for (by country and city name), for writing a second address there. */
export function cityOfAddress(address: DemoAddress): City | null {
  const all = [...MAINLAND_CITIES, HONG_KONG, ...TAIWAN_CITIES, ...OVERSEAS_CITIES]
  return (
    all.find(
      (city) =>
        city.country === address.country &&
        (city.formal.en === address.city ||
          city.formal.zh === address.city ||
          toTraditional(city.formal.zh) === address.city),
    ) ?? null
  )
}

/** A one-line address in the same city, as a customer would paste it into a chat to change their delivery. */
export function newAddressText(random: Random, address: DemoAddress, language: 'zh' | 'en'): string {
  const city = cityOfAddress(address) ?? MAINLAND_CITIES[0]
  const pick: CityPick = { city, district: random.pick(city.districts) }
  const chinese =
    language === 'zh' && (city.country === 'CN' || city.country === 'HK' || city.country === 'TW')
  if (chinese) return `${city.formal.zh}${addressLine(random, pick, 'zh')}`
  return `${addressLine(random, pick, 'en')}, ${city.formal.en}${city.country === 'CN' ? '' : ` ${pick.district.postalCode}`}`
}
