/**
 * Training in a worker thread, so a serving process keeps answering while a model trains (DESIGN.md:
 * long work runs in worker threads). The worker trains exactly as `trainTextClassifier` does; the
 * snapshot comes back and is loaded here, so the model is the same as one trained in-process.
 */
import { AppError, startWorker, type ErrorCode } from '../core/index.js'
import { loadTextClassifier } from './classifier/linear-classifier.js'
import type { TrainOptions, TrainResult, TrainingReport } from './classifier/train.js'
import type { TrainingExample } from './classifier/types.js'
import type { TrainWorkerInput, TrainWorkerOutput, TrainWorkerProgress } from './train-worker.js'

export interface TrainInWorkerOptions extends Omit<TrainOptions, 'now' | 'onEpoch'> {
  /** Called (in this thread) after each epoch in the worker; see `TrainOptions.onEpoch`. */
  readonly onEpoch?: TrainOptions['onEpoch']
  /** Aborting terminates the worker; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal
  /** Injected clock (milliseconds) for `report.seconds`, measured around the worker. */
  readonly now?: () => number
}

const workerUrl = new URL(`./train-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url)

/** Train a text classifier in a worker thread; resolves with the model (loaded here) and its report. */
export function trainInWorker(
  examples: readonly TrainingExample[],
  options: TrainInWorkerOptions,
): Promise<TrainResult> {
  const { signal, now, onEpoch, ...trainOptions } = options
  const started = now?.()
  return new Promise<TrainResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason ?? new Error('training aborted'))
      return
    }
    const input: TrainWorkerInput = { examples, options: trainOptions, reportProgress: onEpoch !== undefined }
    const worker = startWorker(workerUrl, { workerData: input })
    let settled = false
    const settle = (action: () => void): void => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      action()
    }
    const onAbort = (): void => {
      settle(() => reject(signal?.reason ?? new Error('training aborted')))
      void worker.terminate()
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    const onMessage = (message: TrainWorkerOutput | TrainWorkerProgress): void => {
      if ('progress' in message) {
        if (!settled) onEpoch?.(message.progress)
        return
      }
      worker.off('message', onMessage)
      const output = message
      settle(() => {
        if (!output.ok) {
          const { code, message, details } = output.error
          reject(
            code === undefined
              ? new AppError('CORE_INTERNAL', `training failed in its worker: ${message}`)
              : new AppError(code as ErrorCode, message, { details }),
          )
          return
        }
        try {
          const model = loadTextClassifier(output.snapshot)
          const report = output.report as TrainingReport
          const seconds = started !== undefined && now ? (now() - started) / 1000 : undefined
          resolve({ model, report: seconds === undefined ? report : { ...report, seconds } })
        } catch (error) {
          reject(error)
        }
      })
      void worker.terminate()
    }
    worker.on('message', onMessage)
    worker.once('error', (error) =>
      settle(() =>
        reject(
          new AppError('CORE_INTERNAL', `the training worker crashed: ${error.message}`, { cause: error }),
        ),
      ),
    )
    worker.once('exit', (code) =>
      settle(() =>
        reject(new AppError('CORE_INTERNAL', `the training worker exited (code ${code}) without a result`)),
      ),
    )
  })
}
