import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { fixedClock, systemClock } from '../../src/core/index.js'
import { createDatabaseQueue, createRedisQueue } from '../../src/queue/index.js'
import type { Store } from '../../src/store/index.js'
import { retryDelayMs, type Queue, type QueueJob } from '../../src/workflow/queue-port.js'
import { until } from '../support/wait.js'
import { describeEachDatabase, testServices } from '../support/databases.js'

describe('retryDelayMs', () => {
  it('doubles per attempt with jitter, within [ceiling/2, ceiling], capped', () => {
    expect(retryDelayMs(1, () => 0)).toBe(500)
    expect(retryDelayMs(1, () => 1)).toBe(1000)
    expect(retryDelayMs(3, () => 1)).toBe(4000)
    expect(retryDelayMs(30, () => 1)).toBe(300_000)
  })
})

describeEachDatabase('database queue', (database) => {
  let store: Store & { dispose(): Promise<void> }
  const clock = fixedClock('2026-11-25T02:00:00.000Z')
  const stops: (() => Promise<void>)[] = []
  beforeAll(async () => {
    store = await database.open()
  })
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop()
  })
  afterAll(async () => store?.dispose())

  const queueNamed = (name: string, extra: Partial<Parameters<typeof createDatabaseQueue>[0]> = {}) =>
    createDatabaseQueue({ store, clock, queue: name, random: () => 0, ...extra })
  const start = (queue: Queue, handler: (job: QueueJob) => Promise<void>, concurrency = 1) => {
    const worker = queue.work(handler, { pollMs: 10, concurrency })
    stops.push(() => worker.stop())
    return worker
  }

  it('runs a job once with its payload, and an idempotency key enqueues one job', async () => {
    const queue = queueNamed('once')
    const seen: QueueJob[] = []
    const first = await queue.enqueue('greet', { to: '王小红' }, { idempotencyKey: 'k1' })
    const second = await queue.enqueue('greet', { to: 'someone else' }, { idempotencyKey: 'k1' })
    expect(second).toEqual({ id: first.id, duplicate: true })
    start(queue, async (job) => {
      seen.push(job)
    })
    await until(async () => (await queue.stats()).done === 1)
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ name: 'greet', payload: { to: '王小红' }, attempt: 1, maxAttempts: 5 })
  })

  it('holds a delayed job until its time', async () => {
    const queue = queueNamed('delayed')
    const seen: string[] = []
    await queue.enqueue('later', null, { runAt: new Date(clock.now().getTime() + 60_000) })
    start(queue, async (job) => {
      seen.push(job.name)
    })
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(seen).toEqual([])
    clock.advance(60_000)
    await until(() => seen.length === 1)
  })

  it('retries a failing job with backoff, then fails it visibly with its last error', async () => {
    const queue = queueNamed('retries')
    let calls = 0
    await queue.enqueue('flaky', { n: 1 }, { maxAttempts: 2 })
    start(queue, async () => {
      calls++
      throw new Error(`provider down (call ${calls})`)
    })
    await until(() => calls === 1)
    await until(async () => (await queue.stats()).queued === 1)
    expect(calls).toBe(1) // the retry waits for its backoff
    clock.advance(retryDelayMs(1, () => 0))
    await until(async () => (await queue.stats()).failed === 1)
    expect(calls).toBe(2)
    expect(await queue.failed()).toEqual([
      expect.objectContaining({ name: 'flaky', attempts: 2, lastError: 'provider down (call 2)' }),
    ])
  })

  it('picks up a job whose worker died (its lease ran out)', async () => {
    const dead = queueNamed('crash', { leaseMs: 30_000 })
    await dead.enqueue('work', { step: 3 })
    // a worker claims the job and its process dies before finishing
    let release: () => void = () => {}
    const stuck = dead.work(() => new Promise<void>((resolve) => (release = resolve)), { pollMs: 10 })
    await until(async () => (await dead.stats()).running === 1)
    const survivor = queueNamed('crash', { leaseMs: 30_000 })
    const seen: QueueJob[] = []
    start(survivor, async (job) => {
      seen.push(job)
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(seen).toEqual([]) // the lease still holds
    clock.advance(30_001)
    await until(() => seen.length === 1)
    expect(seen[0]).toMatchObject({ payload: { step: 3 }, attempt: 2 })
    release()
    await stuck.stop()
  })

  it('shares jobs between two workers without running one twice', async () => {
    const a = queueNamed('shared')
    const b = queueNamed('shared')
    const runs = new Map<string, number>()
    for (let i = 0; i < 40; i++) await a.enqueue('n', { i })
    const handler = async (job: QueueJob) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    start(a, handler, 2)
    start(b, handler, 2)
    await until(async () => (await a.stats()).done === 40, 20_000)
    expect(runs.size).toBe(40)
    expect([...runs.values()].every((count) => count === 1)).toBe(true)
  })
})

