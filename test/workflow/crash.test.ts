/**
 * Queue mode survives a crash (issue 5, items 8–9): Postgres + Redis, two real `agentcrm worker` processes,
 * 1,000 inbound messages through the API channel path; one worker is killed with SIGKILL in the middle and a
 * replacement started. Every run reaches a terminal state, each message has exactly one run per workflow and
 * exactly one terminal effect (a reply, a draft or a hand-off — or, when the agent decided to do none of
 * these, its decision record), and no customer gets two outbound messages for one inbound message. Then a
 * run waiting on a timer outlives every worker: killed during the wait, a new worker fires the timer and the
 * step after the wait runs once.
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
import type { WorkflowDefinition } from '../../src/workflow/index.js'
import { testDatabases, testServices } from '../support/databases.js'
import { importDemoKnowledge } from '../support/knowledge.js'

const { postgresUrl, redisUrl, requireServices } = testServices
const TITLE = 'queue mode: two worker processes, one killed with SIGKILL [redis]'
const MESSAGES = 1000
/** Concurrent submitters (the API process's requests). */
const CLIENTS = 8
const TEXTS = [
  '退款多久到账？钱会退到哪里',
  'Hello, how long does shipping to Shanghai take?',
  'I want to talk to a real person please',
  '你们的营业时间是几点到几点？',
  'Where is my order? It has not arrived yet',
  'thanks, bye',
  '发票怎么开？',
  'Can I change the delivery address of my order?',
]
/** The inbound workflow's steps whose completion is the message's terminal effect. */
const TERMINAL_STEPS = ['reply', 'draft', 'suggest', 'hand-off']

async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

