import type { MessagePort } from 'node:worker_threads'
import { AppError, ERROR_CODES, isAppError, type ErrorCode } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import type { AttributeDefinition } from '../../crm/attributes.js'
import type { ImportEntity } from './importer.js'
import type { ImportReport } from './report.js'
import type { ImportProgress, ReadChunk } from './run-import.js'
import type { TransferFormat } from './source.js'

/**
 * What the two threads of an import and their parent say to each other. The reader thread parses the file
 * and sends chunks over a `MessagePort` to the writer thread, which acknowledges each one; at most
 * `CHUNKS_IN_FLIGHT` are unacknowledged, so memory stays bounded whichever side is faster.
 */
export const CHUNKS_IN_FLIGHT = 2

export interface SerializedError {
  readonly code: string
  readonly message: string
  readonly details: unknown
}

export function serializeError(error: unknown): SerializedError {
  return isAppError(error)
    ? { code: error.code, message: error.message, details: error.details ?? null }
    : { code: 'CORE_INTERNAL', message: (error as Error)?.message ?? String(error), details: null }
}

export function deserializeError(error: SerializedError): AppError {
  const code = (error.code in ERROR_CODES ? error.code : 'CORE_INTERNAL') as ErrorCode
  return new AppError(code, error.message, { details: error.details })
}

/** Reader → writer, over the port. */
export type ChunkMessage =
  | { readonly type: 'chunk'; readonly chunk: ReadChunk }
  | { readonly type: 'end' }
  | { readonly type: 'failed'; readonly error: SerializedError }

/** Writer → reader, over the port: one chunk done, send another. */
export type AckMessage = { readonly type: 'ack' }

/** Writer → parent. */
export type WriterMessage =
  | { readonly type: 'progress'; readonly progress: ImportProgress }
  | { readonly type: 'done'; readonly report: ImportReport }
  | { readonly type: 'failed'; readonly error: SerializedError }

export interface ReaderData {
  readonly path: string
  readonly entity: ImportEntity
  readonly format: TransferFormat
  readonly defaultRegion: string
  readonly definitions: ReadonlyMap<string, AttributeDefinition>
  readonly chunkSize?: number
  readonly port: MessagePort
}

export interface WriterData {
  readonly databaseUrl: string
  readonly schema: string | null
  readonly entity: ImportEntity
  readonly format: TransferFormat
  readonly dryRun: boolean
  readonly actor: Actor
  readonly defaultRegion: string
  readonly definitions: ReadonlyMap<string, AttributeDefinition>
  readonly port: MessagePort
}
