/**
 * The reader thread of an import: reads the file, checks every record and sends chunks of valid rows (with
 * the rejections met on the way) to the writer thread, never more than `CHUNKS_IN_FLIGHT` ahead of it.
 * Needs no database. Started by `importInWorker`; never imported by other modules.
 */
import { createReadStream } from 'node:fs'
import { workerData } from 'node:worker_threads'
import { readChunks } from './run-import.js'
import {
  CHUNKS_IN_FLIGHT,
  serializeError,
  type AckMessage,
  type ChunkMessage,
  type ReaderData,
} from './worker-messages.js'

const data = workerData as ReaderData
const { port } = data
const send = (message: ChunkMessage) => port.postMessage(message)
let credits = CHUNKS_IN_FLIGHT
let wake: (() => void) | null = null
port.on('message', (message: AckMessage) => {
  if (message.type !== 'ack') return
  credits++
  wake?.()
  wake = null
})

try {
  const chunks = readChunks({
    entity: data.entity,
    format: data.format,
    input: createReadStream(data.path, { highWaterMark: 256 * 1024 }),
    defaultRegion: data.defaultRegion,
    definitions: data.definitions,
    chunkSize: data.chunkSize,
  })
  for await (const chunk of chunks) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve))
    credits--
    send({ type: 'chunk', chunk })
  }
  send({ type: 'end' })
} catch (error) {
  send({ type: 'failed', error: serializeError(error) })
} finally {
  port.close()
}
