import { describe, expect, it } from 'vitest'
import { evaluate, expectedCalibrationError } from './metrics.js'

describe('evaluate', () => {
  // gold:      a a a b b c
  // predicted: a a b b c c
  // confusion (rows gold, columns predicted, order a b c):
  //   a: 2 1 0
  //   b: 0 1 1
  //   c: 0 0 1
  const gold = ['a', 'a', 'a', 'b', 'b', 'c'].map((label, i) => ({ text: `t${i}`, label }))
  const predictions = [
    { label: 'a', confidence: 0.9 },
    { label: 'a', confidence: 0.8 },
    { label: 'b', confidence: 0.7 },
    { label: 'b', confidence: 0.6 },
    { label: 'c', confidence: 0.95 },
    { label: 'c', confidence: 0.5 },
  ]
  const report = evaluate(predictions, gold)

  it('builds the confusion matrix', () => {
    expect(report.confusion_matrix).toEqual({
      labels: ['a', 'b', 'c'],
      matrix: [
        [2, 1, 0],
        [0, 1, 1],
        [0, 0, 1],
      ],
    })
  })

  it('computes per-label precision, recall, F1 and support by hand', () => {
    // a: P 2/2, R 2/3; b: P 1/2, R 1/2; c: P 1/2, R 1/1
    expect(report.per_label.a.precision).toBeCloseTo(1)
    expect(report.per_label.a.recall).toBeCloseTo(2 / 3)
    expect(report.per_label.a.f1).toBeCloseTo(0.8)
    expect(report.per_label.b).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 })
    expect(report.per_label.c.f1).toBeCloseTo(2 / 3)
    expect(report.per_label.c.support).toBe(1)
  })

  it('computes accuracy and the macro, micro and weighted averages', () => {
    expect(report.n).toBe(6)
    expect(report.accuracy).toBeCloseTo(4 / 6)
    expect(report.micro_f1).toBeCloseTo(4 / 6)
    expect(report.macro_f1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3)
    expect(report.macro_precision).toBeCloseTo((1 + 0.5 + 0.5) / 3)
    expect(report.macro_recall).toBeCloseTo((2 / 3 + 0.5 + 1) / 3)
    expect(report.weighted_f1).toBeCloseTo((0.8 * 3 + 0.5 * 2 + (2 / 3) * 1) / 6)
  })

  it('computes ECE, the reliability table and the histogram', () => {
    // bins of 0.1: [0.5,0.6): c✓ 0.5; [0.6,0.7): b✓ 0.6; [0.7,0.8): b✗ 0.7; [0.8,0.9): a✓; [0.9,1]: a✓ 0.9, c✗ 0.95
    const expected = (1 / 6) * (0.5 + 0.4 + 0.7 + 0.2) + (2 / 6) * Math.abs(0.5 - 0.925)
    expect(report.ece).toBeCloseTo(expected, 10)
    expect(report.reliability).toHaveLength(10)
    expect(report.reliability[9]).toMatchObject({ bin: 9, count: 2, accuracy: 0.5 })
    expect(report.reliability[9].confidence).toBeCloseTo(0.925)
    expect(report.confidence_histogram.correct[9]).toBe(1)
    expect(report.confidence_histogram.incorrect[9]).toBe(1)
    expect(report.confidence_histogram.edges).toHaveLength(11)
  })

  it('lists the most confident errors first', () => {
    expect(report.worst_errors).toEqual([
      { text: 't4', label: 'b', predicted: 'c', confidence: 0.95 },
      { text: 't2', label: 'a', predicted: 'b', confidence: 0.7 },
    ])
  })

  it('has exactly the CONTRACTS keys, snake_case, fractions in [0, 1]', () => {
    for (const key of [
      'n',
      'accuracy',
      'macro_f1',
      'micro_f1',
      'weighted_f1',
      'ece',
      'per_label',
      'confusion_matrix',
    ])
      expect(report).toHaveProperty(key)
    expect(report).not.toHaveProperty('oos')
    for (const key of ['accuracy', 'macro_f1', 'micro_f1', 'weighted_f1', 'ece'] as const) {
      expect(report[key]).toBeGreaterThanOrEqual(0)
      expect(report[key]).toBeLessThanOrEqual(1)
    }
  })

  it('reports in-scope accuracy and out-of-scope recall when gold holds the oos label', () => {
    const oosReport = evaluate(
      [
        { label: 'a', confidence: 0.9 },
        { label: 'oos', confidence: 0.6 },
        { label: 'oos', confidence: 0.7 },
        { label: 'a', confidence: 0.4 },
      ],
      ['a', 'a', 'oos', 'oos'],
      { oosLabel: 'oos' },
    )
    expect(oosReport.oos).toEqual({ in_scope_accuracy: 0.5, oos_recall: 0.5, oos_precision: 0.5 })
  })

  it('refuses mismatched lengths and gives zeros for an empty set', () => {
    expect(() => evaluate([{ label: 'a', confidence: 1 }], [])).toThrow(/one prediction per gold label/)
    const empty = evaluate([], [])
    expect(empty.accuracy).toBe(0)
    expect(empty.ece).toBe(0)
    expect(empty.confusion_matrix).toEqual({ labels: [], matrix: [] })
  })
})

describe('expectedCalibrationError', () => {
  it('is 0 for perfectly calibrated bins and |acc − conf| otherwise', () => {
    expect(expectedCalibrationError([0.75, 0.75, 0.75, 0.75], [1, 1, 1, 0])).toBeCloseTo(0)
    expect(expectedCalibrationError([1, 1], [1, 0])).toBeCloseTo(0.5)
  })
})
