import { request as httpRequest, type IncomingMessage } from 'node:http'

/** One Server-Sent Event as a client parses it. */
export interface ReceivedEvent {
  readonly event: string
  readonly id: string | null
  readonly data: string
}

/** An open SSE connection over real HTTP: its status, headers, the events and comments received so far. */
export interface SseClient {
  readonly status: number
  readonly headers: IncomingMessage['headers']
  readonly events: ReceivedEvent[]
  readonly comments: string[]
  /** Resolves with the first event (already received or coming) that matches. */
  next(match: (event: ReceivedEvent) => boolean, ms?: number): Promise<ReceivedEvent>
  /** Resolves once the server ended the stream. */
  readonly ended: Promise<void>
  close(): void
}

/**
 * Opens `url` as an event stream (Accept: text/event-stream) and parses what arrives. A non-200 answer
 * resolves too, with its status and the body as one event named `error`.
 */
export function openEventStream(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const events: ReceivedEvent[] = []
      const comments: string[] = []
      const waiters: { match: (e: ReceivedEvent) => boolean; resolve: (e: ReceivedEvent) => void }[] = []
      let buffer = ''
      let endResolve: () => void = () => {}
      const ended = new Promise<void>((done) => (endResolve = done))
      const push = (event: ReceivedEvent) => {
        events.push(event)
        for (const waiter of [...waiters]) {
          if (waiter.match(event)) {
            waiters.splice(waiters.indexOf(waiter), 1)
            waiter.resolve(event)
          }
        }
      }
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        buffer += chunk
        let end: number
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          let event = 'message'
          let id: string | null = null
          const data: string[] = []
          let isEvent = false
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim())
            else if (line.startsWith('event:')) {
              event = line.slice(6).trim()
              isEvent = true
            } else if (line.startsWith('id:')) id = line.slice(3).trim()
            else if (line.startsWith('data:')) {
              isEvent = true
              data.push(line.slice(5).trim())
            }
          }
          if (isEvent) push({ event, id, data: data.join('\n') })
        }
      })
      response.on('end', () => {
        if (response.statusCode !== 200 && buffer) push({ event: 'error', id: null, data: buffer })
        endResolve()
      })
      response.on('error', () => endResolve())
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        events,
        comments,
        ended,
        next(match, ms = 20_000) {
          const found = events.find(match)
          if (found) return Promise.resolve(found)
          return new Promise((done, fail) => {
            const timer = setTimeout(() => fail(new Error('timed out waiting for an event')), ms)
            waiters.push({
              match,
              resolve: (event) => {
                clearTimeout(timer)
                done(event)
              },
            })
          })
        },
        close() {
          request.destroy()
          response.destroy()
        },
      })
    })
    request.on('error', reject)
    request.end()
  })
}
