import { describe, expect, it } from 'vitest'
import { AppError } from '../core/index.js'
import { TINY_BILINGUAL } from './classifier/test-data.js'
import { trainTextClassifier } from './classifier/train.js'
import { createRandom } from './prng.js'
import { trainInWorker } from './train-in-worker.js'

/** A synthetic set large enough that training takes a noticeable time. */
function syntheticExamples(count: number): { text: string; label: string }[] {
  const random = createRandom(3)
  const vocabulary = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}x`)
  return Array.from({ length: count }, (_, i) => {
    const label = `label_${i % 40}`
    const words = Array.from({ length: 12 }, () => vocabulary[random.int(vocabulary.length)])
    words.push(`cue${i % 40}`)
    return { text: words.join(' '), label }
  })
}

describe('trainInWorker', () => {
  it('trains the same model as in-process training', async () => {
    const { model, report } = await trainInWorker(TINY_BILINGUAL, { seed: 7 })
    const local = trainTextClassifier(TINY_BILINGUAL, { seed: 7 })
    expect(model.toJSON()).toEqual(local.model.toJSON())
    expect(report.labels).toEqual(local.report.labels)
  })

  it('reports each epoch of the fit and the refit, and trains the same model as without the callback', async () => {
    const examples = syntheticExamples(400)
    const epochs: { stage: string; epoch: number; epochs: number }[] = []
    const { model, report } = await trainInWorker(examples, {
      seed: 5,
      validation: 0.1,
      onEpoch: (progress) => epochs.push(progress),
    })
    const fit = epochs.filter((progress) => progress.stage === 'fit')
    const refit = epochs.filter((progress) => progress.stage === 'refit')
    expect(fit.map((progress) => progress.epoch)).toEqual(report.history.map((record) => record.epoch))
    expect(refit).toHaveLength(report.best_epoch)
    expect(refit.every((progress) => progress.epochs === report.best_epoch)).toBe(true)
    const quiet = await trainInWorker(examples, { seed: 5, validation: 0.1 })
    expect(model.toJSON()).toEqual(quiet.model.toJSON())
  })

  it('keeps the main thread’s event loop ticking while it trains', async () => {
    const examples = syntheticExamples(6000)
    let ticks = 0
    const timer = setInterval(() => ticks++, 5)
    const started = performance.now()
    const { model } = await trainInWorker(examples, { seed: 1, epochs: 6 })
    const elapsed = performance.now() - started
    clearInterval(timer)
    expect(model.labels).toHaveLength(40)
    // the timer fires every 5 ms; a blocked loop would fire about once
    expect(elapsed).toBeGreaterThan(100)
    expect(ticks).toBeGreaterThan(Math.min(20, elapsed / 5 / 4))
  })

  it('rejects with the training error', async () => {
    await expect(trainInWorker([], { seed: 1 })).rejects.toBeInstanceOf(AppError)
    await expect(trainInWorker([], { seed: 1 })).rejects.toThrow(/empty/)
  })

  it('stops when aborted', async () => {
    const controller = new AbortController()
    const training = trainInWorker(syntheticExamples(6000), { seed: 1, signal: controller.signal })
    controller.abort(new Error('stop'))
    await expect(training).rejects.toThrow('stop')
  })
})
