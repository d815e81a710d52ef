import { makeEntity, type Entity } from './types.js'

export interface CnIdOptions {
  /** Birth dates after this instant are implausible; without it, birth years up to 2099 are accepted. */
  readonly now?: Date
}

/** 6-digit region, 8-digit birth date, 3-digit sequence, check character; optional single spaces between. */
const CN_ID = /(?<![0-9A-Za-z])(\d{6}) ?(\d{8}) ?(\d{3}[\dXx])(?![0-9A-Za-z])/g

/** GB 11643-1999 weights of the first 17 digits, and the check character for each sum modulo 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

/** Two-digit province codes of GB/T 2260 (mainland), plus 71 Taiwan, 81 Hong Kong, 82 Macau, 83 residence permits. */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83,
])

/**
 * Finds 18-character resident identity numbers: a known province code, a real birth date between 1900 and
 * `now`, and a valid GB 11643 check character. A number that fails any of these is not an id.
 *
 * @example
 *   findCnIdNumbers('身份证 11010519491231002X')[0].normalized // '11010519491231002X'
 */
export function findCnIdNumbers(text: string, options: CnIdOptions = {}): Entity<'cn_id_number'>[] {
  const entities: Entity<'cn_id_number'>[] = []
  CN_ID.lastIndex = 0
  for (let match = CN_ID.exec(text); match !== null; match = CN_ID.exec(text)) {
    const id = `${match[1]}${match[2]}${match[3]}`.toUpperCase()
    if (!isValidCnId(id, options.now)) continue
    entities.push(makeEntity('cn_id_number', text, match.index, match.index + match[0].length, 0.98, id))
  }
  return entities
}

/** True when an 18-character id has a known province, a plausible birth date and the right check character. */
export function isValidCnId(id: string, now?: Date): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false
  if (!PROVINCES.has(Number(id.slice(0, 2)))) return false
  const year = Number(id.slice(6, 10))
  const month = Number(id.slice(10, 12))
  const day = Number(id.slice(12, 14))
  const birth = Date.UTC(year, month - 1, day)
  const date = new Date(birth)
  if (
    year < 1900 ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return false
  }
  const latest = now !== undefined && !Number.isNaN(now.getTime()) ? now.getTime() : Date.UTC(2099, 11, 31)
  if (birth > latest) return false
  let sum = 0
  for (let index = 0; index < 17; index += 1) sum += Number(id[index]) * WEIGHTS[index]
  return CHECK[sum % 11] === id[17]
}
