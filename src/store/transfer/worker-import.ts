import { createReadStream } from 'node:fs'
import { extname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MessageChannel, type Worker } from 'node:worker_threads'
import { AppError, startWorker } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import type { Store } from '../database.js'
import type { ImportEntity } from './importer.js'
import type { ImportReport } from './report.js'
import { loadDefinitions, runImport, type ImportProgress } from './run-import.js'
import type { TransferFormat } from './source.js'
import { deserializeError, type ReaderData, type WriterData, type WriterMessage } from './worker-messages.js'

export interface FileImportRequest {
  readonly entity: ImportEntity
  readonly format: TransferFormat
  /** A file on disk: the CLI's argument, or the spool file of an HTTP upload. */
  readonly path: string
  readonly dryRun: boolean
  readonly actor: Actor
  readonly defaultRegion: string
  readonly chunkSize?: number
}

export interface RunningImport {
  readonly done: Promise<ImportReport>
  /** Stops the threads; `done` then rejects. */
  cancel(): Promise<void>
}

/** The URL a worker thread opens the same database with, or null for an in-memory SQLite database. */
function databaseUrlOf(store: Store): string | null {
  if (store.target.dialect === 'postgres') return store.target.connectionString
  return store.target.path === ':memory:' ? null : `sqlite:${resolve(store.target.path)}`
}

const extension = extname(fileURLToPath(import.meta.url))
const readerUrl = new URL(`./parse-worker${extension}`, import.meta.url)
const writerUrl = new URL(`./import-worker${extension}`, import.meta.url)

/**
 * Runs an import off the event loop, in two worker threads joined by a `MessageChannel`: a reader that parses
 * and checks the file, and a writer that opens its own connection to the store's database and commits chunk
 * by chunk. Parsing the next chunk overlaps with writing the last one. An in-memory SQLite database cannot be
 * shared with a thread, so that case runs on the calling thread instead.
 *
 * @example
 *   const { done } = importInWorker(store, { entity: 'customers', format: 'csv', path, dryRun: false, actor, defaultRegion: 'CN' })
 *   const report = await done
 */
export function importInWorker(
  store: Store,
  request: FileImportRequest,
  onProgress?: (progress: ImportProgress) => void,
): RunningImport {
  const databaseUrl = databaseUrlOf(store)
  if (databaseUrl === null) {
    return {
      done: runImport(store, { ...request, input: createReadStream(request.path), onProgress }),
      cancel: async () => {},
    }
  }
  const workers: Worker[] = []
  let cancelled = false
  const stopAll = () => Promise.all(workers.map((worker) => worker.terminate()))

  const done = (async () => {
    const definitions = await loadDefinitions(store, request.entity)
    if (cancelled) throw new AppError('CORE_INTERNAL', 'the import was cancelled')
    const channel = new MessageChannel()
    const writerData: WriterData = {
      databaseUrl,
      schema: store.schema,
      entity: request.entity,
      format: request.format,
      dryRun: request.dryRun,
      actor: request.actor,
      defaultRegion: request.defaultRegion,
      definitions,
      port: channel.port2,
    }
    const readerData: ReaderData = {
      path: request.path,
      entity: request.entity,
      format: request.format,
      defaultRegion: request.defaultRegion,
      definitions,
      chunkSize: request.chunkSize,
      port: channel.port1,
    }
    // Small young generations keep the two heaps (mostly short-lived garbage) from inflating the process; the
    // reader holds at most a few chunks (bounded in rows and bytes), so its heap is capped too.
    const writer = startWorker(writerUrl, {
      workerData: writerData,
      transferList: [channel.port2],
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
    })
    const reader = startWorker(readerUrl, {
      workerData: readerData,
      transferList: [channel.port1],
      resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 128 },
    })
    workers.push(writer, reader)
    return new Promise<ImportReport>((resolvePromise, reject) => {
      let settled = false
      const settle = (outcome: () => void) => {
        if (settled) return
        settled = true
        void stopAll().finally(outcome)
      }
      writer.on('message', (message: WriterMessage) => {
        if (message.type === 'progress') onProgress?.(message.progress)
        else if (message.type === 'done') settle(() => resolvePromise(message.report))
        else settle(() => reject(deserializeError(message.error)))
      })
      for (const [name, worker] of [
        ['writer', writer],
        ['reader', reader],
      ] as const) {
        worker.on('error', (error) =>
          settle(() =>
            reject(
              new AppError('CORE_INTERNAL', `the import ${name} thread failed: ${error.message}`, {
                cause: error,
              }),
            ),
          ),
        )
        worker.on('exit', (code) => {
          // The reader exits on its own once it sent everything; only a crash or the writer's exit ends the run.
          if (name === 'reader' && code === 0) return
          settle(() =>
            reject(
              new AppError(
                'CORE_INTERNAL',
                cancelled
                  ? 'the import was cancelled'
                  : `the import ${name} thread stopped (exit code ${code}) before it finished`,
              ),
            ),
          )
        })
      }
    })
  })()
  return {
    done,
    async cancel() {
      cancelled = true
      await stopAll()
    },
  }
}
