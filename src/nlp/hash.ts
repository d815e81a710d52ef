/**
 * 32-bit hashing over UTF-16 code units, written here so feature hashing needs no dependency and gives the
 * same buckets on every platform: FNV-1a steps (`fnvStep`) accumulate a state code unit by code unit, and
 * MurmurHash3's finaliser (`fmix32`) spreads the state's bits before a bucket is taken from its top bits.
 */

export const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

/** One FNV-1a step: fold a code unit (or any 32-bit value) into the state. */
export function fnvStep(state: number, codeUnit: number): number {
  return Math.imul(state ^ codeUnit, FNV_PRIME)
}

/** MurmurHash3's 32-bit finaliser (avalanche). Returns an unsigned 32-bit integer. */
export function fmix32(value: number): number {
  let h = value ^ (value >>> 16)
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** FNV-1a state of `text[start, end)` started from `seed` (not finalised). */
export function fnvState(text: string, start = 0, end = text.length, seed = FNV_OFFSET): number {
  let h = seed
  for (let i = start; i < end; i++) h = fnvStep(h, text.charCodeAt(i))
  return h
}

/** Finalised 32-bit hash of a string, for callers that need one number per string. */
export function hashString(text: string, seed = FNV_OFFSET): number {
  return fmix32(fnvState(text, 0, text.length, seed))
}
