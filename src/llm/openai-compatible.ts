import { z } from 'zod'
import { AppError, isAppError, systemClock, type Clock } from '../core/index.js'
import type { GenerateRequest, GenerateResult, LanguageModel, TokenUsage } from '../agent/drafting.js'
import { createCircuitBreaker, type CircuitState } from './circuit-breaker.js'

export interface OpenAiCompatibleOptions {
  /**
   * The API root that `/chat/completions` is appended to: `http://127.0.0.1:11434/v1` (Ollama),
   * `http://127.0.0.1:8000/v1` (vLLM, llama.cpp server), `https://api.deepseek.com/v1`,
   * `https://dashscope.aliyuncs.com/compatible-mode/v1` (Qwen), `https://api.openai.com/v1`.
   */
  readonly baseUrl: string
  readonly model: string
  /** Sent as `Authorization: Bearer …` when set; local servers need none. */
  readonly apiKey?: string | null
  /** Deadline for a whole `generate` call, retries and waits included. Default 15,000 ms. */
  readonly timeoutMs?: number
  /** Further attempts after a 429, a 5xx or a network error. Default 2 (three attempts in all). */
  readonly maxRetries?: number
  readonly fetch?: typeof fetch
  /** Drives the circuit breaker's cooldown. Default the system clock. */
  readonly clock?: Clock
  readonly breaker?: { readonly failureThreshold?: number; readonly cooldownMs?: number }
  /** Recorded as the model's provider. Default `openai-compatible`. */
  readonly provider?: string
  /** First backoff delay; doubled per retry, with jitter. Default 500 ms. */
  readonly retryBaseDelayMs?: number
  /** Longest wait before a retry. A longer `Retry-After` ends the call at once. Default 8,000 ms. */
  readonly maxRetryDelayMs?: number
  /** Jitter source in [0, 1). Default `Math.random`. */
  readonly random?: () => number
  /** Waits before a retry; rejects with the signal's reason when it aborts. Injected by tests. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

export interface OpenAiCompatibleModel extends LanguageModel {
  /** The circuit breaker's state, for health checks and explanations. */
  circuitState(): CircuitState
}

const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z
    .object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() })
    .nullish()
    .catch(null),
})

/** Why one attempt failed and whether another may follow. */
interface AttemptFailure {
  readonly error: AppError
  readonly retryable: boolean
  readonly retryAfterMs?: number
}

/**
 * A {@link LanguageModel} over an OpenAI-compatible `POST {baseUrl}/chat/completions` (Ollama, vLLM,
 * llama.cpp server, DeepSeek, Qwen, OpenAI), with plain `fetch` and a zod-checked response.
 *
 * - One deadline (`timeoutMs`) covers the whole call; reaching it aborts the request → `LLM_TIMEOUT`.
 * - 429, 5xx and network errors are retried up to `maxRetries` times, with exponential backoff and jitter,
 *   or after `Retry-After` / `retry-after-ms` when the server sends one (a wait longer than
 *   `maxRetryDelayMs`, or past the deadline, ends the call instead) → `LLM_RATE_LIMITED`, `LLM_UNAVAILABLE`.
 *   Other 4xx answers fail at once (`LLM_UNAVAILABLE`, with the status in `details`).
 * - A 2xx that is not a chat completion with text content → `LLM_BAD_RESPONSE`.
 * - A circuit breaker counts failed calls: after `failureThreshold` in a row it refuses calls with
 *   `LLM_CIRCUIT_OPEN` until `cooldownMs` has passed on the injected clock, then lets one trial through.
 * - An abort through the caller's signal rejects with the signal's reason and does not count as a failure.
 *
 * Nothing is logged, and no error carries the request body, the response body or the API key.
 *
 * @example
 *   const model = createOpenAiCompatibleModel({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:7b-instruct' })
 *   const { text } = await model.generate({ system: 'Be brief.', messages: [{ role: 'user', content: '你好' }] })
 */
