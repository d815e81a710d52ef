/**
 * Seeded, stratified splits: every label keeps its share in each part, so a rare label is not lost from a
 * validation split or a fold by chance.
 */
import { createRandom, shuffleInPlace } from './prng.js'

export interface LabeledText {
  readonly text: string
  readonly label: string
}

/** Indices of each label, in first-seen label order. */
function indicesByLabel(labels: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>()
  labels.forEach((label, index) => {
    const group = groups.get(label)
    if (group) group.push(index)
    else groups.set(label, [index])
  })
  return groups
}

export interface StratifiedSplit {
  /** Indices into the input, ascending. */
  readonly train: number[]
  readonly test: number[]
}

/**
 * Split indices so that about `fraction` of each label goes to `test`. A label with n examples sends
 * round(n × fraction) to test, but always keeps at least one in train; a label with a single example stays
 * in train.
 */
export function stratifiedSplit(labels: readonly string[], fraction: number, seed: number): StratifiedSplit {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`fraction must be in [0, 1), got ${fraction}`)
  const random = createRandom(seed)
  const train: number[] = []
  const test: number[] = []
  for (const group of indicesByLabel(labels).values()) {
    shuffleInPlace(group, random)
    const take = Math.min(group.length - 1, Math.round(group.length * fraction))
    test.push(...group.slice(0, take))
    train.push(...group.slice(take))
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) }
}

/**
 * k stratified folds: fold f's test part gets every k-th example of each shuffled label, so each fold holds
 * ⌊n/k⌋ or ⌈n/k⌉ of every label. A label with fewer than k examples is missing from some folds' test parts.
 */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number): StratifiedSplit[] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer ≥ 2, got ${k}`)
  const random = createRandom(seed)
  const foldOf = new Int32Array(labels.length)
  let offset = 0
  for (const group of indicesByLabel(labels).values()) {
    shuffleInPlace(group, random)
    group.forEach((index, position) => {
      foldOf[index] = (position + offset) % k
    })
    offset += group.length
  }
  return Array.from({ length: k }, (_, fold) => {
    const train: number[] = []
    const test: number[] = []
    for (let i = 0; i < labels.length; i++) (foldOf[i] === fold ? test : train).push(i)
    return { train, test }
  })
}
