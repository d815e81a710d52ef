import { describe, expect, it } from 'vitest'
import { TINY_BILINGUAL } from './classifier/test-data.js'
import { crossValidate } from './cross-validate.js'

describe('crossValidate', () => {
  it('pools out-of-fold predictions and summarises the folds', () => {
    const report = crossValidate(TINY_BILINGUAL, 4, { seed: 2 })
    expect(report.k).toBe(4)
    expect(report.folds).toHaveLength(4)
    expect(report.report.n).toBe(TINY_BILINGUAL.length)
    expect(report.folds.reduce((sum, fold) => sum + fold.n_test, 0)).toBe(TINY_BILINGUAL.length)
    expect(report.accuracy.mean).toBeGreaterThan(0.4)
    expect(report.report.confusion_matrix.labels).toEqual(['greeting', 'order_status', 'refund'])
  })

  it('rejects k < 2 or fewer examples than folds', () => {
    expect(() => crossValidate(TINY_BILINGUAL, 1, { seed: 1 })).toThrow(/k ≥ 2/)
    expect(() => crossValidate(TINY_BILINGUAL.slice(0, 2), 3, { seed: 1 })).toThrow(/at least 3/)
  })
})
