/**
 * The writer thread of an import: opens its own store from the database URL (and Postgres schema) it is
 * given, writes each chunk the reader thread sends (one transaction and audit entry each), acknowledges it,
 * and posts progress and then the report — or the error that stopped the import — to its parent.
 * Started by `importInWorker`; never imported by other modules.
 */
import { on } from 'node:events'
import { parentPort, workerData } from 'node:worker_threads'
import { openStore } from '../database.js'
import { createChunkWriter } from './run-import.js'
import {
  deserializeError,
  serializeError,
  type AckMessage,
  type ChunkMessage,
  type WriterData,
  type WriterMessage,
} from './worker-messages.js'

const data = workerData as WriterData
const { port } = data
const post = (message: WriterMessage) => parentPort?.postMessage(message)

try {
  const store = await openStore({ url: data.databaseUrl, schema: data.schema ?? undefined, poolSize: 2 })
  try {
    const writer = createChunkWriter(store, {
      entity: data.entity,
      format: data.format,
      dryRun: data.dryRun,
      actor: data.actor,
      defaultRegion: data.defaultRegion,
      definitions: data.definitions,
      onProgress: (progress) => post({ type: 'progress', progress }),
    })
    try {
      for await (const [message] of on(port, 'message') as AsyncIterable<[ChunkMessage]>) {
        if (message.type === 'failed') throw deserializeError(message.error)
        if (message.type === 'end') break
        await writer.write(message.chunk)
        port.postMessage({ type: 'ack' } satisfies AckMessage)
      }
    } catch (error) {
      throw writer.failure(error)
    }
    post({ type: 'done', report: writer.finish() })
  } finally {
    await store.close()
  }
} catch (error) {
  post({ type: 'failed', error: serializeError(error) })
} finally {
  port.close()
}
