import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { AppError, newId, type Clock } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import { importJobsTable } from '../crm/tables.js'
import type { Store } from '../database.js'
import { getRow, listRows, type ListQuery, type Page } from '../entity-table.js'
import { EXPORT_ENTITIES, EXPORTS, type ExportEntity } from './entities.js'
import { exportRows, unknownEntity } from './exporter.js'
import { IMPORT_ENTITIES, type ImportEntity } from './importer.js'
import type { ImportReport } from './report.js'
import type { ImportProgress } from './run-import.js'
import { formatFromPath, utf8Checked, type TransferFormat } from './source.js'
import { importInWorker, type RunningImport } from './worker-import.js'

/** An import run through the API, as `GET /api/v1/import/jobs/{id}` returns it. */
export interface ImportJob {
  id: string
  entity: ImportEntity
  format: TransferFormat
  status: 'running' | 'succeeded' | 'failed'
  dryRun: boolean
  rowsRead: number
  /** `{inserted, updated, rejected, rows}` once succeeded, else null. */
  report: ImportReport | null
  /** `{code, message, details}` once failed, else null. */
  error: { code: string; message: string; details: unknown } | null
  createdBy: string | null
  createdAt: string
  finishedAt: string | null
}

export interface TransferServiceOptions {
  readonly store: Store
  readonly clock: Clock
  readonly defaultRegion: string
  /** Largest upload an HTTP import accepts, in bytes (default 1 GiB). */
  readonly maxUploadBytes?: number
  /** Where uploads are spooled before the worker reads them (default: the OS temp folder). */
  readonly spoolDir?: string
  readonly chunkSize?: number
}

export const MAX_UPLOAD_BYTES = 1024 ** 3

/** Checks an entity name for `import`; a user error listing the valid ones otherwise. */
export function importEntity(name: string): ImportEntity {
  if ((IMPORT_ENTITIES as readonly string[]).includes(name)) return name as ImportEntity
  throw unknownEntity(name, IMPORT_ENTITIES, 'import')
}

/** Checks an entity name for `export`; a user error listing the valid ones otherwise. */
export function exportEntity(name: string): ExportEntity {
  if ((EXPORT_ENTITIES as readonly string[]).includes(name)) return name as ExportEntity
  throw unknownEntity(name, EXPORT_ENTITIES, 'export')
}

/**
 * Import and export for the CLI and the API. Imports run in a worker thread (worker-import.ts); the API's
 * become jobs in `import_jobs`, whose row this service keeps up to date (rows read, then report or error).
 */
