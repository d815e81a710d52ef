import type { Actor } from '../crm/actor.js'
import {
  evaluate,
  fingerprintExamples,
  loadTextClassifier,
  trainInWorker,
  type EvaluationReport,
  type TextClassifier,
} from '../nlp/index.js'
import {
  builtinCorpus,
  forModel,
  testMetrics,
  TRAINING_SEED,
  type ModelStore,
  type NluTask,
} from './builtin-models.js'

/** The registry plus the labelled examples people made by correcting the agent. */
export interface RetrainStore extends ModelStore {
  examples(task: string): Promise<readonly { text: string; label: string }[]>
}

/** Where a retrain is: a phase, overall progress in [0, 1] and a sentence for people. */
export interface RetrainProgress {
  readonly phase: 'preparing' | 'training' | 'evaluating' | 'registering'
  readonly progress: number
  readonly message: string
}

export interface RetrainResult {
  readonly task: NluTask
  readonly version: number
  readonly promoted: boolean
  /** Frozen-test metrics of the new version and of the version that was active before. */
  readonly test: ReturnType<typeof testMetrics>
  readonly active_test: ReturnType<typeof testMetrics> | null
  readonly corrections: number
  /** The new version's full evaluation report on the frozen test set. */
  readonly report: EvaluationReport
}

/** The out-of-scope label of a built-in task. */
export function oosLabelOf(task: NluTask): string | undefined {
  return task === 'intent' ? 'out_of_scope' : undefined
}

/** Where the evaluation report of a built-in task's model versions comes from. */
export function frozenTestName(task: NluTask): string {
  return `data/nlu/${task}-test.jsonl`
}

/**
 * The full evaluation report (per-label table, confusion matrix, reliability bins, worst errors) of a model
 * on its task's frozen test set: the numbers the console's evaluation report shows.
 */
export function frozenTestReport(task: NluTask, model: TextClassifier): EvaluationReport {
  const { test } = builtinCorpus(task)
  const predictions = model.predict(forModel(test).map((example) => example.text))
  return evaluate(predictions, test, { oosLabel: oosLabelOf(task), labels: model.labels, worstErrors: 20 })
}

/** Share of the overall progress each training stage covers (the held-out fit, then the refit). */
const TRAINING_SPAN = { fit: [0.08, 0.6], refit: [0.6, 0.8] } as const

/**
 * Retrains a built-in task on its corpus plus people's corrections, in a worker thread, and registers the
 * result; it becomes active only when its macro-F1 on the frozen test set is not worse than the active
 * model's. Reports progress per phase and per epoch through `onProgress`.
 */
export async function retrainTask(
  registry: RetrainStore,
  task: NluTask,
  actor: Actor,
  options: { onProgress?: (progress: RetrainProgress) => void; signal?: AbortSignal } = {},
): Promise<RetrainResult> {
  const report = options.onProgress ?? (() => {})
  report({ phase: 'preparing', progress: 0.02, message: 'reading the corpus and the corrections' })
  const { train, test } = builtinCorpus(task)
  const corrections = (await registry.examples(task)).map((e) => ({ text: e.text, label: e.label }))
  const examples = forModel([...train, ...corrections])
  const oosLabel = oosLabelOf(task)
  report({
    phase: 'training',
    progress: TRAINING_SPAN.fit[0],
    message: `training on ${examples.length} examples (${corrections.length} corrections)`,
  })
  const { model, report: training } = await trainInWorker(examples, {
    seed: TRAINING_SEED,
    validation: 0.1,
    oosLabel,
    classWeighting: true,
    signal: options.signal,
    onEpoch: ({ stage, epoch, epochs }) => {
      const [from, to] = TRAINING_SPAN[stage]
      report({
        phase: 'training',
        progress: from + ((to - from) * Math.min(epoch, epochs)) / Math.max(1, epochs),
        message: `${stage === 'fit' ? 'training' : 'refitting on every example'}: epoch ${epoch} of at most ${epochs}`,
      })
    },
  })
  report({
    phase: 'evaluating',
    progress: 0.85,
    message: `scoring on the frozen test set (${test.length} examples)`,
  })
  const evaluation = frozenTestReport(task, model)
  const candidate = testMetrics(model, test, oosLabel)
  const active = await registry.active(task)
  const current = active ? testMetrics(loadTextClassifier(JSON.parse(active.artefact)), test, oosLabel) : null
  const promote = current === null || candidate.macro_f1 >= current.macro_f1 - 1e-9
  report({ phase: 'registering', progress: 0.95, message: 'registering the new version' })
  const registered = await registry.register(
    {
      task,
      source: 'retrain',
      labels: model.labels,
      metrics: { validation: training.validation, test: candidate, corrections: corrections.length },
      dataFingerprint: fingerprintExamples(examples),
      artefact: JSON.stringify(model.toJSON()),
      activate: promote,
    },
    actor,
  )
  return {
    task,
    version: registered.version,
    promoted: promote,
    test: candidate,
    active_test: current,
    corrections: corrections.length,
    report: evaluation,
  }
}
