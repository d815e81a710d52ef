import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A fake OpenAI-compatible server on loopback, for tests that go through real HTTP. Each request to
 * `POST /v1/chat/completions` takes the next queued reply (or the default one) and is recorded with its
 * raw body, so tests can assert on exactly what left the process.
 */

/** What the fake does with one request. */
export type FakeReply =
  | { readonly status?: number; readonly headers?: Record<string, string>; readonly body?: string | object }
  /** Never answers (until the client gives up or the server closes). */
  | 'hang'
  /** Drops the connection without an answer. */
  | 'reset'
  | ((request: ReceivedRequest) => FakeReply)

export interface ReceivedRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  /** The body exactly as received. */
  readonly body: string
}

export interface FakeOpenAiServer {
  /** `http://127.0.0.1:<port>/v1`. */
  readonly baseUrl: string
  readonly requests: readonly ReceivedRequest[]
  /** Queues replies for the next requests, in order. */
  enqueue(...replies: FakeReply[]): void
  /** The reply once the queue is empty (default: HTTP 500). */
  setDefault(reply: FakeReply): void
  close(): Promise<void>
}

/** A chat-completion body whose first choice says `content`. */
export function completionBody(
  content: string,
  usage = { prompt_tokens: 120, completion_tokens: 30 },
): object {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_764_000_000,
    model: 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  }
}

/**
 * Starts the fake on 127.0.0.1 with a free port.
 *
 * @example
 *   const server = await startFakeOpenAiServer()
 *   server.enqueue({ status: 429, headers: { 'retry-after': '1' } }, { body: completionBody('hi') })
 */
export async function startFakeOpenAiServer(): Promise<FakeOpenAiServer> {
  const requests: ReceivedRequest[] = []
  const queue: FakeReply[] = []
  let fallback: FakeReply = { status: 500, body: { error: { message: 'no reply queued' } } }

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const request: ReceivedRequest = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(request)
      if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
        outgoing
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"error":{"message":"not found"}}')
        return
      }
      let reply = queue.shift() ?? fallback
      while (typeof reply === 'function') reply = reply(request)
      if (reply === 'hang') return
      if (reply === 'reset') {
        incoming.socket.destroy()
        return
      }
      const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {})
      outgoing
        .writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers })
        .end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    setDefault: (reply) => void (fallback = reply),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
