import { AppError, systemClock, type Clock } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import type { AttributeDefinition, AttributeEntity } from '../../crm/attributes.js'
import { attributeDefinitionsTable } from '../crm/tables.js'
import { translateConstraintError } from '../entity-table.js'
import type { Store } from '../database.js'
import { IMPORTS } from './entities.js'
import { checkHeader, type ChunkResult, type ImportEntity, type ParsedRow } from './importer.js'
import { createReportBuilder, type ImportReport, type RejectedRow } from './report.js'
import { isConstraintError } from './sql.js'
import { readRecords, type ByteCounter, type TransferFormat } from './source.js'

export interface ImportProgress {
  /** Records read so far (rows, including rejected ones). */
  readonly rows: number
  /** Bytes of the input read so far. */
  readonly bytes: number
  readonly inserted: number
  readonly updated: number
  readonly rejected: number
}

export interface ImportOptions {
  readonly entity: ImportEntity
  readonly format: TransferFormat
  /** The raw bytes (a file or request stream); read once, in constant memory. */
  readonly input: AsyncIterable<Buffer | string>
  readonly dryRun: boolean
  readonly actor: Actor
  readonly defaultRegion: string
  /** Rows per transaction (default 2,000). */
  readonly chunkSize?: number
  readonly clock?: Clock
  readonly onProgress?: (progress: ImportProgress) => void
}

/** A chunk of parsed rows and the rejections met while reading them: plain data, so it can cross threads. */
export interface ReadChunk {
  readonly rows: ParsedRow<unknown>[]
  readonly rejected: RejectedRow[]
  /** Records read for this chunk (valid and rejected). */
  readonly records: number
  /** Bytes of the input read so far. */
  readonly bytes: number
}

export interface ReadOptions {
  readonly entity: ImportEntity
  readonly format: TransferFormat
  readonly input: AsyncIterable<Buffer | string>
  readonly defaultRegion: string
  readonly definitions: ReadonlyMap<string, AttributeDefinition>
  readonly chunkSize?: number
}

export const DEFAULT_CHUNK_SIZE = 2000
/** A chunk is also cut after this many bytes of input, so a file of huge rows keeps chunks small. */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024

/**
 * Reads and checks the input, needing no database: yields chunks of valid rows with the rows rejected on the
 * way. A file-level problem (not UTF-8, a bad CSV header) throws CRM_IMPORT_INVALID_FILE — before any chunk
 * when it is in the header.
 */
export async function* readChunks(options: ReadOptions): AsyncGenerator<ReadChunk> {
  const entity = IMPORTS[options.entity]
  const parse = entity.parser({
    csv: options.format === 'csv',
    defaultRegion: options.defaultRegion,
    definitions: options.definitions,
  })
  const chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK_SIZE)
  const counter: ByteCounter = { bytes: 0 }
  let rows: ParsedRow<unknown>[] = []
  let rejected: RejectedRow[] = []
  let records = 0
  let chunkStart = 0
  const take = (): ReadChunk => {
    const chunk = { rows, rejected, records, bytes: counter.bytes }
    rows = []
    rejected = []
    records = 0
    chunkStart = counter.bytes
    return chunk
  }
  const source = readRecords(
    options.input,
    options.format,
    (keys, written) => checkHeader(entity.columns, options.definitions, keys, written),
    counter,
  )
  for await (const record of source) {
    records++
    if (record.error !== undefined) rejected.push({ line: record.line, errors: [record.error] })
    else {
      const parsed = parse(record.fields)
      if (parsed.errors) rejected.push({ line: record.line, errors: parsed.errors })
      else rows.push({ line: record.line, value: parsed.value })
    }
    if (rows.length >= chunkSize || counter.bytes - chunkStart > MAX_CHUNK_BYTES) yield take()
  }
  if (records > 0) yield take()
}

export interface WriterOptions {
  readonly entity: ImportEntity
  readonly format: TransferFormat
  readonly dryRun: boolean
  readonly actor: Actor
  readonly defaultRegion: string
  readonly definitions: ReadonlyMap<string, AttributeDefinition>
  readonly clock?: Clock
  readonly onProgress?: (progress: ImportProgress) => void
}

