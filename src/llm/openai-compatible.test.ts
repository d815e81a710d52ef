import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError, fixedClock } from '../core/index.js'
import type { GenerateRequest } from '../agent/drafting.js'
import { createOpenAiCompatibleModel, type OpenAiCompatibleOptions } from './openai-compatible.js'
import { completionBody, startFakeOpenAiServer, type FakeOpenAiServer } from './testing/fake-openai-server.js'

const REQUEST: GenerateRequest = {
  system: 'Answer from the passages. SECRET-SYSTEM-TEXT',
  messages: [{ role: 'user', content: '我的订单到哪了？SECRET-USER-TEXT' }],
  temperature: 0.2,
  maxTokens: 300,
  responseFormat: 'json',
}

let server: FakeOpenAiServer
let waits: number[]

beforeEach(async () => {
  server = await startFakeOpenAiServer()
  waits = []
})
afterEach(async () => {
  await server.close()
})

function model(options: Partial<OpenAiCompatibleOptions> = {}) {
  return createOpenAiCompatibleModel({
    baseUrl: server.baseUrl,
    model: 'qwen2.5:7b-instruct',
    apiKey: 'sk-test-key',
    random: () => 0.5,
    // Waits are recorded, not slept, so backoff shows up as numbers and tests stay fast.
    sleep: async (ms) => void waits.push(ms),
    ...options,
  })
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  )
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`)
  return error
}

describe('createOpenAiCompatibleModel', () => {
  it('posts a chat completion and returns the text, token usage and latency', async () => {
    server.enqueue({ body: completionBody('{"reply":"在路上","citations":[1]}') })
    const result = await model().generate(REQUEST)

    expect(result.text).toBe('{"reply":"在路上","citations":[1]}')
    expect(result.usage).toEqual({ inputTokens: 120, outputTokens: 30 })
    expect(result.latencyMs).toBeGreaterThanOrEqual(0)
    expect(server.requests).toHaveLength(1)
    const [request] = server.requests
    expect(request.url).toBe('/v1/chat/completions')
    expect(request.headers.authorization).toBe('Bearer sk-test-key')
    expect(JSON.parse(request.body)).toEqual({
      model: 'qwen2.5:7b-instruct',
      messages: [
        { role: 'system', content: REQUEST.system },
        { role: 'user', content: REQUEST.messages[0].content },
      ],
      stream: false,
      temperature: 0.2,
      max_tokens: 300,
      response_format: { type: 'json_object' },
    })
  })

  it('sends no Authorization header without an API key and tolerates a trailing slash', async () => {
    server.enqueue({ body: completionBody('hello') })
    const result = await model({ apiKey: null, baseUrl: `${server.baseUrl}/` }).generate({
      system: 's',
      messages: [{ role: 'user', content: 'hi' }],
    })
    expect(result.text).toBe('hello')
    expect(result.usage).toEqual({ inputTokens: 120, outputTokens: 30 })
    expect(server.requests[0].headers.authorization).toBeUndefined()
    expect(JSON.parse(server.requests[0].body)).not.toHaveProperty('response_format')
  })

  it('fails with LLM_BAD_RESPONSE on a body that is not JSON, or not a chat completion, without retrying', async () => {
    server.enqueue(
      { body: '{"choices": [ oops' },
      { body: { choices: [] } },
      { body: { choices: [{ message: { content: null }, finish_reason: 'length' }] } },
    )
    const llm = model()
    expect((await failure(llm.generate(REQUEST))).code).toBe('LLM_BAD_RESPONSE')
    const notCompletion = await failure(llm.generate(REQUEST))
    expect(notCompletion.code).toBe('LLM_BAD_RESPONSE')
    expect(notCompletion.details).toEqual({ issues: [{ path: 'choices', code: 'too_small' }] })
    const noContent = await failure(llm.generate(REQUEST))
    expect(noContent.message).toContain('finish_reason length')
    expect(server.requests).toHaveLength(3)
    expect(waits).toEqual([])
  })

  it('times out with LLM_TIMEOUT when the server never answers', async () => {
    server.setDefault('hang')
    const started = performance.now()
    const error = await failure(model({ timeoutMs: 150, sleep: undefined }).generate(REQUEST))
    expect(error.code).toBe('LLM_TIMEOUT')
    expect(error.kind).toBe('operational')
    expect(error.details).toEqual({ timeoutMs: 150 })
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(server.requests).toHaveLength(1)
  })

  it('retries a 429 after the Retry-After the server asked for, then succeeds', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '1' } }, { body: completionBody('ok') })
    const result = await model().generate(REQUEST)
    expect(result.text).toBe('ok')
    expect(waits).toEqual([1_000])
    expect(server.requests).toHaveLength(2)
    expect(server.requests[1].body).toBe(server.requests[0].body)
  })

  it('honours retry-after-ms and HTTP-date Retry-After headers', async () => {
    const clock = fixedClock('2026-11-25T04:00:00.000Z')
    server.enqueue(
      { status: 503, headers: { 'retry-after-ms': '250' } },
      { status: 429, headers: { 'retry-after': 'Wed, 25 Nov 2026 04:00:03 GMT' } },
      { body: completionBody('ok') },
    )
    await model({ clock }).generate(REQUEST)
    expect(waits).toEqual([250, 3_000])
  })

  it('gives up at once when Retry-After is longer than the cap', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '120' } }, { body: completionBody('never') })
    const error = await failure(model({ maxRetryDelayMs: 5_000 }).generate(REQUEST))
    expect(error.code).toBe('LLM_RATE_LIMITED')
    expect(error.details).toEqual({ status: 429, retryAfterMs: 120_000 })
    expect(waits).toEqual([])
    expect(server.requests).toHaveLength(1)
  })

  it('retries persistent 500s with exponential backoff and jitter, then fails with LLM_UNAVAILABLE', async () => {
    server.setDefault({ status: 500, body: { error: { message: 'overloaded' } } })
    const jitter = [0, 0.999, 0.5, 0.5]
    const error = await failure(
      model({ maxRetries: 3, retryBaseDelayMs: 100, random: () => jitter.shift() ?? 0 }).generate(REQUEST),
    )
    expect(error.code).toBe('LLM_UNAVAILABLE')
    expect(error.details).toEqual({ status: 500 })
    expect(server.requests).toHaveLength(4)
    // Ceilings 100, 200, 400; each wait lies in [ceiling / 2, ceiling].
    expect(waits).toEqual([50, 200, 300])
  })

  it('retries network errors', async () => {
    server.enqueue('reset', { body: completionBody('back again') })
    const result = await model().generate(REQUEST)
    expect(result.text).toBe('back again')
    expect(waits).toHaveLength(1)
  })

  it('does not retry other 4xx answers and says what to check', async () => {
    server.enqueue({ status: 401, body: { error: { message: 'bad key' } } })
    const error = await failure(model().generate(REQUEST))
    expect(error.code).toBe('LLM_UNAVAILABLE')
    expect(error.message).toContain('AGENTCRM_LLM_API_KEY')
    expect(server.requests).toHaveLength(1)
  })

  it('stops retrying when the next wait would pass the deadline', async () => {
    server.setDefault({ status: 503, headers: { 'retry-after': '2' } })
    const error = await failure(model({ timeoutMs: 1_000 }).generate(REQUEST))
    expect(error.code).toBe('LLM_UNAVAILABLE')
    expect(server.requests).toHaveLength(1)
  })

  it('opens the circuit after consecutive failures and lets one trial through after the cooldown', async () => {
    const clock = fixedClock('2026-11-25T04:00:00.000Z')
    const llm = model({ clock, maxRetries: 0, breaker: { failureThreshold: 3, cooldownMs: 30_000 } })
    server.enqueue({ status: 500 }, { status: 500 }, { status: 500 })
    for (let call = 0; call < 3; call += 1)
      expect((await failure(llm.generate(REQUEST))).code).toBe('LLM_UNAVAILABLE')
    expect(llm.circuitState()).toBe('open')

    const refused = await failure(llm.generate(REQUEST))
    expect(refused.code).toBe('LLM_CIRCUIT_OPEN')
    expect(refused.details).toEqual({ retryInMs: 30_000 })
    expect(server.requests).toHaveLength(3)

    clock.advance(29_999)
    expect((await failure(llm.generate(REQUEST))).code).toBe('LLM_CIRCUIT_OPEN')
    clock.advance(1)
    expect(llm.circuitState()).toBe('half-open')

    // The trial fails: open again for a whole cooldown.
    server.enqueue({ status: 500 })
    expect((await failure(llm.generate(REQUEST))).code).toBe('LLM_UNAVAILABLE')
    expect(llm.circuitState()).toBe('open')
    expect(server.requests).toHaveLength(4)

    clock.advance(30_000)
    server.enqueue({ body: completionBody('recovered') })
    expect((await llm.generate(REQUEST)).text).toBe('recovered')
    expect(llm.circuitState()).toBe('closed')
  })

  it('lets only one trial through while half-open', async () => {
    const clock = fixedClock('2026-11-25T04:00:00.000Z')
    const llm = model({ clock, maxRetries: 0, breaker: { failureThreshold: 1, cooldownMs: 1_000 } })
    server.enqueue({ status: 500 })
    await failure(llm.generate(REQUEST))
    clock.advance(1_000)
    server.enqueue({ body: completionBody('trial') })
    const [trial, second] = await Promise.allSettled([llm.generate(REQUEST), llm.generate(REQUEST)])
    expect(trial.status === 'fulfilled' && trial.value.text).toBe('trial')
    expect(second.status === 'rejected' && (second.reason as AppError).code).toBe('LLM_CIRCUIT_OPEN')
  })

  it("rejects with the caller's abort reason and does not count it as a failure", async () => {
    server.setDefault('hang')
    const llm = model({ breaker: { failureThreshold: 1 } })
    const controller = new AbortController()
    const pending = llm.generate(REQUEST, controller.signal)
    setTimeout(() => controller.abort(new Error('customer left')), 50)
    await expect(pending).rejects.toThrow('customer left')
    expect(llm.circuitState()).toBe('closed')
  })

  it('keeps the request body and the API key out of every error', async () => {
    server.enqueue(
      { status: 400, body: { error: { message: `echo: ${REQUEST.system}` } } },
      { body: 'SECRET' },
    )
    const llm = model()
    for (const error of [await failure(llm.generate(REQUEST)), await failure(llm.generate(REQUEST))]) {
      const views = [error.message, JSON.stringify(error.toJSON()), String(error.cause ?? '')]
      for (const view of views) {
        expect(view).not.toContain('SECRET')
        expect(view).not.toContain('sk-test-key')
      }
    }
  })

  it('refuses a base URL that is not http(s)', () => {
    expect(() => createOpenAiCompatibleModel({ baseUrl: 'localhost:11434', model: 'm' })).toThrow(
      /AGENTCRM_LLM_BASE_URL/,
    )
    expect(() => createOpenAiCompatibleModel({ baseUrl: 'not a url', model: 'm' })).toThrow(/is not a URL/)
  })
})