const redisUrl = testServices.redisUrl
describe.skipIf(!redisUrl)('queue mode: BullMQ on Redis [redis]', () => {
  const queues: (Queue & { obliterate(): Promise<void> })[] = []
  afterAll(async () => {
    for (const queue of queues) {
      await queue.obliterate().catch(() => {})
      await queue.close()
    }
  })
  const queueNamed = () => {
    const queue = createRedisQueue({
      url: redisUrl as string,
      clock: systemClock,
      queue: `test-${randomBytes(4).toString('hex')}`,
      prefix: 'agentcrm-test',
    }) as Queue & { obliterate(): Promise<void> }
    queues.push(queue)
    return queue
  }

  it('runs a job once with its payload, and an idempotency key enqueues one job', async () => {
    const queue = queueNamed()
    const seen: QueueJob[] = []
    const first = await queue.enqueue('greet', { to: '王小红' }, { idempotencyKey: 'k1' })
    expect(await queue.enqueue('greet', { to: 'x' }, { idempotencyKey: 'k1' })).toEqual({
      id: first.id,
      duplicate: true,
    })
    const worker = queue.work(async (job) => {
      seen.push(job)
    })
    await until(async () => (await queue.stats()).done === 1)
    await worker.stop()
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ id: 'k_k1', name: 'greet', payload: { to: '王小红' }, attempt: 1 })
  })

  it('takes the engine’s keys (`<run>:<step>`), which BullMQ ids cannot hold as they are', async () => {
    const queue = queueNamed()
    const first = await queue.enqueue('advance', null, { idempotencyKey: 'run_1:reply' })
    expect(first).toEqual({ id: 'k_run_1%3Areply', duplicate: false })
    expect(await queue.enqueue('advance', null, { idempotencyKey: 'run_1:reply' })).toEqual({
      id: first.id,
      duplicate: true,
    })
    expect((await queue.enqueue('advance', null, { idempotencyKey: '42' })).duplicate).toBe(false)
    expect((await queue.stats()).queued).toBe(2)
  })

  it('delays, retries and finally fails a job visibly', async () => {
    const queue = queueNamed()
    let calls = 0
    const startedAt = Date.now()
    await queue.enqueue('flaky', null, { maxAttempts: 2, runAt: new Date(Date.now() + 300) })
    const worker = queue.work(async () => {
      calls++
      throw new Error(`provider down (call ${calls})`)
    })
    await until(async () => (await queue.stats()).failed === 1, 15_000)
    await worker.stop()
    expect(calls).toBe(2)
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300 + 500)
    expect(await queue.failed()).toEqual([
      expect.objectContaining({ name: 'flaky', lastError: 'provider down (call 2)' }),
    ])
  })

  it('shares jobs between two workers without running one twice', async () => {
    const a = queueNamed()
    const runs = new Map<string, number>()
    for (let i = 0; i < 30; i++) await a.enqueue('n', { i })
    const handler = async (job: QueueJob) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1)
    }
    const w1 = a.work(handler, { concurrency: 2 })
    const w2 = a.work(handler, { concurrency: 2 })
    await until(async () => (await a.stats()).done === 30, 15_000)
    await Promise.all([w1.stop(), w2.stop()])
    expect(runs.size).toBe(30)
    expect([...runs.values()].every((count) => count === 1)).toBe(true)
  })
})

if (!redisUrl && testServices.requireServices) {
  describe('queue mode: BullMQ on Redis [redis]', () => {
    it('runs on Redis (AGENTCRM_REQUIRE_SERVICES=1)', () => {
      throw new Error('AGENTCRM_TEST_REDIS_URL is not set but AGENTCRM_REQUIRE_SERVICES=1')
    })
  })
}
