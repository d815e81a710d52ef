import { describe, expect, it } from 'vitest'
import { createRandom } from './prng.js'
import { stratifiedFolds, stratifiedSplit } from './split.js'

const labels = [...Array(50).fill('a'), ...Array(30).fill('b'), ...Array(10).fill('c'), 'single']

describe('stratifiedSplit', () => {
  it('keeps each label’s share and is reproducible from the seed', () => {
    const split = stratifiedSplit(labels, 0.2, 42)
    const count = (indices: number[], label: string) => indices.filter((i) => labels[i] === label).length
    expect(count(split.test, 'a')).toBe(10)
    expect(count(split.test, 'b')).toBe(6)
    expect(count(split.test, 'c')).toBe(2)
    expect(count(split.train, 'single')).toBe(1)
    expect(split.train.length + split.test.length).toBe(labels.length)
    expect(stratifiedSplit(labels, 0.2, 42)).toEqual(split)
    expect(stratifiedSplit(labels, 0.2, 43)).not.toEqual(split)
  })
})

describe('stratifiedFolds', () => {
  it('puts every example in exactly one test fold, labels spread evenly', () => {
    const folds = stratifiedFolds(labels, 5, 1)
    const seen = folds.flatMap((fold) => fold.test).sort((x, y) => x - y)
    expect(seen).toEqual([...labels.keys()])
    for (const fold of folds) expect(fold.test.filter((i) => labels[i] === 'a')).toHaveLength(10)
  })

  it('rejects k < 2', () => {
    expect(() => stratifiedFolds(labels, 1, 1)).toThrow(/k must be/)
  })
})

describe('createRandom', () => {
  it('is deterministic and uniform enough', () => {
    const a = createRandom(9)
    const b = createRandom(9)
    const values = Array.from({ length: 1000 }, () => a.next())
    expect(values).toEqual(Array.from({ length: 1000 }, () => b.next()))
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length
    expect(mean).toBeGreaterThan(0.45)
    expect(mean).toBeLessThan(0.55)
  })
})
