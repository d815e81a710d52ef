/**
 * Queue mode survives a crash (issue 5, items 8–9): Postgres + Redis, two real `agentcrm worker` processes,
 * ~100 inbound messages through the API channel path; one worker is killed with SIGKILL in the middle and a
 * replacement started. Every run reaches a terminal state, each message has exactly one run per workflow, and
 * no conversation gets two outbound AI messages for one inbound message.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../src/app.js'
import { loadConfig } from '../../src/core/index.js'
import { cliActor } from '../../src/crm/index.js'
import { createRedisQueue } from '../../src/queue/index.js'
import { testDatabases, testServices } from '../support/databases.js'
import { importDemoKnowledge } from '../support/knowledge.js'

const { postgresUrl, redisUrl, requireServices } = testServices
const TITLE = 'queue mode: two worker processes, one killed with SIGKILL [redis]'
const MESSAGES = 100
const TEXTS = [
  '退款多久到账？钱会退到哪里',
  'Hello, how long does shipping to Shanghai take?',
  'I want to talk to a real person please',
  '你们的营业时间是几点到几点？',
  'Where is my order? It has not arrived yet',
]

async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe.skipIf(!postgresUrl || !redisUrl)(TITLE, () => {
  const prefix = `crash_${randomBytes(4).toString('hex')}`
  let dataDir = ''
  const workers: ChildProcess[] = []
  let app: App
  let store: Awaited<ReturnType<ReturnType<typeof testDatabases>[number]['open']>>
  let env: Record<string, string>

  /** Starts `agentcrm worker` and resolves once it is taking jobs. */
  function startWorker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['bin/agentcrm.mjs', 'worker', '--concurrency', '4'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    workers.push(child)
    return new Promise((resolve, reject) => {
      let stderr = ''
      const timer = setTimeout(() => reject(new Error(`worker did not start: ${stderr}`)), 30_000)
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        if (stderr.includes('worker: processing workflow jobs')) {
          clearTimeout(timer)
          resolve(child)
        }
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`worker exited with ${code}: ${stderr}`))
      })
    })
  }

  beforeAll(async () => {
    const postgres = testDatabases().find((database) => database.name === 'postgres')
    if (!postgres) throw new Error('no Postgres')
    store = await postgres.open()
    dataDir = mkdtempSync(join(tmpdir(), 'agentcrm-crash-'))
    const url = new URL(postgresUrl as string)
    url.searchParams.set('schema', store.schema as string)
    env = {
      AGENTCRM_DATABASE_URL: url.toString(),
      AGENTCRM_REDIS_URL: redisUrl as string,
      AGENTCRM_QUEUE_PREFIX: prefix,
      AGENTCRM_SECRET: 'crash-test-secret',
      AGENTCRM_DATA_DIR: dataDir,
      AGENTCRM_LOG_LEVEL: 'silent',
    }
    const config = loadConfig(env)
    app = await createApp(config, { store })
    // the models and the knowledge base once, here: the workers find them ready
    await app.ensureBuiltinModels()
    await importDemoKnowledge(app)
    await app.knowledge.ensureCurrent(true)
  }, 120_000)

  afterAll(async () => {
    for (const worker of workers)
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL')
    await app?.close()
    const queue = createRedisQueue({ url: redisUrl as string, clock: app.clock, prefix })
    await (queue as unknown as { obliterate(): Promise<void> }).obliterate().catch(() => {})
    await queue.close()
    await store?.dispose()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }, 30_000)

  it('finishes every run once, with no duplicate reply, after a worker is killed mid-way', async () => {
    const [first] = await Promise.all([startWorker(), startWorker()])
    const db = app.store.db
    const messageIds: string[] = []
    const deliver = async (i: number) => {
      const receipt = await app.crm.inbound.receiveApiMessage(
        {
          from: { email: `crash-${i}@example.com`, name: `Customer ${i}` },
          text: TEXTS[i % TEXTS.length],
          messageId: `crash-${i}`,
        },
        cliActor,
      )
      const subject = {
        messageId: receipt.messageId,
        conversationId: receipt.conversationId,
        customerId: receipt.customerId,
      }
      await app.workflows.engine.trigger('message.received', subject, `message:${receipt.messageId}`)
      // a redelivery of the same message starts nothing new
      if (i % 10 === 0)
        await app.workflows.engine.trigger('message.received', subject, `message:${receipt.messageId}`)
      messageIds.push(receipt.messageId)
    }
    const finished = async () =>
      Number(
        (
          await db
            .selectFrom('workflow_runs')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('status', '!=', 'running')
            .executeTakeFirstOrThrow()
        ).n,
      )
    for (let i = 0; i < MESSAGES / 2; i++) await deliver(i)
    // kill one worker while it is busy
    await until(async () => (await finished()) >= 10, 30_000, 'the first runs')
    first.kill('SIGKILL')
    // work was left over when it died (its leased jobs among it)
    expect(await finished()).toBeLessThan(MESSAGES / 2)
    const replacement = startWorker()
    for (let i = MESSAGES / 2; i < MESSAGES; i++) await deliver(i)
    await replacement

    const runs = async () =>
      db
        .selectFrom('workflow_runs')
        .select(['id', 'workflowKey', 'messageId', 'status', 'error', 'waitingFor'])
        .where('messageId', 'in', messageIds)
        .execute()
    // terminal: done, failed or cancelled, or parked waiting for an event (never for a past-due timer)
    const settled = (run: { status: unknown; waitingFor: unknown }) =>
      run.status !== 'running' &&
      !(run.status === 'waiting' && (run.waitingFor as { until?: string } | null)?.until)
    await until(
      async () => {
        const all = await runs()
        return all.length > 0 && all.every(settled)
      },
      45_000,
      'every run to settle',
    )
    const all = await runs()
    expect(all.filter((run) => run.status === 'failed').map((run) => run.error)).toEqual([])
    const perMessage = new Map<string, number>()
    for (const run of all) {
      const key = `${run.workflowKey}|${run.messageId}`
      perMessage.set(key, (perMessage.get(key) ?? 0) + 1)
    }
    expect([...perMessage.values()].filter((n) => n !== 1)).toEqual([])
    const inbound = all.filter((run) => run.workflowKey === 'inbound-inquiry')
    expect(new Set(inbound.map((run) => run.messageId)).size).toBe(MESSAGES)

    // one inbound message per conversation: at most one AI message back in each
    const outbound = await db
      .selectFrom('messages')
      .select(['conversationId', (eb) => eb.fn.countAll().as('n')])
      .where('direction', '=', 'outbound')
      .where('authorKind', '=', 'ai')
      .groupBy('conversationId')
      .execute()
    expect(outbound.filter((row) => Number(row.n) > 1)).toEqual([])
    // every message got its terminal effect: a decision (reply, draft or hand-off) recorded once
    const decisions = await db
      .selectFrom('agent_decisions')
      .select('messageId')
      .where('messageId', 'in', messageIds)
      .execute()
    expect(new Set(decisions.map((row) => row.messageId)).size).toBe(MESSAGES)
  }, 90_000)
})

if ((!postgresUrl || !redisUrl) && requireServices) {
  describe(TITLE, () => {
    it('runs on Postgres and Redis (AGENTCRM_REQUIRE_SERVICES=1)', () => {
      throw new Error(
        'AGENTCRM_TEST_POSTGRES_URL and AGENTCRM_TEST_REDIS_URL must be set when AGENTCRM_REQUIRE_SERVICES=1',
      )
    })
  })
}