/**
 * Writes the chunks `readChunks` produced, one transaction and one audit entry each, and builds the report.
 * Rows that fail are listed by line and leave nothing behind; the others of their chunk still commit.
 */
export function createChunkWriter(store: Store, options: WriterOptions) {
  const clock = options.clock ?? systemClock
  const importChunk = IMPORTS[options.entity].writer({
    store,
    actor: options.actor,
    now: () => clock.now(),
    dryRun: options.dryRun,
    csv: options.format === 'csv',
    defaultRegion: options.defaultRegion,
    definitions: options.definitions,
  })
  const builder = createReportBuilder()
  const report = builder.report
  return {
    async write(chunk: ReadChunk): Promise<void> {
      report.rows += chunk.records
      for (const row of chunk.rejected) builder.reject(row.line, row.errors)
      if (chunk.rows.length > 0) {
        const result = await importChunkSafely(importChunk, chunk.rows)
        report.inserted += result.inserted
        report.updated += result.updated
        for (const row of result.rejected) builder.reject(row.line, row.errors)
      }
      options.onProgress?.({
        rows: report.rows,
        bytes: chunk.bytes,
        inserted: report.inserted,
        updated: report.updated,
        rejected: builder.rejectedTotal,
      })
    },
    /** A file-level error, carrying what was already committed so a user knows where the import stopped. */
    failure(error: unknown): unknown {
      if (!(error instanceof AppError) || error.code === 'CORE_INTERNAL') return error
      const details = (error.details ?? {}) as Record<string, unknown>
      return new AppError(error.code, error.message, {
        cause: error.cause ?? error,
        details: { ...details, rows: report.rows, inserted: report.inserted, updated: report.updated },
      })
    },
    finish(): ImportReport {
      return builder.finish()
    },
  }
}

/**
 * Imports one input into the store on the calling thread: reads, checks and writes chunk by chunk.
 * `importInWorker` runs the same two halves off the event loop, each in a thread of its own.
 */
export async function runImport(store: Store, options: ImportOptions): Promise<ImportReport> {
  const definitions = await loadDefinitions(store, options.entity)
  const writer = createChunkWriter(store, { ...options, definitions })
  try {
    for await (const chunk of readChunks({ ...options, definitions })) await writer.write(chunk)
  } catch (error) {
    throw writer.failure(error)
  }
  return writer.finish()
}

/**
 * Commits a chunk; when the database refuses it for a constraint (a concurrent write took a key or an address
 * between the lookup and the commit), retries row by row so only the offending rows are rejected.
 */
async function importChunkSafely(
  importChunk: (rows: readonly ParsedRow<unknown>[]) => Promise<ChunkResult>,
  rows: readonly ParsedRow<unknown>[],
): Promise<ChunkResult> {
  try {
    return await importChunk(rows)
  } catch (error) {
    if (!isConstraintError(error)) throw error
    if (rows.length === 1) {
      try {
        translateConstraintError(error, 'row')
      } catch (translated) {
        return {
          inserted: 0,
          updated: 0,
          rejected: [{ line: rows[0].line, errors: [(translated as Error).message] }],
        }
      }
    }
    const total: ChunkResult = { inserted: 0, updated: 0, rejected: [] }
    for (const row of rows) {
      const result = await importChunkSafely(importChunk, [row])
      total.inserted += result.inserted
      total.updated += result.updated
      total.rejected.push(...result.rejected)
    }
    return total
  }
}

/** The attribute definitions an entity's rows are checked against, by key. */
export async function loadDefinitions(
  store: Store,
  entity: ImportEntity,
): Promise<Map<string, AttributeDefinition>> {
  const attributeEntity: AttributeEntity | null = IMPORTS[entity].attributes
  if (attributeEntity === null) return new Map()
  const rows = await store.db
    .selectFrom('attribute_definitions')
    .selectAll()
    .where('entity', '=', attributeEntity)
    .execute()
  return new Map(
    rows.map((row) => {
      const definition = store.codec.decode<AttributeDefinition>(attributeDefinitionsTable.columns, row)
      return [definition.key, definition]
    }),
  )
}
