import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/index.js'
import { stratifiedSplit } from '../split.js'
import { evaluate } from '../metrics.js'
import { loadTextClassifier } from './linear-classifier.js'
import { HAS_SHARED_DATA, TINY_BILINGUAL, readSharedCsv } from './test-data.js'
import { trainTextClassifier } from './train.js'

describe('trainTextClassifier on a tiny bilingual set', () => {
  const { model, report } = trainTextClassifier(TINY_BILINGUAL, { seed: 7 })

  it('fits its training data (100% training accuracy)', () => {
    const predictions = model.predict(TINY_BILINGUAL.map((example) => example.text))
    expect(predictions.map((prediction) => prediction.label)).toEqual(
      TINY_BILINGUAL.map((example) => example.label),
    )
    expect(report.labels).toEqual(['greeting', 'order_status', 'refund'])
    expect(report.n_train).toBe(TINY_BILINGUAL.length)
    expect(report.validation).toBeNull()
  })

  it('generalises to new phrasings in both languages, Traditional Chinese included', () => {
    const predictions = model.predict(['I would like a refund please', '我想退款', '我的訂單到哪了', 'hi!'])
    expect(predictions.map((prediction) => prediction.label)).toEqual([
      'refund',
      'refund',
      'order_status',
      'greeting',
    ])
  })

  it('returns calibrated scores over every label and evidence from the text', () => {
    const [prediction] = model.predict(['I want my refund now'])
    expect(Object.keys(prediction.scores).sort()).toEqual(['greeting', 'order_status', 'refund'])
    const total = Object.values(prediction.scores).reduce((sum, score) => sum + score, 0)
    expect(total).toBeCloseTo(1, 6)
    expect(prediction.confidence).toBe(prediction.scores.refund)
    expect(prediction.evidence.length).toBeGreaterThan(0)
    expect(prediction.evidence[0].feature).toMatch(/refund/)
    for (const evidence of prediction.evidence) expect(evidence.weight).toBeGreaterThan(0)
  })

  it('is reproducible from the seed', () => {
    const again = trainTextClassifier(TINY_BILINGUAL, { seed: 7 }).model
    expect(again.toJSON()).toEqual(model.toJSON())
  })

  it('saves and loads back with identical predictions', () => {
    const texts = ['refund please', '我要退货退款', '订单到哪了', '👋', '', 'x'.repeat(70_000)]
    const restored = loadTextClassifier(JSON.parse(JSON.stringify(model.toJSON())))
    expect(restored.labels).toEqual(model.labels)
    expect(restored.predict(texts)).toEqual(model.predict(texts))
    expect(restored.toJSON()).toEqual(model.toJSON())
  })

  it('does not mutate its input', () => {
    const texts = Object.freeze(['refund please', '你好'])
    const copy = [...texts]
    model.predict(texts)
    expect(texts).toEqual(copy)
  })

  it('predicts empty, emoji-only and 64k-character texts without crashing', () => {
    const predictions = model.predict(['', '😀😀😀', '退款'.repeat(32_768), 'refund '.repeat(10_000)])
    for (const prediction of predictions) {
      expect(model.labels).toContain(prediction.label)
      expect(prediction.confidence).toBeGreaterThan(0)
      expect(prediction.confidence).toBeLessThanOrEqual(1)
    }
    expect(predictions[0].evidence).toEqual([])
    expect(predictions[2].label).toBe('refund')
  })

  it('records a fingerprint of the training data, independent of its order', () => {
    const reversed = trainTextClassifier([...TINY_BILINGUAL].reverse(), { seed: 7 })
    expect(reversed.report.fingerprint).toBe(report.fingerprint)
    expect(report.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(model.toJSON().training.fingerprint).toBe(report.fingerprint)
  })
})

describe('class weighting', () => {
  it('raises a rare label’s probability on its own examples', () => {
    const common = Array.from({ length: 40 }, (_, i) => ({
      text: `where is my order number ${i} please`,
      label: 'order',
    }))
    const rare = [
      { text: 'my order arrived broken, refund please', label: 'refund' },
      { text: 'refund my broken order', label: 'refund' },
    ]
    const examples = [...common, ...rare]
    const plain = trainTextClassifier(examples, { seed: 4, validation: 0 })
    const weighted = trainTextClassifier(examples, { seed: 4, validation: 0, classWeighting: true })
    expect(weighted.model.toJSON().training.classWeighting).toBe(true)
    const text = ['my order is broken']
    expect(weighted.model.predict(text)[0].scores.refund).toBeGreaterThan(
      plain.model.predict(text)[0].scores.refund,
    )
  })
})

describe('trainTextClassifier with bad input', () => {
  it('rejects an empty training set', () => {
    expect(() => trainTextClassifier([], { seed: 1 })).toThrow(AppError)
    expect(() => trainTextClassifier([], { seed: 1 })).toThrow(/empty/)
  })

  it('rejects a single label, naming it', () => {
    const examples = [
      { text: 'a', label: 'only' },
      { text: 'b', label: 'only' },
    ]
    expect(() => trainTextClassifier(examples, { seed: 1 })).toThrow(/two distinct labels.*"only"/)
  })

  it('rejects a non-string text or a blank label, naming the example', () => {
    const bad = [{ text: 42, label: 'x' }, ...TINY_BILINGUAL] as unknown as typeof TINY_BILINGUAL
    expect(() => trainTextClassifier(bad, { seed: 1 })).toThrow(/examples\[0\]\.text/)
    expect(() => trainTextClassifier([{ text: 'a', label: ' ' }, ...TINY_BILINGUAL], { seed: 1 })).toThrow(
      /examples\[0\]\.label/,
    )
  })

  it('trains with a label that has a single example and warns about it', () => {
    const { model, report } = trainTextClassifier(
      [...TINY_BILINGUAL, { text: 'cancel my order', label: 'cancel' }],
      {
        seed: 1,
      },
    )
    expect(model.labels).toContain('cancel')
    expect(report.warnings.join(' ')).toMatch(/single example.*cancel/)
  })

  it('rejects a snapshot that is not one', () => {
    expect(() => loadTextClassifier({ format: 'something-else' })).toThrow(/format/)
    const { model } = trainTextClassifier(TINY_BILINGUAL, { seed: 1 })
    const snapshot = model.toJSON()
    expect(() => loadTextClassifier({ ...snapshot, version: 99 })).toThrow(/version 99/)
    expect(() => loadTextClassifier({ ...snapshot, bias: [1] })).toThrow(/bias/)
  })
})

describe.skipIf(!HAS_SHARED_DATA)('calibration and out-of-scope on public data', () => {
  it('temperature scaling lowers ECE on a held-out Banking77 split', () => {
    const all = readSharedCsv('banking77/train.csv', 'category')
    const labels = [...new Set(all.map((example) => example.label))].sort().slice(0, 25)
    const subset = all.filter((example) => labels.includes(example.label))
    const split = stratifiedSplit(
      subset.map((example) => example.label),
      0.25,
      11,
    )
    const train = split.train.map((i) => subset[i])
    const heldOut = split.test.map((i) => subset[i])
    const calibrated = trainTextClassifier(train, { seed: 3, validation: 0.15 })
    const raw = trainTextClassifier(train, { seed: 3, validation: 0.15, calibrate: false })
    expect(calibrated.report.temperature).not.toBe(1)
    const texts = heldOut.map((example) => example.text)
    const calibratedReport = evaluate(calibrated.model.predict(texts), heldOut)
    const rawReport = evaluate(raw.model.predict(texts), heldOut)
    expect(calibratedReport.accuracy).toBeGreaterThan(0.85)
    expect(calibratedReport.ece).toBeLessThan(rawReport.ece)
    expect(calibrated.report.validation?.ece).toBeLessThan(
      calibrated.report.validation?.ece_before_calibration ?? 0,
    )
  })

  it('a threshold tuned on validation sends CLINC150 out-of-scope queries to the oos label', () => {
    const inScope = [...new Set(readSharedCsv('clinc150/train.csv').map((e) => e.label))]
      .filter((label) => label !== 'oos')
      .sort()
      .slice(0, 30)
    const keep = (example: { label: string }) => example.label === 'oos' || inScope.includes(example.label)
    const train = readSharedCsv('clinc150/train.csv').filter(keep)
    const validation = readSharedCsv('clinc150/val.csv').filter(keep)
    const { model, report } = trainTextClassifier(train, { seed: 5, oosLabel: 'oos', validation: 0.2 })
    expect(report.oos_threshold).toBeGreaterThan(0)
    const predictions = model.predict(validation.map((example) => example.text))
    const result = evaluate(predictions, validation, { oosLabel: 'oos' })
    expect(result.oos?.in_scope_accuracy).toBeGreaterThan(0.9)
    expect(result.oos?.oos_recall).toBeGreaterThan(0.4)
    const withoutThreshold = loadTextClassifier({ ...model.toJSON(), oos: null }).predict(
      validation.map((example) => example.text),
    )
    const baseline = evaluate(withoutThreshold, validation, { oosLabel: 'oos' })
    expect(result.oos?.oos_recall).toBeGreaterThan(baseline.oos?.oos_recall ?? 1)
    for (const prediction of predictions)
      if (
        prediction.label === 'oos' &&
        Math.max(...Object.values(prediction.scores)) !== prediction.scores.oos
      )
        expect(1 - prediction.confidence).toBeLessThan(report.oos_threshold ?? 0)
  })
})