describe.skipIf(!postgresUrl || !redisUrl)(TITLE, () => {
  const prefix = `crash_${randomBytes(4).toString('hex')}`
  let dataDir = ''
  const workers: ChildProcess[] = []
  let app: App
  let store: Awaited<ReturnType<ReturnType<typeof testDatabases>[number]['open']>>
  let env: Record<string, string>

  const alive = (worker: ChildProcess) => worker.exitCode === null && worker.signalCode === null

  /** Starts `agentcrm worker` and resolves once it is taking jobs. */
  function startWorker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['bin/agentcrm.mjs', 'worker', '--concurrency', '8'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    workers.push(child)
    return new Promise((resolve, reject) => {
      let stderr = ''
      const timer = setTimeout(() => reject(new Error(`worker did not start: ${stderr}`)), 60_000)
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

  /** SIGKILL, and resolves once the process is gone. */
  function kill(worker: ChildProcess): Promise<void> {
    if (!alive(worker)) return Promise.resolve()
    const gone = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
    worker.kill('SIGKILL')
    return gone
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
    await Promise.all(workers.map(kill))
    await app?.close()
    const queue = createRedisQueue({ url: redisUrl as string, clock: app.clock, prefix })
    await (queue as unknown as { obliterate(): Promise<void> }).obliterate().catch(() => {})
    await queue.close()
    await store?.dispose()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }, 30_000)

  it('finishes every run once, with one terminal effect and no duplicate reply, after a worker is killed mid-way', async () => {
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
    /** Delivers messages from..to-1 from CLIENTS concurrent submitters. */
    const deliverRange = async (from: number, to: number) => {
      let next = from
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < to) await deliver(next++)
        }),
      )
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
    await deliverRange(0, MESSAGES / 2)
    // kill one worker while it is busy
    await until(async () => (await finished()) >= 50, 120_000, 'the first runs')
    await kill(first)
    // work was left over when it died (its leased jobs among it)
    expect(await finished()).toBeLessThan(MESSAGES)
    const replacement = startWorker()
    await deliverRange(MESSAGES / 2, MESSAGES)
    await replacement

    const runs = async () =>
      db
        .selectFrom('workflow_runs')
        .select(['id', 'workflowKey', 'messageId', 'status', 'error', 'waitingFor'])
        .where('workflowKey', 'in', ['inbound-inquiry', 'customer-enrichment'])
        .execute()
    // terminal: done, failed or cancelled, or parked waiting for an event (never for a past-due timer)
    const settled = (run: { status: unknown; waitingFor: unknown }) =>
      run.status !== 'running' &&
      !(run.status === 'waiting' && (run.waitingFor as { until?: string } | null)?.until)
    await until(
      async () => {
        const all = await runs()
        return all.length >= 2 * MESSAGES && all.every(settled)
      },
      300_000,
      'every run to settle',
    )
    const all = await runs()
    expect(all.filter((run) => run.status === 'failed').map((run) => run.error)).toEqual([])
    // nothing lost, nothing doubled: one run per workflow per message
    const perMessage = new Map<string, number>()
    for (const run of all) {
      const key = `${run.workflowKey}|${run.messageId}`
      perMessage.set(key, (perMessage.get(key) ?? 0) + 1)
    }
    expect([...perMessage.values()].filter((n) => n !== 1)).toEqual([])
    const inbound = all.filter((run) => run.workflowKey === 'inbound-inquiry')
    expect(new Set(inbound.map((run) => run.messageId))).toEqual(new Set(messageIds))
    expect(messageIds).toHaveLength(MESSAGES)

    // exactly one terminal effect per message: one reply, draft or hand-off step done — or, where the agent
    // chose none of them, its decision record (one per message)
    const terminalSteps = await db
      .selectFrom('workflow_run_steps')
      .select(['runId', 'stepId'])
      .where('stepType', '=', 'action')
      .where('status', '=', 'done')
      .where('stepId', 'in', TERMINAL_STEPS)
      .execute()
    const effectsPerRun = new Map<string, number>()
    for (const step of terminalSteps)
      effectsPerRun.set(String(step.runId), (effectsPerRun.get(String(step.runId)) ?? 0) + 1)
    expect([...effectsPerRun.values()].filter((n) => n !== 1)).toEqual([])
    const decisions = await db
      .selectFrom('agent_decisions')
      .select(['messageId', 'action'])
      .where('messageId', 'in', messageIds)
      .execute()
    expect(decisions).toHaveLength(MESSAGES)
    const decided = new Map(decisions.map((row) => [String(row.messageId), String(row.action)]))
    const withoutEffect = inbound.filter((run) => !effectsPerRun.has(String(run.id)))
    for (const run of withoutEffect) expect(decided.has(String(run.messageId))).toBe(true)
    // most messages got a visible effect (the rest were decided as no reply, or held by a person)
    expect(effectsPerRun.size).toBeGreaterThan(MESSAGES * 0.8)

    // one inbound message per conversation: at most one outbound message back in each, one outbox row each
    const outbound = await db
      .selectFrom('messages')
      .select(['conversationId', (eb) => eb.fn.countAll().as('n')])
      .where('direction', '=', 'outbound')
      .groupBy('conversationId')
      .execute()
    expect(outbound.filter((row) => Number(row.n) > 1)).toEqual([])
    expect(outbound.length).toBeGreaterThan(0)
    const outbox = await db
      .selectFrom('outbox')
      .select(['messageId', (eb) => eb.fn.countAll().as('n')])
      .groupBy('messageId')
      .execute()
    expect(outbox.filter((row) => Number(row.n) > 1)).toEqual([])
    expect(outbox.length).toBe(outbound.reduce((sum, row) => sum + Number(row.n), 0))
  }, 420_000)

  it('fires a wait step whose timer outlives every worker: the step after it runs once', async () => {
    const definition = {
      key: 'wait-across-restart',
      name: 'Wait across a restart',
      trigger: { type: 'manual', subject: 'conversation' },
      steps: [
        { id: 'pause', type: 'wait', duration: 'PT3S', next: 'note' },
        { id: 'note', type: 'action', action: 'add_note', input: { body: 'after the restart' } },
      ],
    } as unknown as WorkflowDefinition
    await app.workflows.repository.save(definition, 'api', cliActor)
    const receipt = await app.crm.inbound.receiveApiMessage(
      { from: { email: 'wait-restart@example.com' }, text: 'hello', messageId: 'wait-restart-1' },
      cliActor,
    )
    if (!workers.some(alive)) await startWorker()
    const run = await app.workflows.engine.runManually('wait-across-restart', {
      conversationId: receipt.conversationId,
    })
    await until(
      async () => (await app.workflows.runs.get(run.id))?.status === 'waiting',
      60_000,
      'the run to wait on its timer',
    )
    // every worker dies during the wait; the timer lives in Redis
    await Promise.all(workers.map(kill))
    expect((await app.workflows.runs.get(run.id))?.status).toBe('waiting')
    await startWorker()
    await until(
      async () => (await app.workflows.runs.get(run.id))?.status === 'done',
      60_000,
      'the timer to fire in the new worker',
    )
    const notes = await app.store.db
      .selectFrom('notes')
      .select('body')
      .where('conversationId', '=', receipt.conversationId)
      .execute()
    expect(notes.map((note) => note.body)).toEqual(['after the restart'])
    const steps = (await app.workflows.runs.steps(run.id)).map((step) => `${step.stepId}:${step.status}`)
    expect(steps).toEqual(['pause:waiting', 'pause:done', 'note:done'])
  }, 120_000)
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
