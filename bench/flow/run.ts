/**
 * `npm run bench:flow` — messages per second end to end, no LLM (issue 5, "Benchmark"):
 *
 *   inbound message stored through the API channel path (`crm.inbound.receiveApiMessage`, then
 *   `workflows.engine.trigger('message.received', …, 'message:' + id)`, as `src/server/routes/channels.ts`
 *   does) → the built-in workflows (`inbound-inquiry`: perceive → reason → reply / draft / hand-off; and
 *   `customer-enrichment`) → every run terminal (done, failed or waiting).
 *
 * Embedded mode: one process, a fresh SQLite database with the built-in models and the demo knowledge base
 * (product links stripped, as in bench/reason), the database queue worked in process
 * (`queue().work(engine.handle, { concurrency, pollMs: 5 })`). The template database is prepared once and
 * copied for every configuration, so each one starts from the same state.
 *
 * Messages: the texts of `data/agent/scenarios.jsonl` cycled, distinct `messageId`s, 200 distinct senders
 * (so conversations get several messages and some are held by a person after a hand-off). Submitted by a
 * few concurrent "clients" as fast as the store accepts them.
 *
 * Measured: wall time from the first submission until every run is terminal, messages/s, latency from
 * just before the message is submitted to the `inbound-inquiry` run's terminal time (`finishedAt`, or
 * `updatedAt` for a waiting run), process CPU seconds, RSS after. Checked: one run per workflow per
 * message, at most one outbound message per inbound message, failed runs and failed jobs.
 *
 * Flags: `--messages 1000` `--senders 200` `--concurrency 1,4,16` (worker concurrency, one pass each)
 * `--clients 8` `--no-write` (do not touch bench/results/flow.json, e.g. for a profiling run).
 *
 * Queue mode (`--queue-workers 1,2`, on by default when Postgres and Redis answer: AGENTCRM_TEST_POSTGRES_URL /
 * AGENTCRM_TEST_REDIS_URL, else the local defaults): this process is the API process — it ingests and
 * enqueues, as `serve` does with AGENTCRM_REDIS_URL — and 1 or 2 real `agentcrm worker` processes run the
 * workflows through BullMQ, each pass in its own Postgres schema and Redis prefix. Measured as above, plus
 * CPU seconds and RSS per worker process and the CPU of the Postgres and Redis servers. Checked: nothing
 * lost (every message has its runs, every run terminal) and nothing duplicated (one run per workflow per
 * message, at most one reply per inbound message, exactly one terminal effect per inquiry run).
 *
 * Writes bench/results/flow.json.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createApp, type App } from '../../src/app.js'
import { parseScenarios } from '../../src/agent/index.js'
import { loadConfig } from '../../src/core/index.js'
import { loadTestServices } from '../../src/core/config.js'
import { cliActor } from '../../src/crm/index.js'
import { DEMO_KNOWLEDGE_DIR, importKnowledgePath } from '../../src/knowledge/index.js'
import { createRedisQueue } from '../../src/queue/index.js'
import { openStore, type Store } from '../../src/store/index.js'
import pg from 'pg'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

const { values: flags } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000' },
    senders: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '1,4,16' },
    clients: { type: 'string', default: '8' },
    'no-write': { type: 'boolean', default: false },
    /** Worker processes per queue-mode pass (Postgres + Redis); `0` skips queue mode. */
    'queue-workers': { type: 'string', default: '1,2' },
    /** Jobs each queue-mode worker runs at once. */
    'worker-concurrency': { type: 'string', default: '8' },
    /** Queue mode: the workers write CPU profiles (`node --cpu-prof`) into this directory when they stop. */
    'worker-profile': { type: 'string' },
    /** Writes a CPU profile of each pass's measured window (from the first submission to the last run) here. */
    profile: { type: 'string' },
    // internal: the child processes
    prepare: { type: 'string' },
    pass: { type: 'string' },
    'queue-pass': { type: 'string' },
    template: { type: 'string' },
  },
})

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`)
}

function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  const round = (v: number) => Math.round(v * 10) / 10
  return {
    n: sorted.length,
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    max: round(sorted.at(-1) ?? 0),
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function openApp(dir: string): Promise<App> {
  return createApp(loadConfig({}, { databaseUrl: join(dir, 'db.sqlite'), dataDir: dir, logLevel: 'silent' }))
}

/** A fresh database with the built-in models and the demo knowledge base (without product links). */
async function prepareTemplate(dir: string): Promise<void> {
  const app = await openApp(dir)
  log('training / registering the built-in models…')
  await app.ensureBuiltinModels()
  log('importing the demo knowledge base…')
  await importKnowledgePath(
    DEMO_KNOWLEDGE_DIR,
    { save: (input, actor) => app.knowledge.save({ ...input, products: [] }, actor) },
    cliActor,
  )
  await app.close()
}

/** Runs this script again in a child process (clean RSS and CPU per pass); returns its JSON output. */
function child(args: string[]): unknown {
  const result = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  })
  if (result.status !== 0) throw new Error(`child ${args.join(' ')} exited with ${result.status}`)
  return result.stdout.trim() === '' ? null : JSON.parse(result.stdout)
}

interface Inbound {
  messageId: string
  text: string
  sender: number
}

function messages(count: number, senders: number): Inbound[] {
  const texts = parseScenarios(readFileSync(join(ROOT, 'data/agent/scenarios.jsonl'), 'utf8')).map(
    (s) => s.text,
  )
  return Array.from({ length: count }, (_, i) => ({
    messageId: `bench-${i}`,
    text: texts[i % texts.length] ?? 'hello',
    sender: (i * 7919) % senders,
  }))
}

/** Submits the messages through the API channel path from `clients` concurrent clients. */
async function submit(app: App, inbound: Inbound[], clients: number) {
  const submittedAt = new Map<string, number>() // stored message id → ms before submission
  const receiptErrors: string[] = []
  let next = 0
  async function client() {
    while (next < inbound.length) {
      const m = inbound[next++]!
      const before = Date.now()
      try {
        const receipt = await app.crm.inbound.receiveApiMessage(
          {
            from: { externalId: `bench-sender-${m.sender}`, name: `Sender ${m.sender}` },
            text: m.text,
            messageId: m.messageId,
          },
          cliActor,
        )
        submittedAt.set(receipt.messageId, before)
        await app.workflows.engine.trigger(
          'message.received',
          {
            messageId: receipt.messageId,
            conversationId: receipt.conversationId,
            customerId: receipt.customerId,
          },
          `message:${receipt.messageId}`,
        )
      } catch (error) {
        receiptErrors.push(String(error))
      }
    }
  }
  await Promise.all(Array.from({ length: clients }, client))
  return { submittedAt, receiptErrors }
}

/** Two warm-up messages (English and Chinese: the cross-lingual dictionary loads on the first Chinese query). */
async function warmUp(app: App): Promise<void> {
  for (const [i, text] of ['hello, do you ship abroad?', '新疆能发吗？运费会不会很贵'].entries()) {
    const warm = await app.crm.inbound.receiveApiMessage(
      { from: { externalId: `warm-up-${i}` }, text, messageId: `warm-up-${i}` },
      cliActor,
    )
    await app.workflows.engine.trigger(
      'message.received',
      { messageId: warm.messageId, conversationId: warm.conversationId, customerId: warm.customerId },
      `message:${warm.messageId}`,
    )
  }
}

/** Until no run is `running` (polling every `pollMs`), or `timeoutMs` passed. */
async function settle(app: App, pollMs: number, timeoutMs = 600_000): Promise<void> {
  const started = Date.now()
  for (;;) {
    const open = await app.store.db
      .selectFrom('workflow_runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'running')
      .executeTakeFirstOrThrow()
    if (Number(open.n) === 0) return
    if (Date.now() - started > timeoutMs)
      throw new Error(`${open.n} runs still running after ${timeoutMs} ms`)
    await sleep(pollMs)
  }
}

const TERMINAL_STEPS: Record<string, string> = {
  reply: 'reply',
  draft: 'draft',
  suggest: 'draft',
  'hand-off': 'handOff',
}

/** What became of the submitted messages: runs, effects, replies, latency — and what was lost or doubled. */
async function outcome(app: App, submittedAt: Map<string, number>, wall0: number) {
  const db = app.store.db
  const runs = await db
    .selectFrom('workflow_runs')
    .select(['id', 'workflowKey', 'messageId', 'status', 'currentStep', 'error', 'finishedAt', 'updatedAt'])
    .execute()
  const ours = runs.filter((r) => submittedAt.has(String(r.messageId)))
  const perWorkflowMessage = new Map<string, number>()
  for (const r of ours) {
    const key = `${r.workflowKey}|${r.messageId}`
    perWorkflowMessage.set(key, (perWorkflowMessage.get(key) ?? 0) + 1)
  }
  const workflowKeys = [...new Set(ours.map((r) => String(r.workflowKey)))].sort()
  const runsPerMessage: Record<string, { min: number; max: number; missing: number }> = {}
  for (const key of workflowKeys) {
    const counts = [...submittedAt.keys()].map((id) => perWorkflowMessage.get(`${key}|${id}`) ?? 0)
    runsPerMessage[key] = {
      min: Math.min(...counts),
      max: Math.max(...counts),
      missing: counts.filter((c) => c === 0).length,
    }
  }
  const statuses: Record<string, Record<string, number>> = {}
  for (const r of ours) {
    const byKey = (statuses[String(r.workflowKey)] ??= {})
    byKey[String(r.status)] = (byKey[String(r.status)] ?? 0) + 1
  }
  const inquiry = ours.filter((r) => r.workflowKey === 'inbound-inquiry')
  const inquiryIds = new Set(inquiry.map((r) => String(r.id)))
  const steps = await db
    .selectFrom('workflow_run_steps')
    .select(['runId', 'stepId', 'stepType', 'status'])
    .where('stepType', '=', 'action')
    .execute()
  const effects: Record<string, number> = {}
  const terminalPerRun = new Map<string, number>()
  for (const s of steps) {
    if (!inquiryIds.has(String(s.runId))) continue
    const key = `${s.stepId}:${s.status}`
    effects[key] = (effects[key] ?? 0) + 1
    if (s.status === 'done' && TERMINAL_STEPS[String(s.stepId)])
      terminalPerRun.set(String(s.runId), (terminalPerRun.get(String(s.runId)) ?? 0) + 1)
  }
  const noAction = inquiry.length - steps.filter((s) => inquiryIds.has(String(s.runId))).length
  // a message without a reply, draft or hand-off must have been decided so (no_reply, or a person's case
  // with nothing to suggest): its decision record is its terminal effect
  const decisions = await db.selectFrom('agent_decisions').select(['messageId', 'action']).execute()
  const decisionsPerMessage = new Map<string, number>()
  for (const d of decisions)
    if (submittedAt.has(String(d.messageId)))
      decisionsPerMessage.set(String(d.messageId), (decisionsPerMessage.get(String(d.messageId)) ?? 0) + 1)

  // outbound messages: at most one per inbound message (reply effects keyed `<run>:<step>`)
  const replyEffects = await db
    .selectFrom('action_effects')
    .select(['idempotencyKey', 'action'])
    .where('action', '=', 'reply')
    .execute()
  const repliesPerRun = new Map<string, number>()
  for (const e of replyEffects) {
    const runId = String(e.idempotencyKey).split(':')[0]!
    if (inquiryIds.has(runId)) repliesPerRun.set(runId, (repliesPerRun.get(runId) ?? 0) + 1)
  }
  const countBy = async (direction: string) => {
    const rows = await db
      .selectFrom('messages')
      .select(['conversationId', (eb) => eb.fn.countAll<number>().as('n')])
      .where('direction', '=', direction)
      .groupBy('conversationId')
      .execute()
    return new Map(rows.map((row) => [String(row.conversationId), Number(row.n)]))
  }
  const inPerConversation = await countBy('inbound')
  const outPerConversation = await countBy('outbound')
  const conversationsWithMoreOutThanIn = [...outPerConversation].filter(
    ([id, n]) => n > (inPerConversation.get(id) ?? 0),
  ).length
  const outbox = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const jobStats = await app.queue().stats()

  const end = (r: { finishedAt: unknown; updatedAt: unknown }) =>
    Date.parse(String(r.finishedAt ?? r.updatedAt))
  const latency = inquiry.map((r) => end(r) - (submittedAt.get(String(r.messageId)) ?? end(r)))
  const latencyAll = ours.map((r) => end(r) - (submittedAt.get(String(r.messageId)) ?? end(r)))
  const lastEnd = Math.max(...ours.map(end))
  const terminal = [...terminalPerRun.values()]
  return {
    lastRunFinishedAfterSeconds: round((lastEnd - wall0) / 1000, 3),
    latencyMs: percentiles(latency),
    latencyAllRunsMs: percentiles(latencyAll),
    runs: ours.length,
    runsPerMessage,
    statuses,
    failedRuns: ours.filter((r) => r.status === 'failed').length,
    unfinishedRuns: ours.filter((r) => r.status === 'running').length,
    failedRunSample: ours
      .filter((r) => r.status === 'failed')
      .slice(0, 3)
      .map((r) => `${r.currentStep}: ${r.error}`),
    inquiryActions: { ...effects, none: noAction },
    terminalEffects: {
      runsWithOne: terminal.filter((n) => n === 1).length,
      runsWithMoreThanOne: terminal.filter((n) => n > 1).length,
      runsWithNoneButADecision: inquiry.filter(
        (r) => !terminalPerRun.has(String(r.id)) && decisionsPerMessage.has(String(r.messageId)),
      ).length,
      messagesWithoutAnyEffect: inquiry.filter(
        (r) => !terminalPerRun.has(String(r.id)) && !decisionsPerMessage.has(String(r.messageId)),
      ).length,
      maxDecisionsPerMessage: Math.max(0, ...decisionsPerMessage.values()),
    },
    replies: {
      outboundMessages: [...outPerConversation.values()].reduce((a, b) => a + b, 0),
      outboxRows: Number(outbox.n),
      runsWithReply: repliesPerRun.size,
      maxRepliesPerInbound: Math.max(0, ...repliesPerRun.values()),
      conversations: inPerConversation.size,
      conversationsWithMoreOutboundThanInbound: conversationsWithMoreOutThanIn,
    },
    jobs: jobStats,
  }
}

async function pass(template: string, concurrency: number, inbound: Inbound[], clients: number) {
  const dir = mkdtempSync(join(tmpdir(), 'agentcrm-bench-flow-run-'))
  cpSync(template, dir, { recursive: true })
  const app = await openApp(dir)
  // warm up: messages through everything (index built, models loaded), not measured
  await warmUp(app)
  const worker = app.queue().work(app.workflows.engine.handle, { concurrency, pollMs: 5 })
  await settle(app, 5)

  const profiler = flags.profile ? await startProfiler() : null
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const wall0 = Date.now()
  const { submittedAt, receiptErrors } = await submit(app, inbound, clients)
  const ingestMs = performance.now() - t0
  // until every run of these messages is terminal
  await settle(app, 2)
  const wallMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  if (profiler) await profiler.stop(`${flags.profile}.${concurrency}.cpuprofile`)
  await worker.stop()
  const rssMb = process.memoryUsage().rss / 2 ** 20
  const result = await outcome(app, submittedAt, wall0)
  await app.close()
  rmSync(dir, { recursive: true, force: true })

  const n = submittedAt.size
  return {
    mode: 'embedded',
    database: 'sqlite',
    workerConcurrency: concurrency,
    clients,
    messages: n,
    receiptErrors: receiptErrors.length,
    receiptErrorSample: receiptErrors.slice(0, 3),
    ingestSeconds: round(ingestMs / 1000, 3),
    ingestMessagesPerSecond: Math.round(n / (ingestMs / 1000)),
    wallSeconds: round(wallMs / 1000, 3),
    messagesPerSecond: Math.round(n / (wallMs / 1000)),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
    cpuMsPerMessage: round((cpu.user + cpu.system) / 1000 / n, 1),
    loadAverageAfter: loadavg().map((v) => round(v, 2)),
    cpuUserSeconds: round(cpu.user / 1e6, 2),
    cpuSystemSeconds: round(cpu.system / 1e6, 2),
    cpuCoresUsed: round((cpu.user + cpu.system) / 1000 / wallMs, 2),
    rssMbAfter: Math.round(rssMb),
    ...result,
  }
}

/** CPU seconds (user + system) and RSS of a process, from /proc (Linux). */
function processUsage(pid: number): { cpuSeconds: number; rssMb: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12]) // utime, stime (fields 14 and 15)
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return { cpuSeconds: ticks / 100, rssMb: rss ? Math.round(Number(rss[1]) / 1024) : 0 }
  } catch {
    return { cpuSeconds: 0, rssMb: 0 }
  }
}

/** CPU seconds of every Postgres and Redis server process on this machine (shared with other work). */
function serverCpuSeconds(): { postgres: number; redis: number } {
  const total = { postgres: 0, redis: 0 }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const kind = name.startsWith('postgres') ? 'postgres' : name.startsWith('redis-server') ? 'redis' : null
      if (kind) total[kind] += processUsage(Number(entry)).cpuSeconds
    } catch {
      // the process ended while we looked
    }
  }
  return total
}

/** Starts `agentcrm worker` and resolves once it takes jobs. */
function startWorker(env: Record<string, string>, concurrency: number): Promise<ChildProcess> {
  const worker = spawn(
    process.execPath,
    [
      ...(flags['worker-profile'] ? ['--cpu-prof', '--cpu-prof-dir', flags['worker-profile']] : []),
      join(ROOT, 'bin/agentcrm.mjs'),
      'worker',
      '--concurrency',
      String(concurrency),
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], cwd: ROOT },
  )
  return new Promise((resolve, reject) => {
    let stderr = ''
    worker.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (stderr.includes('worker: processing workflow jobs')) resolve(worker)
    })
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${stderr}`)))
  })
}

