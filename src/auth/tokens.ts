import { createHash, randomBytes } from 'node:crypto'

export const TOKEN_PREFIX = 'acrm_'

/** A new API token: `acrm_` + 32 random bytes; only its SHA-256 is stored. */
export function generateToken(): { token: string; hash: string; prefix: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
  return { token, hash: hashToken(token), prefix: token.slice(0, 12) }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Parses durations like `30d`, `12h`, `90m`, `1y` into milliseconds; null when it is not one. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,6})\s*(m|h|d|w|y)$/.exec(text.trim())
  if (!match) return null
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 }[match[2] as 'm']
  return Number(match[1]) * unit
}
