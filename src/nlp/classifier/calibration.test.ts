import { describe, expect, it } from 'vitest'
import { fitTemperature, tuneOosThreshold } from './calibration.js'

describe('fitTemperature', () => {
  it('softens over-confident logits (T > 1) and sharpens under-confident ones (T < 1)', () => {
    // always 10 nats apart but right only 70% of the time → over-confident
    const over = Array.from({ length: 100 }, () => Float64Array.from([10, 0]))
    const goldOver = Int32Array.from({ length: 100 }, (_, i) => (i < 70 ? 0 : 1))
    expect(fitTemperature(over, goldOver)).toBeGreaterThan(1)
    // 0.1 nats apart but always right → under-confident
    const under = Array.from({ length: 100 }, () => Float64Array.from([0.1, 0]))
    expect(fitTemperature(under, new Int32Array(100))).toBeLessThan(1)
    expect(fitTemperature([], new Int32Array(0))).toBe(1)
  })
})

describe('tuneOosThreshold', () => {
  it('maximises in-scope accuracy + oos recall within the allowed in-scope loss', () => {
    // label 2 is oos. In-scope examples right with high confidence, oos examples predicted in-scope with low.
    const predicted = Int32Array.from([0, 1, 0, 1, 0, 1, 0, 0])
    const confidence = Float64Array.from([0.9, 0.95, 0.85, 0.9, 0.3, 0.35, 0.4, 0.2])
    const gold = Int32Array.from([0, 1, 0, 1, 2, 2, 2, 0])
    const choice = tuneOosThreshold(predicted, confidence, gold, 2, 0.3)
    // rejecting everything ≤ 0.4 catches all three oos and loses one of five in-scope (the 0.2 one)
    expect(choice.oos_recall).toBe(1)
    expect(choice.in_scope_accuracy).toBeCloseTo(4 / 5)
    expect(choice.threshold).toBeGreaterThan(0.4)
    expect(choice.threshold).toBeLessThan(0.85)
    // with no in-scope loss allowed, only thresholds that keep every right answer qualify
    const strict = tuneOosThreshold(predicted, confidence, gold, 2, 0)
    expect(strict.in_scope_accuracy).toBe(1)
    expect(strict.threshold).toBeLessThanOrEqual(0.2)
  })
})