export function createOpenAiCompatibleModel(options: OpenAiCompatibleOptions): OpenAiCompatibleModel {
  const endpoint = parseBaseUrl(options.baseUrl)
  const url = `${endpoint}/chat/completions`
  const model = options.model
  const timeoutMs = options.timeoutMs ?? 15_000
  const maxRetries = Math.max(0, options.maxRetries ?? 2)
  const fetchImpl = options.fetch ?? globalThis.fetch
  const clock = options.clock ?? systemClock
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 500
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 8_000
  const random = options.random ?? Math.random
  const sleep = options.sleep ?? abortableSleep
  const breaker = createCircuitBreaker({ ...options.breaker, clock })
  const who = `model "${model}" at ${endpoint}`

  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' }
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`

  /** One request and its answer; failures come back as values so the loop can decide on a retry. */
  async function attempt(
    body: string,
    signal: AbortSignal,
  ): Promise<{ result: Omit<GenerateResult, 'latencyMs'> } | { failure: AttemptFailure }> {
    let response: Response
    let text: string
    try {
      response = await fetchImpl(url, { method: 'POST', headers, body, signal })
    } catch (cause) {
      if (signal.aborted) throw signal.reason
      return { failure: unavailable(`${who} could not be reached; check that it is running`, cause, true) }
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined)
      return { failure: statusFailure(response) }
    }
    try {
      text = await response.text()
    } catch (cause) {
      if (signal.aborted) throw signal.reason
      return { failure: unavailable(`${who} closed the connection mid-answer`, cause, true) }
    }
    return parseCompletion(text)
  }

  function timeoutError(): AppError {
    const message = `${who} did not answer within ${timeoutMs} ms; raise the timeout or use a faster model`
    return new AppError('LLM_TIMEOUT', message, { details: { timeoutMs } })
  }

  function unavailable(message: string, cause: unknown, retryable: boolean): AttemptFailure {
    return { error: new AppError('LLM_UNAVAILABLE', message, { cause }), retryable }
  }

  function statusFailure(response: Response): AttemptFailure {
    const status = response.status
    const retryAfterMs = parseRetryAfter(response.headers, clock.now())
    const details = { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }
    if (status === 429) {
      const error = new AppError('LLM_RATE_LIMITED', `${who} is rate limiting requests (HTTP 429)`, {
        details,
      })
      return { error, retryable: true, retryAfterMs }
    }
    if (status >= 500) {
      const error = new AppError('LLM_UNAVAILABLE', `${who} failed with HTTP ${status}`, { details })
      return { error, retryable: true, retryAfterMs }
    }
    const hint =
      status === 401 || status === 403
        ? '; check AGENTCRM_LLM_API_KEY'
        : status === 404
          ? '; check AGENTCRM_LLM_BASE_URL (it should end before /chat/completions) and AGENTCRM_LLM_MODEL'
          : ''
    const error = new AppError('LLM_UNAVAILABLE', `${who} refused the request with HTTP ${status}${hint}`, {
      details,
    })
    return { error, retryable: false }
  }

  function parseCompletion(
    text: string,
  ): { result: Omit<GenerateResult, 'latencyMs'> } | { failure: AttemptFailure } {
    const bad = (message: string, details?: unknown): { failure: AttemptFailure } => ({
      failure: {
        error: new AppError('LLM_BAD_RESPONSE', `${who} ${message}`, { details }),
        retryable: false,
      },
    })
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return bad('answered with something that is not JSON')
    }
    const parsed = completionSchema.safeParse(json)
    if (!parsed.success) {
      // Paths and codes only: issue messages may quote values from the body.
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code }))
      return bad('answered with JSON that is not a chat completion', { issues })
    }
    const [choice] = parsed.data.choices
    const content = choice.message?.content
    if (typeof content !== 'string') {
      return bad(`answered without text content (finish_reason ${choice.finish_reason ?? 'none'})`)
    }
    const usage = toUsage(parsed.data.usage)
    return { result: usage === undefined ? { text: content } : { text: content, usage } }
  }

  function backoffMs(retry: number): number {
    const ceiling = Math.min(maxRetryDelayMs, retryBaseDelayMs * 2 ** retry)
    return Math.round(ceiling / 2 + (ceiling / 2) * random())
  }

  async function run(request: GenerateRequest, signal: AbortSignal, deadlineAt: number) {
    const body = JSON.stringify(requestBody(model, request))
    for (let retry = 0; ; retry += 1) {
      const outcome = await attempt(body, signal)
      if ('result' in outcome) return outcome.result
      const { error, retryable, retryAfterMs } = outcome.failure
      if (!retryable || retry >= maxRetries) throw error
      if (retryAfterMs !== undefined && retryAfterMs > maxRetryDelayMs) throw error
      const waitMs = retryAfterMs ?? backoffMs(retry)
      if (performance.now() + waitMs >= deadlineAt) throw error
      await sleep(waitMs, signal)
    }
  }

  return {
    provider: options.provider ?? 'openai-compatible',
    model,
    circuitState: () => breaker.state(),
    async generate(request, signal) {
      signal?.throwIfAborted()
      if (!breaker.tryAcquire()) {
        const retryInMs = breaker.retryInMs()
        throw new AppError(
          'LLM_CIRCUIT_OPEN',
          `${who} failed too often; not calling it for another ${retryInMs} ms`,
          { details: { retryInMs } },
        )
      }
      const started = performance.now()
      const deadline = new AbortController()
      const timer = setTimeout(() => deadline.abort(timeoutError()), timeoutMs)
      const combined = signal === undefined ? deadline.signal : AbortSignal.any([signal, deadline.signal])
      try {
        const result = await run(request, combined, started + timeoutMs)
        breaker.recordSuccess()
        return { ...result, latencyMs: Math.round(performance.now() - started) }
      } catch (error) {
        if (signal?.aborted && !deadline.signal.aborted) {
          breaker.release()
          throw signal.reason
        }
        breaker.recordFailure()
        if (deadline.signal.aborted) throw deadline.signal.reason
        throw isAppError(error) ? error : new AppError('LLM_UNAVAILABLE', `${who} failed`, { cause: error })
      } finally {
        clearTimeout(timer)
      }
    },
  }
}

/** The request in OpenAI's chat-completions shape; the system prompt goes first. */
function requestBody(model: string, request: GenerateRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model,
    messages: [
      { role: 'system', content: request.system },
      ...request.messages.map(({ role, content }) => ({ role, content })),
    ],
    stream: false,
  }
  if (request.temperature !== undefined) body.temperature = request.temperature
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens
  if (request.responseFormat === 'json') body.response_format = { type: 'json_object' }
  return body
}

function toUsage(usage: z.infer<typeof completionSchema>['usage']): TokenUsage | undefined {
  if (typeof usage?.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number')
    return undefined
  return { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens }
}

/** The base URL without a trailing slash, credentials, query or fragment: also what error messages show. */
function parseBaseUrl(baseUrl: string): string {
  let parsed: URL
  try {
    parsed = new URL(baseUrl)
  } catch (cause) {
    throw new AppError(
      'CORE_INVALID_CONFIG',
      `AGENTCRM_LLM_BASE_URL "${baseUrl}" is not a URL; use e.g. http://127.0.0.1:11434/v1`,
      { cause },
    )
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError(
      'CORE_INVALID_CONFIG',
      `AGENTCRM_LLM_BASE_URL uses "${parsed.protocol}"; use http: or https:, e.g. http://127.0.0.1:11434/v1`,
    )
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`
}

/**
 * Milliseconds the server asks us to wait: `retry-after-ms` (OpenAI), else `Retry-After` in seconds or as
 * an HTTP date.
 */
function parseRetryAfter(headers: Headers, now: Date): number | undefined {
  const milliseconds = headers.get('retry-after-ms')?.trim()
  if (milliseconds && /^\d+(\.\d+)?$/.test(milliseconds)) return Math.ceil(Number(milliseconds))
  const value = headers.get('retry-after')?.trim()
  if (!value) return undefined
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime())
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason)
      return
    }
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
