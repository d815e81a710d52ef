/**
 * Near-duplicate detection between corpora (issue 3): a training example whose character 3-gram Jaccard
 * similarity to a test example reaches the threshold leaks the test set into training and fails the build.
 *
 * Texts are normalised before taking 3-grams: NFKC (full-width → half-width), lower-case, whitespace and
 * punctuation removed. Grams are taken over code points, so an emoji is one character. A text shorter than
 * three characters after normalisation is a single gram (itself); an empty one has no grams.
 */

export type CorpusText = string | { readonly text: string }

export interface NearDuplicate {
  /** index into the `train` array */
  readonly trainIndex: number
  /** index into the `test` array */
  readonly testIndex: number
  readonly train: string
  readonly test: string
  /** character 3-gram Jaccard similarity in [0, 1] */
  readonly similarity: number
}

const STRIP = /[\p{P}\p{Z}\s]+/gu

/** The normalised form the 3-grams are taken from. */
export function normaliseForTrigrams(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(STRIP, '')
}

/** Set of character 3-grams of the normalised text. */
export function charTrigrams(text: string): Set<string> {
  const chars = Array.from(normaliseForTrigrams(text))
  const grams = new Set<string>()
  if (chars.length === 0) return grams
  if (chars.length < 3) {
    grams.add(chars.join(''))
    return grams
  }
  for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars[i] + chars[i + 1] + chars[i + 2])
  return grams
}

/**
 * Jaccard similarity |A ∩ B| / |A ∪ B| of two gram sets (strings are turned into their 3-grams first).
 * Two empty sets (texts that are empty after normalisation) count as identical: 1.
 */
export function jaccard(a: ReadonlySet<string> | string, b: ReadonlySet<string> | string): number {
  const setA = typeof a === 'string' ? charTrigrams(a) : a
  const setB = typeof b === 'string' ? charTrigrams(b) : b
  if (setA.size === 0 && setB.size === 0) return 1
  if (setA.size === 0 || setB.size === 0) return 0
  const [small, large] = setA.size <= setB.size ? [setA, setB] : [setB, setA]
  let inter = 0
  for (const g of small) if (large.has(g)) inter++
  return inter / (setA.size + setB.size - inter)
}

function textOf(item: CorpusText): string {
  return typeof item === 'string' ? item : item.text
}

/**
 * Every (train, test) pair whose 3-gram Jaccard similarity is ≥ `threshold`, most similar first.
 * An inverted index over the test set's grams yields the candidates, so only pairs that share a gram are
 * scored (3k × 1k texts take a few milliseconds).
 */
export function findNearDuplicates(
  train: readonly CorpusText[],
  test: readonly CorpusText[],
  threshold = 0.8,
): NearDuplicate[] {
  if (!(threshold >= 0 && threshold <= 1))
    throw new RangeError(`threshold must be in [0, 1], got ${threshold}`)
  const testTexts = test.map(textOf)
  const testSizes = new Int32Array(testTexts.length)
  const index = new Map<string, number[]>()
  const emptyTests: number[] = []
  testTexts.forEach((text, i) => {
    const grams = charTrigrams(text)
    testSizes[i] = grams.size
    if (grams.size === 0) emptyTests.push(i)
    for (const g of grams) {
      const postings = index.get(g)
      if (postings) postings.push(i)
      else index.set(g, [i])
    }
  })

  const shared = new Int32Array(testTexts.length)
  const touched: number[] = []
  const found: NearDuplicate[] = []
  train.forEach((item, trainIndex) => {
    const text = textOf(item)
    const grams = charTrigrams(text)
    if (grams.size === 0) {
      // J(∅, ∅) = 1: an empty normalised text duplicates every other empty one
      for (const testIndex of emptyTests)
        found.push({ trainIndex, testIndex, train: text, test: testTexts[testIndex], similarity: 1 })
      return
    }
    for (const g of grams) {
      const postings = index.get(g)
      if (!postings) continue
      for (const t of postings) {
        if (shared[t] === 0) touched.push(t)
        shared[t]++
      }
    }
    for (const testIndex of touched) {
      const inter = shared[testIndex]
      const similarity = inter / (grams.size + testSizes[testIndex] - inter)
      if (similarity >= threshold)
        found.push({ trainIndex, testIndex, train: text, test: testTexts[testIndex], similarity })
      shared[testIndex] = 0
    }
    touched.length = 0
  })
  return found.sort(
    (x, y) => y.similarity - x.similarity || x.trainIndex - y.trainIndex || x.testIndex - y.testIndex,
  )
}
