/** Shapes of the NLU model API (src/server/routes/nlu.ts, training.ts). */
export type NluTask = 'intent' | 'sentiment'
export const NLU_TASKS: readonly NluTask[] = ['intent', 'sentiment']

export interface ModelVersion {
  readonly id: string
  readonly task: NluTask
  readonly version: number
  readonly status: 'candidate' | 'active' | 'retired'
  readonly source: string
  readonly labels: string[]
  readonly metrics: Record<string, unknown>
  readonly artefactBytes: number
  readonly createdAt: string
  readonly promotedAt: string | null
}

export type TrainingJobStatus = 'queued' | 'running' | 'succeeded' | 'failed'

export interface TrainingJob {
  readonly id: string
  readonly task: NluTask
  readonly status: TrainingJobStatus
  readonly progress: number
  readonly phase: string
  readonly message: string
  readonly modelVersion: number | null
  readonly promoted: boolean | null
  readonly error: string | null
  readonly createdAt: string
  readonly startedAt: string | null
  readonly finishedAt: string | null
}

export interface LabelMetrics {
  readonly precision: number
  readonly recall: number
  readonly f1: number
  readonly support: number
}

export interface ReliabilityBin {
  readonly bin: number
  readonly lower: number
  readonly upper: number
  readonly confidence: number
  readonly accuracy: number
  readonly count: number
}

export interface EvaluationReport {
  readonly n: number
  readonly accuracy: number
  readonly macro_f1: number
  readonly weighted_f1: number
  readonly ece: number
  readonly per_label: Record<string, LabelMetrics>
  readonly confusion_matrix: { readonly labels: string[]; readonly matrix: number[][] }
  readonly reliability: ReliabilityBin[]
  readonly worst_errors: { text: string; label: string; predicted: string; confidence: number }[]
  readonly oos?: { in_scope_accuracy: number; oos_recall: number; oos_precision: number }
}

export interface ModelReport {
  readonly task: NluTask
  readonly version: number
  readonly status: string
  readonly dataset: string
  readonly createdAt: string
  readonly report: EvaluationReport
}

/** A metric of a version's frozen-test results (snake_case; camelCase as some databases hand JSON back). */
export function testMetric(model: ModelVersion, name: 'accuracy' | 'macro_f1' | 'ece'): number | null {
  const test = model.metrics.test as Record<string, unknown> | undefined
  if (!test) return null
  const camel = name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())
  const value = test[name] ?? test[camel]
  return typeof value === 'number' ? value : null
}
