import { readFileSync } from 'node:fs'
import type { Actor } from '../crm/actor.js'
import {
  evaluate,
  fingerprintExamples,
  loadTextClassifier,
  redact,
  trainInWorker,
  type TextClassifier,
} from '../nlp/index.js'
import type { LabelledText } from './datasets.js'

export const NLU_TASKS = ['intent', 'sentiment'] as const
export type NluTask = (typeof NLU_TASKS)[number]

const DATA = new URL('../../data/nlu/', import.meta.url)

/** The corpora AgentCRM ships and trains its built-in models from (data/nlu, see its README). */
export function builtinCorpus(task: NluTask): { train: LabelledText[]; test: LabelledText[] } {
  const read = (name: string) =>
    readFileSync(new URL(name, DATA), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const { text, label } = JSON.parse(line) as LabelledText
        return { text, label }
      })
  return { train: read(`${task}-train.jsonl`), test: read(`${task}-test.jsonl`) }
}

/**
 * Models learn from and predict on redacted text (`[PHONE_1]` instead of the number), as `perceive` feeds them:
 * personal data never becomes a feature, and a model file never holds it.
 */
export function forModel<T extends LabelledText>(examples: readonly T[]): T[] {
  const now = new Date(0)
  return examples.map((example) => ({ ...example, text: redact(example.text, { now }).redactedText }))
}

/** What the registry must offer; the store's model registry fits it. */
export interface ModelStore {
  active(task: string): Promise<{
    version: number
    dataFingerprint: string
    metrics: Record<string, unknown>
    artefact: string
  } | null>
  list(task?: string): Promise<{ version: number; source: string; dataFingerprint: string }[]>
  register(
    input: {
      task: string
      source: string
      labels: readonly string[]
      metrics: Record<string, unknown>
      dataFingerprint: string
      artefact: string
      activate?: boolean
    },
    actor: Actor,
  ): Promise<{ version: number }>
  promote(task: string, version: number, actor: Actor): Promise<{ version: number }>
}

export const TRAINING_SEED = 20261125

/** Scores a model on a frozen test set: the numbers a retrain must not be worse on. */
export function testMetrics(model: TextClassifier, test: readonly LabelledText[], oosLabel?: string) {
  const predictions = model.predict(forModel(test).map((example) => example.text))
  const report = evaluate(predictions, test, { oosLabel })
  return { accuracy: report.accuracy, macro_f1: report.macro_f1, ece: report.ece, n: report.n }
}

/**
 * Makes sure each built-in task has a model trained on the shipped corpus: when the corpus (by fingerprint) has
 * no model yet, it trains one in a worker thread, scores it on the frozen test set and registers it. It becomes
 * active when there is none, or when it is not worse than the active model on the frozen test set.
 */
export async function ensureBuiltinModels(
  registry: ModelStore,
  actor: Actor,
  log: (message: string) => void = () => {},
): Promise<{ task: NluTask; version: number; trained: boolean; promoted: boolean }[]> {
  const results: { task: NluTask; version: number; trained: boolean; promoted: boolean }[] = []
  for (const task of NLU_TASKS) {
    const { train, test } = builtinCorpus(task)
    const fingerprint = fingerprintExamples(train)
    const existing = (await registry.list(task)).find(
      (m) => m.source === 'builtin' && m.dataFingerprint === fingerprint,
    )
    const active = await registry.active(task)
    if (existing) {
      results.push({ task, version: active?.version ?? existing.version, trained: false, promoted: false })
      continue
    }
    log(`training the built-in ${task} model on ${train.length} examples`)
    const started = Date.now()
    const { model, report } = await trainInWorker(forModel(train), {
      seed: TRAINING_SEED,
      validation: 0.1,
      oosLabel: task === 'intent' ? 'out_of_scope' : undefined,
      classWeighting: true,
    })
    const frozen = testMetrics(model, test, task === 'intent' ? 'out_of_scope' : undefined)
    const previous = active ? testMetrics(loadTextClassifier(JSON.parse(active.artefact)), test) : null
    const promote = previous === null || frozen.macro_f1 >= previous.macro_f1 - 1e-9
    const registered = await registry.register(
      {
        task,
        source: 'builtin',
        labels: model.labels,
        metrics: { validation: report.validation, test: frozen, seconds: (Date.now() - started) / 1000 },
        dataFingerprint: fingerprint,
        artefact: JSON.stringify(model.toJSON()),
        activate: promote,
      },
      actor,
    )
    log(
      `built-in ${task} model v${registered.version}: test accuracy ${frozen.accuracy.toFixed(3)}, macro-F1 ${frozen.macro_f1.toFixed(3)}${promote ? ' (active)' : ' (kept as a candidate: worse than the active model)'}`,
    )
    results.push({ task, version: registered.version, trained: true, promoted: promote })
  }
  return results
}
