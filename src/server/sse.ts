import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../core/index.js'

/** Comment lines keep proxies and browsers from closing an idle stream. */
export const HEARTBEAT_MS = 15_000

/** One open Server-Sent Events response. */
export interface SseStream {
  /** Writes one event; `id` becomes the client's `Last-Event-ID` on reconnect. */
  send(event: string, data: unknown, id?: number | string): void
  /** Writes a comment line (`: text`), which clients ignore. */
  comment(text: string): void
  /** Runs `cleanup` once, when the client disconnects or the server closes. */
  onClose(cleanup: () => void): void
  close(): void
  readonly closed: boolean
}

const open = new WeakMap<FastifyInstance, Set<SseStream>>()

/**
 * Ends every open stream when the server closes, so `server.close()` (tests, `serve` on SIGTERM) does not
 * wait for clients that never hang up. Call once per server, before routes that open streams.
 */
export function registerSse(server: FastifyInstance): void {
  if (open.has(server)) return
  const streams = new Set<SseStream>()
  open.set(server, streams)
  server.addHook('preClose', async () => {
    for (const stream of [...streams]) stream.close()
  })
}

/** The `Last-Event-ID` header (or `?lastEventId=`), as a sequence number; null when absent. */
export function lastEventId(request: FastifyRequest, fromQuery?: string): number | null {
  const header = request.headers['last-event-id']
  const raw = (Array.isArray(header) ? header[0] : header) ?? fromQuery
  if (raw === undefined || raw === '') return null
  if (!/^\d{1,15}$/.test(raw)) {
    throw new AppError(
      'CORE_VALIDATION_FAILED',
      `Last-Event-ID "${raw.slice(0, 40)}" is not an event id; send the id of the last event received, or none`,
      { details: { field: 'Last-Event-ID' } },
    )
  }
  return Number(raw)
}

/** Refuses a request that does not accept `text/event-stream` (a plain fetch would wait forever). */
export function requireEventStream(request: FastifyRequest): void {
  const accept = request.headers.accept ?? ''
  if (!accept.includes('text/event-stream')) {
    throw new AppError(
      'CORE_NOT_ACCEPTABLE',
      'this is a Server-Sent Events stream: send Accept: text/event-stream (EventSource does)',
      { details: { accept } },
    )
  }
}

/**
 * Takes over the response and opens an event stream: headers, a first comment, heartbeats every
 * `heartbeatMs`. `headers` adds more (CORS for the widget).
 */
export function openSse(
  server: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  options: { headers?: Record<string, string>; heartbeatMs?: number } = {},
): SseStream {
  const streams = open.get(server)
  if (streams === undefined) throw new Error('registerSse(server) was not called')
  reply.hijack()
  const raw = reply.raw
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...options.headers,
  })
  const cleanups: (() => void)[] = []
  let closed = false
  const heartbeat = setInterval(() => stream.comment('heartbeat'), options.heartbeatMs ?? HEARTBEAT_MS)
  const finish = () => {
    if (closed) return
    closed = true
    clearInterval(heartbeat)
    streams.delete(stream)
    for (const cleanup of cleanups.splice(0)) {
      try {
        cleanup()
      } catch (error) {
        request.log.error(error)
      }
    }
  }
  const stream: SseStream = {
    send(event, data, id) {
      if (closed) return
      const lines = [`event: ${event}`]
      if (id !== undefined) lines.push(`id: ${id}`)
      lines.push(`data: ${JSON.stringify(data)}`)
      raw.write(`${lines.join('\n')}\n\n`)
    },
    comment(text) {
      if (!closed) raw.write(`: ${text.replace(/\n/g, ' ')}\n\n`)
    },
    onClose(cleanup) {
      if (closed) cleanup()
      else cleanups.push(cleanup)
    },
    close() {
      if (closed) return
      finish()
      raw.end()
    },
    get closed() {
      return closed
    },
  }
  streams.add(stream)
  raw.on('close', finish)
  raw.on('error', finish)
  // reconnect after 2 s when the connection drops; the first comment flushes the headers
  raw.write('retry: 2000\n: connected\n\n')
  return stream
}
