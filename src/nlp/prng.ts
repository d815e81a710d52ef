/**
 * A small seeded pseudo-random generator (SplitMix32 to expand the seed, then sfc32), so that shuffles and
 * splits are reproducible from a number and independent of `Math.random`.
 */

export interface Random {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [0, n). */
  int(n: number): number
}

function splitMix32(seed: number): () => number {
  let state = seed | 0
  return () => {
    state = (state + 0x9e3779b9) | 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
}

/** A generator for `seed` (any finite number; non-integers are truncated). */
export function createRandom(seed: number): Random {
  const expand = splitMix32(Number.isFinite(seed) ? Math.trunc(seed) : 0)
  let a = expand()
  let b = expand()
  let c = expand()
  let d = expand()
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  for (let i = 0; i < 12; i++) nextUint32()
  return {
    next: () => nextUint32() / 4294967296,
    int: (n: number) => Math.floor((nextUint32() / 4294967296) * n),
  }
}

/** Fisher–Yates shuffle of `items` in place, driven by `random`. */
export function shuffleInPlace(items: { length: number; [index: number]: unknown }, random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1)
    const tmp = items[i]
    items[i] = items[j]
    items[j] = tmp
  }
}
