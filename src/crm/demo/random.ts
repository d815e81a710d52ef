/**
 * Seeded pseudo-random numbers for the demo generator: sfc32 seeded through splitmix32, plus a string hash
 * for deriving independent sub-seeds (`hashSeed(seed, 'customer', 249)`) and a keyed permutation for numbers
 * that must never collide (phone numbers, order numbers). No dependencies, same output on every platform.
 */

/** A seeded source of randomness. Every helper draws from `next()`, so the sequence is reproducible. */
export interface Random {
  /** A float in [0, 1). */
  next(): number
  /** A whole number in [min, max], both ends included. */
  int(min: number, max: number): number
  /** A float in [min, max). */
  float(min: number, max: number): number
  /** One element, uniformly. Throws on an empty array. */
  pick<T>(items: readonly T[]): T
  /** One value, with probability proportional to its weight: `weighted([['a', 3], ['b', 1]])`. */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T
  /** True with probability `probability`. */
  chance(probability: number): boolean
  /** A shuffled copy (Fisher–Yates); the input is left alone. */
  shuffle<T>(items: readonly T[]): T[]
  /** `count` distinct elements in random order (fewer when the array is shorter). */
  sample<T>(items: readonly T[], count: number): T[]
}

const UINT32 = 4294967296

/** A 32-bit hash of the parts (FNV-1a over UTF-16 units, then murmur3's finaliser). */
export function hashSeed(...parts: readonly (string | number)[]): number {
  const text = parts.map(String).join('\u0001')
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return fmix32(hash)
}

function fmix32(value: number): number {
  let h = value | 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * Creates a seeded generator. Whole numbers in [0, 2^32) are used as they are; anything else (strings,
 * larger or fractional numbers) is hashed first.
 *
 * @example
 * const random = createRandom(42)
 * random.pick(['a', 'b', 'c']) // always the same for seed 42
 */
export function createRandom(seed: number | string): Random {
  const base =
    typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed < UINT32
      ? seed
      : hashSeed(String(seed))
  let state = base | 0
  const splitmix = (): number => {
    state = (state + 0x9e3779b9) | 0
    return fmix32(state)
  }
  let a = splitmix()
  let b = splitmix()
  let c = splitmix()
  let d = splitmix()
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / UINT32
  }
  for (let i = 0; i < 12; i++) next()

  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick() from an empty array')
      return items[Math.floor(next() * items.length)]
    },
    weighted: (pairs) => {
      let total = 0
      for (const [, weight] of pairs) total += Math.max(0, weight)
      if (total <= 0) throw new Error('weighted() needs at least one positive weight')
      let roll = next() * total
      for (const [value, weight] of pairs) {
        roll -= Math.max(0, weight)
        if (roll < 0) return value
      }
      return pairs[pairs.length - 1][0]
    },
    chance: (probability) => next() < probability,
    shuffle: (items) => {
      const copy = items.slice()
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        const held = copy[i]
        copy[i] = copy[j]
        copy[j] = held
      }
      return copy
    },
    sample: (items, count) => random.shuffle(items).slice(0, Math.max(0, count)),
  }
  return random
}

/**
 * A keyed bijection of [0, modulus) onto itself (an invertible mixer on the next power of two, cycle-walked
 * back into range). Distinct inputs give distinct outputs, so numbers built from it never collide.
 */
export function permuteIndex(index: number, modulus: number, salt: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= modulus) {
    throw new RangeError(`permuteIndex: index ${index} is outside [0, ${modulus})`)
  }
  if (modulus > UINT32) throw new RangeError(`permuteIndex: modulus ${modulus} is above 2^32`)
  const bits = Math.max(2, Math.ceil(Math.log2(modulus)))
  const mask = 2 ** bits - 1
  const shift = Math.max(1, bits >> 1)
  const keys = [salt | 0, hashSeed(salt, 1) | 0, hashSeed(salt, 2) | 0]
  let value = index
  do {
    for (const key of keys) {
      value = ((value + key) & mask) >>> 0
      value = (Math.imul(value, 0x2c1b3c6d | 1) & mask) >>> 0
      value = (value ^ (value >>> shift)) >>> 0
    }
  } while (value >= modulus)
  return value
}

/**
 * A decimal string unique per index (for a given salt), at least `minDigits` long and without a leading
 * zero: indices below 9·10^(d−1) get d digits, larger ones more, so lengths never overlap.
 */
export function uniqueDigits(index: number, salt: number, minDigits: number): string {
  let digits = minDigits
  while (index >= 9 * 10 ** (digits - 1)) digits++
  const size = 9 * 10 ** (digits - 1)
  if (size <= UINT32) return String(10 ** (digits - 1) + permuteIndex(index, size, salt))
  return String(10 ** (digits - 1) + index)
}
