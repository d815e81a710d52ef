/**
 * Worker-thread entry of `trainInWorker` (see train-in-worker.ts): trains with the examples and options
 * of `workerData` and posts back the model snapshot and the report, or the error. Not imported by
 * anything else.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { isAppError } from '../core/index.js'
import { trainTextClassifier, type TrainOptions } from './classifier/train.js'
import type { TrainingExample } from './classifier/types.js'

export interface TrainWorkerInput {
  readonly examples: readonly TrainingExample[]
  readonly options: Omit<TrainOptions, 'now' | 'onEpoch'>
  /** Post a `{ progress }` message after each epoch. */
  readonly reportProgress?: boolean
}

/** Sent after each epoch when `reportProgress` is set, before the final output. */
export interface TrainWorkerProgress {
  readonly progress: { readonly stage: 'fit' | 'refit'; readonly epoch: number; readonly epochs: number }
}

export type TrainWorkerOutput =
  | { readonly ok: true; readonly snapshot: unknown; readonly report: unknown }
  | {
      readonly ok: false
      readonly error: { readonly code?: string; readonly message: string; readonly details?: unknown }
    }

function run(input: TrainWorkerInput): TrainWorkerOutput {
  try {
    const onEpoch = input.reportProgress
      ? (progress: TrainWorkerProgress['progress']) => parentPort?.postMessage({ progress })
      : undefined
    const { model, report } = trainTextClassifier(input.examples, { ...input.options, onEpoch })
    return { ok: true, snapshot: model.toJSON(), report }
  } catch (error) {
    if (isAppError(error))
      return { ok: false, error: { code: error.code, message: error.message, details: error.details } }
    return { ok: false, error: { message: error instanceof Error ? error.message : String(error) } }
  }
}

parentPort?.postMessage(run(workerData as TrainWorkerInput))
