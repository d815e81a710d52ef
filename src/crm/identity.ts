import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'
import { AppError } from '../core/index.js'

export type IdentityKind = 'email' | 'phone' | 'chat' | 'api'

/**
 * Normalises a phone number to E.164, reading numbers without a country code in the workspace's default
 * region: `138 0013 8000` → `+8613800138000`. Returns null when it is not a possible number.
 */
export function normalizePhone(input: string, defaultRegion: string = 'CN'): string | null {
  const text = input.trim()
  if (text.length === 0 || text.length > 40 || !/^[+()\d\s.\-/]+$/.test(text)) return null
  const region = defaultRegion.toUpperCase() as CountryCode
  const parsed = parsePhoneNumberFromString(text.startsWith('00') ? `+${text.slice(2)}` : text, region)
  if (!parsed || !parsed.isPossible()) return null
  return parsed.number
}

export function requirePhone(input: string, defaultRegion: string): string {
  const phone = normalizePhone(input, defaultRegion)
  if (phone === null) {
    throw new AppError(
      'CRM_INVALID_PHONE',
      `"${input}" is not a phone number; write it with a country code (+86 138 0013 8000) or as a ${defaultRegion} number`,
      { details: { field: 'phone', value: input } },
    )
  }
  return phone
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/

/** Lower-cases and trims an email address; null when it is not one. */
export function normalizeEmail(input: string): string | null {
  const text = input.trim().toLowerCase()
  return text.length <= 254 && EMAIL.test(text) ? text : null
}

/** Normalises an address for a channel identity; throws a user error naming the value when it is invalid. */
export function normalizeIdentity(kind: IdentityKind, address: string, defaultRegion: string): string {
  if (kind === 'phone') return requirePhone(address, defaultRegion)
  if (kind === 'email') {
    const email = normalizeEmail(address)
    if (email === null) {
      throw new AppError('CORE_VALIDATION_FAILED', `"${address}" is not an email address`, {
        details: { field: 'email', value: address },
      })
    }
    return email
  }
  const id = address.trim()
  if (id.length === 0 || id.length > 200) {
    throw new AppError('CORE_VALIDATION_FAILED', `a ${kind} id must be 1–200 characters`, {
      details: { field: 'address' },
    })
  }
  return id
}