export function createTransferService(options: TransferServiceOptions) {
  const { store, clock } = options
  const codec = store.codec
  const maxUploadBytes = options.maxUploadBytes ?? MAX_UPLOAD_BYTES
  const running = new Map<string, { run: RunningImport; finished: Promise<void> }>()

  /** Imports a file on disk in a worker and resolves to the report (the CLI's `import`). */
  async function importFile(request: {
    entity: ImportEntity
    path: string
    format?: TransferFormat
    dryRun: boolean
    actor: Actor
    onProgress?: (progress: ImportProgress, totalBytes: number) => void
  }): Promise<ImportReport> {
    const size = await fileSize(request.path)
    const format = request.format ?? formatFromPath(request.path)
    if (format === null) {
      throw new AppError(
        'CRM_IMPORT_INVALID_FILE',
        `cannot tell the format of "${basename(request.path)}" from its name; name it .csv, .jsonl or .ndjson, or give --format csv|jsonl`,
        { details: { path: request.path } },
      )
    }
    const run = importInWorker(
      store,
      {
        entity: request.entity,
        format,
        path: request.path,
        dryRun: request.dryRun,
        actor: request.actor,
        defaultRegion: options.defaultRegion,
        chunkSize: options.chunkSize,
      },
      (progress) => request.onProgress?.(progress, size),
    )
    return run.done
  }

  /**
   * Spools an upload to a temporary file (checking it is UTF-8 and under the size limit on the way, in constant
   * memory), records a `running` job and starts the import in a worker; resolves to the job once it started.
   */
  async function startImport(request: {
    entity: ImportEntity
    format: TransferFormat
    input: AsyncIterable<Buffer | string>
    dryRun: boolean
    actor: Actor
  }): Promise<ImportJob> {
    const now = clock.now()
    const id = newId('importJob', now.getTime())
    const folder = await mkdtemp(join(options.spoolDir ?? tmpdir(), 'agentcrm-import-'))
    const path = join(folder, `${id}.${request.format}`)
    try {
      await pipeline(
        Readable.from(limited(utf8Checked(request.input), maxUploadBytes)),
        createWriteStream(path),
      )
    } catch (error) {
      await rm(folder, { recursive: true, force: true })
      throw error
    }
    await store.db
      .insertInto('import_jobs')
      .values(
        codec.encode(importJobsTable.columns, {
          id,
          entity: request.entity,
          format: request.format,
          status: 'running',
          dryRun: request.dryRun,
          rowsRead: 0,
          report: null,
          error: null,
          createdBy: request.actor.id,
          createdAt: now,
          finishedAt: null,
        }),
      )
      .execute()
    let lastWrite = 0
    let progressWrite: Promise<unknown> = Promise.resolve()
    const run = importInWorker(
      store,
      {
        entity: request.entity,
        format: request.format,
        path,
        dryRun: request.dryRun,
        actor: request.actor,
        defaultRegion: options.defaultRegion,
        chunkSize: options.chunkSize,
      },
      (progress) => {
        if (Date.now() - lastWrite < 1000) return
        lastWrite = Date.now()
        progressWrite = progressWrite.then(() =>
          store.db
            .updateTable('import_jobs')
            .set(codec.encode(importJobsTable.columns, { rowsRead: progress.rows }))
            .where('id', '=', id)
            .where('status', '=', 'running')
            .execute()
            .catch(() => undefined),
        )
      },
    )
    const finish = async (values: Record<string, unknown>) => {
      await progressWrite
      await store.db
        .updateTable('import_jobs')
        .set(codec.encode(importJobsTable.columns, { ...values, finishedAt: clock.now() }))
        .where('id', '=', id)
        .execute()
    }
    const finished = run.done
      .then(
        (report) => finish({ status: 'succeeded', rowsRead: report.rows, report }),
        (error: unknown) => {
          const appError =
            error instanceof AppError
              ? error
              : new AppError('CORE_INTERNAL', 'the import failed', { cause: error })
          return finish({ status: 'failed', error: appError.toJSON().error })
        },
      )
      .catch(() => undefined)
      .finally(async () => {
        running.delete(id)
        await rm(folder, { recursive: true, force: true })
      })
    running.set(id, { run, finished })
    return getJob(id)
  }

  async function getJob(id: string): Promise<ImportJob> {
    return getRow<ImportJob>(store, importJobsTable, id)
  }

  async function listJobs(query: ListQuery): Promise<Page<ImportJob>> {
    return listRows<ImportJob>(store, importJobsTable, query)
  }

  /** Streams an entity as CSV or JSON lines (see exporter.ts). */
  function exportEntityRows(entity: ExportEntity, format: TransferFormat): AsyncGenerator<string> {
    return exportRows(store, EXPORTS[entity], format)
  }

  /** Stops running imports (their jobs are marked failed) and waits for their bookkeeping. */
  async function close(): Promise<void> {
    const jobs = [...running.values()]
    await Promise.all(jobs.map((job) => job.run.cancel()))
    await Promise.all(jobs.map((job) => job.finished))
  }

  return { importFile, startImport, getJob, listJobs, exportRows: exportEntityRows, close }
}

export type TransferService = ReturnType<typeof createTransferService>

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new Error('not a regular file')
    return info.size
  } catch (error) {
    throw new AppError(
      'CRM_IMPORT_INVALID_FILE',
      `cannot read "${path}": ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      { cause: error, details: { path } },
    )
  }
}

async function* limited(input: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Buffer> {
  let total = 0
  for await (const chunk of input) {
    total += chunk.length
    if (total > maxBytes) {
      throw new AppError(
        'CORE_BODY_TOO_LARGE',
        `the upload is larger than ${Math.round(maxBytes / 1024 ** 2)} MiB; split the file or import it with the CLI`,
        { details: { maxBytes } },
      )
    }
    yield chunk
  }
}
