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
 * Writes bench/results/flow.json.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createApp, type App } from '../../src/app.js'
import { parseScenarios } from '../../src/agent/index.js'
import { loadConfig } from '../../src/core/index.js'
import { cliActor } from '../../src/crm/index.js'
import { DEMO_KNOWLEDGE_DIR, importKnowledgePath } from '../../src/knowledge/index.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

const { values: flags } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000' },
    senders: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '1,4,16' },
    clients: { type: 'string', default: '8' },
    'no-write': { type: 'boolean', default: false },
    // internal: the child processes
    prepare: { type: 'string' },
    pass: { type: 'string' },
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

async function pass(template: string, concurrency: number, inbound: Inbound[], clients: number) {
  const dir = mkdtempSync(join(tmpdir(), 'agentcrm-bench-flow-run-'))
  cpSync(template, dir, { recursive: true })
  const app = await openApp(dir)
  const db = app.store.db
  // warm up: one message through everything (index built, models loaded), not measured
  // (English and Chinese: the cross-lingual dictionary loads on the first Chinese query)
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
  const worker = app.queue().work(app.workflows.engine.handle, { concurrency, pollMs: 5 })
  for (;;) {
    const open = await db
      .selectFrom('workflow_runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'running')
      .executeTakeFirstOrThrow()
    if (Number(open.n) === 0) break
    await sleep(5)
  }

  const submittedAt = new Map<string, number>() // stored message id → ms before submission
  const receiptErrors: string[] = []
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const wall0 = Date.now()
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
  const ingestMs = performance.now() - t0

  // until every run of these messages is terminal
  for (;;) {
    const open = await db
      .selectFrom('workflow_runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'running')
      .executeTakeFirstOrThrow()
    if (Number(open.n) === 0) break
    await sleep(2)
  }
  const wallMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  await worker.stop()
  const rssMb = process.memoryUsage().rss / 2 ** 20

  // checks
  const runs = await db
    .selectFrom('workflow_runs')
    .select([
      'id',
      'workflowKey',
      'messageId',
      'status',
      'currentStep',
      'error',
      'createdAt',
      'finishedAt',
      'updatedAt',
    ])
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
  const terminalStep: Record<string, number> = {}
  for (const r of inquiry) {
    // where the run ended: the last completed action step, read from its steps
    terminalStep[String(r.status)] = (terminalStep[String(r.status)] ?? 0) + 1
  }
  const steps = await db
    .selectFrom('workflow_run_steps')
    .select(['runId', 'stepId', 'stepType', 'status'])
    .where('stepType', '=', 'action')
    .execute()
  const inquiryIds = new Set(inquiry.map((r) => String(r.id)))
  const effects: Record<string, number> = {}
  for (const s of steps) {
    if (!inquiryIds.has(String(s.runId))) continue
    const key = `${s.stepId}:${s.status}`
    effects[key] = (effects[key] ?? 0) + 1
  }
  const noAction = inquiry.length - steps.filter((s) => inquiryIds.has(String(s.runId))).length

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
  const outbound = await db
    .selectFrom('messages')
    .select(['conversationId', 'direction', 'authorKind'])
    .where('direction', '=', 'outbound')
    .execute()
  const inboundRows = await db
    .selectFrom('messages')
    .select(['conversationId'])
    .where('direction', '=', 'inbound')
    .execute()
  const inPerConversation = new Map<string, number>()
  for (const m of inboundRows)
    inPerConversation.set(
      String(m.conversationId),
      (inPerConversation.get(String(m.conversationId)) ?? 0) + 1,
    )
  const outPerConversation = new Map<string, number>()
  for (const m of outbound)
    outPerConversation.set(
      String(m.conversationId),
      (outPerConversation.get(String(m.conversationId)) ?? 0) + 1,
    )
  const conversationsWithMoreOutThanIn = [...outPerConversation].filter(
    ([id, n]) => n > (inPerConversation.get(id) ?? 0),
  ).length
  const outbox = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const jobStats = await app.queue().stats()

  const latency = inquiry.map((r) => {
    const end = Date.parse(String(r.finishedAt ?? r.updatedAt))
    return end - (submittedAt.get(String(r.messageId)) ?? end)
  })
  const latencyAll = ours.map((r) => {
    const end = Date.parse(String(r.finishedAt ?? r.updatedAt))
    return end - (submittedAt.get(String(r.messageId)) ?? end)
  })
  const lastEnd = Math.max(...ours.map((r) => Date.parse(String(r.finishedAt ?? r.updatedAt))))

  await app.close()
  rmSync(dir, { recursive: true, force: true })

  const n = submittedAt.size
  const result = {
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
    lastRunFinishedAfterSeconds: round((lastEnd - wall0) / 1000, 3),
    latencyMs: percentiles(latency),
    latencyAllRunsMs: percentiles(latencyAll),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
    cpuMsPerMessage: round((cpu.user + cpu.system) / 1000 / n, 1),
    loadAverageAfter: loadavg().map((v) => round(v, 2)),
    cpuUserSeconds: round(cpu.user / 1e6, 2),
    cpuSystemSeconds: round(cpu.system / 1e6, 2),
    cpuCoresUsed: round((cpu.user + cpu.system) / 1000 / wallMs, 2),
    rssMbAfter: Math.round(rssMb),
    runs: ours.length,
    runsPerMessage,
    statuses,
    failedRuns: ours.filter((r) => r.status === 'failed').length,
    failedRunSample: ours
      .filter((r) => r.status === 'failed')
      .slice(0, 3)
      .map((r) => `${r.currentStep}: ${r.error}`),
    inquiryActions: { ...effects, none: noAction },
    replies: {
      outboundMessages: outbound.length,
      outboxRows: Number(outbox.n),
      runsWithReply: repliesPerRun.size,
      maxRepliesPerInbound: Math.max(0, ...repliesPerRun.values()),
      conversations: inPerConversation.size,
      conversationsWithMoreOutboundThanInbound: conversationsWithMoreOutThanIn,
    },
    jobs: jobStats,
  }
  return result
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
  const count = Number(flags.messages)
  const senders = Number(flags.senders)
  const clients = Number(flags.clients)
  const levels = String(flags.concurrency).split(',').map(Number)
  const started = Date.now()
  const template = mkdtempSync(join(tmpdir(), 'agentcrm-bench-flow-'))
  child(['--prepare', template])
  const passes = []
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
    ]) as Awaited<ReturnType<typeof pass>>
    log(
      `  ${result.messagesPerSecond} msg/s (wall ${result.wallSeconds} s), p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, CPU ${result.cpuSeconds} s, RSS ${result.rssMbAfter} MB, failed ${result.failedRuns}`,
    )
    passes.push(result)
  }
  rmSync(template, { recursive: true, force: true })
  const best = passes.reduce((a, b) => (b.messagesPerSecond > a.messagesPerSecond ? b : a))
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
      path: 'crm.inbound.receiveApiMessage + workflows.engine.trigger(message.received) as routes/channels.ts; database queue worked in process, pollMs 5',
    },
    embedded: passes,
    floors: {
      'embedded >= 500 msg/s on 2 cores': best.messagesPerSecond >= 500,
      'stretch embedded >= 1000 msg/s': best.messagesPerSecond >= 1000,
      'stretch RSS < 400 MB': passes.every((p) => p.rssMbAfter < 400),
      'one run per workflow per message': passes.every((p) =>
        Object.values(p.runsPerMessage).every((r) => r.min === 1 && r.max === 1),
      ),
      'never two replies to one message': passes.every((p) => p.replies.maxRepliesPerInbound <= 1),
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