async function stopWorker(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return
  const exited = new Promise((resolve) => worker.once('exit', resolve))
  worker.kill('SIGTERM')
  const timer = setTimeout(() => worker.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}

/**
 * Queue mode: this process ingests and enqueues (the API process), `workers` `agentcrm worker` processes run
 * the workflows through BullMQ on Redis, all on a fresh Postgres schema with the built-in models and the demo
 * knowledge base (product links stripped).
 */
async function queuePass(
  workers: number,
  workerConcurrency: number,
  inbound: Inbound[],
  clients: number,
  services: { postgresUrl: string; redisUrl: string },
) {
  const schema = `bench_flow_${randomBytes(4).toString('hex')}`
  const prefix = `bench_flow_${randomBytes(4).toString('hex')}`
  const dataDir = mkdtempSync(join(tmpdir(), 'agentcrm-bench-flow-queue-'))
  const store: Store = await openStore({ url: services.postgresUrl, schema, poolSize: 10 })
  const url = new URL(services.postgresUrl)
  url.searchParams.set('schema', schema)
  const env = {
    AGENTCRM_DATABASE_URL: url.toString(),
    AGENTCRM_REDIS_URL: services.redisUrl,
    AGENTCRM_QUEUE_PREFIX: prefix,
    AGENTCRM_SECRET: 'bench-flow-secret',
    AGENTCRM_DATA_DIR: dataDir,
    AGENTCRM_LOG_LEVEL: 'silent',
  }
  const app = await createApp(loadConfig(env), { store })
  const children: ChildProcess[] = []
  try {
    log('  preparing the Postgres schema (models, knowledge base)…')
    await app.ensureBuiltinModels()
    await importKnowledgePath(
      DEMO_KNOWLEDGE_DIR,
      { save: (input, actor) => app.knowledge.save({ ...input, products: [] }, actor) },
      cliActor,
    )
    await app.knowledge.ensureCurrent(true)
    children.push(
      ...(await Promise.all(Array.from({ length: workers }, () => startWorker(env, workerConcurrency)))),
    )
    await warmUp(app)
    await settle(app, 20)

    const cpu0 = process.cpuUsage()
    const workerCpu0 = children.map((child) => processUsage(child.pid ?? 0).cpuSeconds)
    const servers0 = serverCpuSeconds()
    const t0 = performance.now()
    const wall0 = Date.now()
    const { submittedAt, receiptErrors } = await submit(app, inbound, clients)
    const ingestMs = performance.now() - t0
    await settle(app, 20)
    const wallMs = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    const workerUsage = children.map((child, i) => {
      const usage = processUsage(child.pid ?? 0)
      return { cpuSeconds: round(usage.cpuSeconds - (workerCpu0[i] ?? 0), 2), rssMb: usage.rssMb }
    })
    const servers1 = serverCpuSeconds()
    const result = await outcome(app, submittedAt, wall0)
    const n = submittedAt.size
    const workerCpu = workerUsage.reduce((a, w) => a + w.cpuSeconds, 0)
    return {
      mode: 'queue',
      database: 'postgres',
      queue: 'redis (BullMQ)',
      workers,
      workerConcurrency,
      clients,
      messages: n,
      receiptErrors: receiptErrors.length,
      receiptErrorSample: receiptErrors.slice(0, 3),
      ingestSeconds: round(ingestMs / 1000, 3),
      ingestMessagesPerSecond: Math.round(n / (ingestMs / 1000)),
      wallSeconds: round(wallMs / 1000, 3),
      messagesPerSecond: Math.round(n / (wallMs / 1000)),
      cpuSeconds: {
        apiProcess: round((cpu.user + cpu.system) / 1e6, 2),
        workers: workerUsage.map((w) => w.cpuSeconds),
        postgresServer: round(servers1.postgres - servers0.postgres, 2),
        redisServer: round(servers1.redis - servers0.redis, 2),
      },
      workerCpuMsPerMessage: round((workerCpu * 1000) / n, 1),
      workerRssMb: workerUsage.map((w) => w.rssMb),
      loadAverageAfter: loadavg().map((v) => round(v, 2)),
      ...result,
    }
  } finally {
    await Promise.all(children.map(stopWorker))
    await app.close()
    const queue = createRedisQueue({ url: services.redisUrl, clock: app.clock, prefix })
    await (queue as unknown as { obliterate(): Promise<void> }).obliterate().catch(() => {})
    await queue.close()
    await store.close()
    const client = new pg.Client({ connectionString: services.postgresUrl })
    await client.connect()
    await client.query(`drop schema if exists "${schema}" cascade`)
    await client.end()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Whether Postgres and Redis answer at these URLs. */
async function servicesUp(services: { postgresUrl: string; redisUrl: string }): Promise<string | null> {
  const client = new pg.Client({ connectionString: services.postgresUrl, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('select 1')
  } catch (error) {
    return `Postgres at ${services.postgresUrl}: ${String(error)}`
  } finally {
    await client.end().catch(() => {})
  }
  const { Redis } = await import('ioredis')
  const redis = new Redis(services.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await redis.connect()
    await redis.ping()
  } catch (error) {
    return `Redis at ${services.redisUrl}: ${String(error)}`
  } finally {
    redis.disconnect()
  }
  return null
}

/** A CPU profile of this process from now until `stop(file)` (the inspector protocol, no flags needed). */
async function startProfiler() {
  const { Session } = await import('node:inspector/promises')
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop')
      writeFileSync(file, JSON.stringify(profile))
      session.disconnect()
      log(`  CPU profile: ${file}`)
    },
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(v * f) / f
}

async function main() {
  if (flags.prepare) return prepareTemplate(flags.prepare)
  if (flags.pass) {
    const result = await pass(
      String(flags.template),
      Number(flags.pass),
      messages(Number(flags.messages), Number(flags.senders)),
      Number(flags.clients),
    )
    process.stdout.write(JSON.stringify(result))
    return
  }
  if (flags['queue-pass']) {
    const result = await queuePass(
      Number(flags['queue-pass']),
      Number(flags['worker-concurrency']),
      messages(Number(flags.messages), Number(flags.senders)),
      Number(flags.clients),
      JSON.parse(String(flags.template)) as { postgresUrl: string; redisUrl: string },
    )
    process.stdout.write(JSON.stringify(result))
    return
  }
  const count = Number(flags.messages)
  const senders = Number(flags.senders)
  const clients = Number(flags.clients)
  // `--concurrency 0` skips the embedded passes (queue mode only)
  const levels = String(flags.concurrency)
    .split(',')
    .map(Number)
    .filter((n) => n > 0)
  const started = Date.now()
  const template = mkdtempSync(join(tmpdir(), 'agentcrm-bench-flow-'))
  if (levels.length > 0) child(['--prepare', template])
  const passes: Awaited<ReturnType<typeof pass>>[] = []
  for (const concurrency of levels) {
    log(`embedded SQLite: ${count} messages, worker concurrency ${concurrency}…`)
    const result = child([
      '--pass',
      String(concurrency),
      '--template',
      template,
      '--messages',
      String(count),
      '--senders',
      String(senders),
      '--clients',
      String(clients),
      ...(flags.profile ? ['--profile', flags.profile] : []),
    ]) as Awaited<ReturnType<typeof pass>>
    log(
      `  ${result.messagesPerSecond} msg/s (wall ${result.wallSeconds} s), p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, CPU ${result.cpuSeconds} s, RSS ${result.rssMbAfter} MB, failed ${result.failedRuns}`,
    )
    passes.push(result)
  }
  rmSync(template, { recursive: true, force: true })

  const workerCounts = String(flags['queue-workers'])
    .split(',')
    .map(Number)
    .filter((n) => n > 0)
  const testServices = loadTestServices(process.env)
  const services = {
    postgresUrl: testServices.postgresUrl ?? 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: testServices.redisUrl ?? 'redis://127.0.0.1:6379',
  }
  const queuePasses: Awaited<ReturnType<typeof queuePass>>[] = []
  const down = workerCounts.length > 0 ? await servicesUp(services) : 'not asked for (--queue-workers 0)'
  if (down) log(`queue mode skipped: ${down}`)
  for (const workers of down ? [] : workerCounts) {
    log(`queue mode (Postgres + Redis): ${count} messages, ${workers} worker process(es)…`)
    const result = child([
      '--queue-pass',
      String(workers),
      '--worker-concurrency',
      String(flags['worker-concurrency']),
      '--template',
      JSON.stringify(services),
      '--messages',
      String(count),
      '--senders',
      String(senders),
      '--clients',
      String(clients),
      ...(flags['worker-profile'] ? ['--worker-profile', flags['worker-profile']] : []),
    ]) as Awaited<ReturnType<typeof queuePass>>
    log(
      `  ${result.messagesPerSecond} msg/s (wall ${result.wallSeconds} s), p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, CPU API ${result.cpuSeconds.apiProcess} s, workers ${result.cpuSeconds.workers.join(' + ')} s, Postgres ${result.cpuSeconds.postgresServer} s, failed ${result.failedRuns}`,
    )
    queuePasses.push(result)
  }
  const bestRate = Math.max(0, ...passes.map((p) => p.messagesPerSecond))
  const queueRate = (workers: number) =>
    queuePasses.find((p) => p.workers === workers)?.messagesPerSecond ?? null
  const nothingLostOrDoubled = (p: (typeof passes)[number] | (typeof queuePasses)[number]) =>
    Object.values(p.runsPerMessage).every((r) => r.min === 1 && r.max === 1) &&
    p.unfinishedRuns === 0 &&
    p.replies.maxRepliesPerInbound <= 1 &&
    p.replies.conversationsWithMoreOutboundThanInbound === 0 &&
    p.terminalEffects.runsWithMoreThanOne === 0 &&
    p.terminalEffects.messagesWithoutAnyEffect === 0 &&
    p.terminalEffects.maxDecisionsPerMessage <= 1
  const out = {
    date: new Date().toISOString().slice(0, 10),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    setup: {
      messages: count,
      senders,
      clients,
      texts: 'data/agent/scenarios.jsonl (cycled)',
      knowledge: 'demo knowledge base, product links stripped',
      llm: false,
      path: 'crm.inbound.receiveApiMessage + workflows.engine.trigger(message.received) as routes/channels.ts; embedded: database queue worked in process, pollMs 5; queue mode: BullMQ on Redis, `agentcrm worker` processes, Postgres',
      queueWorkerConcurrency: Number(flags['worker-concurrency']),
    },
    embedded: passes,
    queue: queuePasses,
    queueSkipped: down,
    floors: {
      'embedded >= 500 msg/s on 2 cores': bestRate >= 500,
      'stretch embedded >= 1000 msg/s': bestRate >= 1000,
      'stretch RSS < 400 MB': passes.every((p) => p.rssMbAfter < 400),
      'one run per workflow per message': passes.every((p) =>
        Object.values(p.runsPerMessage).every((r) => r.min === 1 && r.max === 1),
      ),
      'never two replies to one message': [...passes, ...queuePasses].every(
        (p) => p.replies.maxRepliesPerInbound <= 1,
      ),
      'nothing lost or duplicated (every pass)': [...passes, ...queuePasses].every(nothingLostOrDoubled),
      'queue mode: 2 workers at least as fast as 1':
        queueRate(1) === null || queueRate(2) === null ? null : (queueRate(2) ?? 0) >= (queueRate(1) ?? 0),
    },
    totalSeconds: Math.round((Date.now() - started) / 1000),
  }
  if (!flags['no-write']) {
    writeFileSync(join(ROOT, 'bench/results/flow.json'), `${JSON.stringify(out, null, 2)}\n`)
    log('wrote bench/results/flow.json')
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
}

await main()
