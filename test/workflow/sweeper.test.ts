import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, newId } from '../../src/core/index.js'
import { cliActor } from '../../src/crm/index.js'
import type { RunRecord } from '../../src/workflow/engine.js'
import type { WorkflowDefinition } from '../../src/workflow/index.js'
import { createSweepRepository } from '../../src/store/index.js'
import { createSweeper, DEFAULT_SWEEP_GRACE_MS } from '../../src/workflow/sweeper.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'

const DAY = 86_400_000

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('retention settings', () => {
  it('default to 30 days for runs and 365 for decision records, and are read from the environment', () => {
    expect(loadConfig({})).toMatchObject({
      runRetentionDays: 30,
      decisionRetentionDays: 365,
      queuePrefix: null,
    })
    expect(
      loadConfig({
        AGENTCRM_RUN_RETENTION_DAYS: '7',
        AGENTCRM_DECISION_RETENTION_DAYS: '730',
        AGENTCRM_QUEUE_PREFIX: 'staging',
      }),
    ).toMatchObject({ runRetentionDays: 7, decisionRetentionDays: 730, queuePrefix: 'staging' })
    expect(() => loadConfig({ AGENTCRM_RUN_RETENTION_DAYS: 'forever' })).toThrow(
      /AGENTCRM_RUN_RETENTION_DAYS "forever" is not a number of days/,
    )
    expect(() => loadConfig({ AGENTCRM_DECISION_RETENTION_DAYS: '0' })).toThrow(/from 1 to 36500/)
  })
})

describeEachDatabase('workflow sweeper and retention', (database) => {
  let t: TestApp
  let worker: { stop(): Promise<void> } | null = null
  beforeAll(async () => {
    t = await createTestApp(database)
    await t.app.workflows.repository.save(
      {
        key: 'pause-an-hour',
        name: 'Pause an hour',
        trigger: { type: 'manual' },
        steps: [{ id: 'pause', type: 'wait', duration: 'PT1H' }],
      } as unknown as WorkflowDefinition,
      'api',
      cliActor,
    )
    await t.app.workflows.repository.setEnabled('pause-an-hour', true, cliActor)
  }, 60_000)
  afterEach(async () => {
    await worker?.stop()
    worker = null
  })
  afterAll(async () => t?.dispose())

  const startWorker = () => {
    worker = t.app.queue().work(t.app.workflows.engine.handle, { pollMs: 10 })
  }
  const run = async (id: string) => (await t.app.workflows.runs.get(id)) as RunRecord
  /** The queue lost every job (Redis flushed, or the enqueue after the run row failed). */
  const loseJobs = () => t.app.store.db.deleteFrom('jobs').execute()
  const jobsFor = async (runId: string) =>
    (await t.app.store.db.selectFrom('jobs').select(['name', 'payload']).execute()).filter((job) =>
      JSON.stringify(job.payload).includes(runId),
    )

  it('re-enqueues a running run whose job was lost, once however often it sweeps, and fires a lost timer', async () => {
    const sweeper = t.app.workflows.sweeper
    const started = await t.app.workflows.engine.runManually('pause-an-hour', {})
    await loseJobs()
    // within the grace period nothing is touched: the job may just be queued behind others
    expect(await sweeper.sweep()).toEqual([])
    t.clock.advance(DEFAULT_SWEEP_GRACE_MS + 1000)
    const first = await sweeper.sweep()
    expect(first.map((entry) => [entry.runId, entry.job])).toEqual([[started.id, 'workflow.advance']])
    // a second sweep — this process again, or another one — enqueues nothing more
    expect(await sweeper.sweep()).toEqual([])
    // a second process sweeping the same stale state at once: the claim lets one through
    const other = createSweeper({
      store: createSweepRepository({ store: t.app.store, clock: t.clock, defaultRegion: 'CN' }),
      queue: t.app.queue,
      clock: t.clock,
    })
    expect(await other.sweep()).toEqual([])
    expect(await jobsFor(started.id)).toHaveLength(1)

    startWorker()
    await until(async () => (await run(started.id)).status === 'waiting')
    expect((await run(started.id)).waitingFor).toMatchObject({ stepId: 'pause' })

    // the timer job is lost too; once the timer is overdue past the grace period the sweeper fires it
    await loseJobs()
    t.clock.advance(3_600_000)
    expect(await sweeper.sweep()).toEqual([])
    t.clock.advance(DEFAULT_SWEEP_GRACE_MS + 1000)
    const resumed = await sweeper.sweep()
    expect(resumed.map((entry) => [entry.runId, entry.job])).toEqual([[started.id, 'workflow.resume']])
    expect(await sweeper.sweep()).toEqual([])
    await until(async () => (await run(started.id)).status === 'done')
    const steps = await t.app.workflows.runs.steps(started.id)
    expect(steps.map((step) => [step.stepId, step.status])).toEqual([
      ['pause', 'waiting'],
      ['pause', 'done'],
    ])
  })

  it('leaves runs alone that are waiting for an event, or whose timer is not due', async () => {
    const started = await t.app.workflows.engine.runManually('pause-an-hour', {})
    startWorker()
    await until(async () => (await run(started.id)).status === 'waiting')
    t.clock.advance(DEFAULT_SWEEP_GRACE_MS * 5)
    const swept = await t.app.workflows.sweeper.sweep()
    expect(swept.map((entry) => entry.runId)).not.toContain(started.id)
  })

  it('prunes finished runs and their steps after the run retention, decision records after theirs', async () => {
    const db = t.app.store.db
    const now = t.clock.now().getTime()
    const iso = (ms: number) => new Date(ms).toISOString()
    const make = async (status: string, finishedAgoDays: number | null) => {
      const created = await t.app.workflows.engine.runManually('pause-an-hour', {})
      await db
        .updateTable('workflow_runs')
        .set({
          status,
          finishedAt: finishedAgoDays === null ? null : iso(now - finishedAgoDays * DAY),
          updatedAt: iso(now - (finishedAgoDays ?? 40) * DAY),
        })
        .where('id', '=', created.id)
        .execute()
      await db
        .insertInto('workflow_run_steps')
        .values({
          id: newId('workflowStep', now),
          runId: created.id,
          stepId: 'pause',
          stepType: 'wait',
          status: 'done',
          attempt: 1,
          output: null,
          error: null,
          nextStep: null,
          startedAt: iso(now - 40 * DAY),
          finishedAt: iso(now - 40 * DAY),
        })
        .execute()
      return created.id
    }
    const oldDone = await make('done', 31)
    const oldFailed = await make('failed', 45)
    const oldCancelled = await make('cancelled', 60)
    const recentDone = await make('done', 29)
    const oldRunning = await make('running', null)
    const decision = async (agoDays: number) => {
      const id = newId('decision', now)
      await db
        .insertInto('agent_decisions')
        .values({
          id,
          action: 'answer',
          confidence: 0.9,
          record: t.app.store.codec.json({ action: 'answer' }),
          createdAt: iso(now - agoDays * DAY),
        })
        .execute()
      return id
    }
    const oldDecision = await decision(400)
    const keptDecision = await decision(200)
    const recentDecision = await decision(1)

    const pruned = await t.app.workflows.sweeper.prune()
    expect(pruned.runs).toBeGreaterThanOrEqual(3)
    const runIds = (await db.selectFrom('workflow_runs').select('id').execute()).map((row) => row.id)
    expect(runIds).not.toContain(oldDone)
    expect(runIds).not.toContain(oldFailed)
    expect(runIds).not.toContain(oldCancelled)
    expect(runIds).toContain(recentDone)
    expect(runIds).toContain(oldRunning)
    const stepRuns = (await db.selectFrom('workflow_run_steps').select('runId').execute()).map(
      (row) => row.runId,
    )
    expect(stepRuns).not.toContain(oldDone)
    expect(stepRuns).toContain(recentDone)
    const decisions = (await db.selectFrom('agent_decisions').select('id').execute()).map((row) => row.id)
    expect(decisions).not.toContain(oldDecision)
    expect(decisions).toContain(keptDecision)
    expect(decisions).toContain(recentDecision)

    // decision records follow their own period: a shorter one takes the 200-day-old record too
    const strict = createSweeper({
      store: createSweepRepository({ store: t.app.store, clock: t.clock, defaultRegion: 'CN' }),
      queue: t.app.queue,
      clock: t.clock,
      decisionRetentionMs: 100 * DAY,
      runRetentionMs: 365 * DAY,
    })
    expect(await strict.prune()).toEqual({ runs: 0, decisions: 1 })
    const left = (await db.selectFrom('agent_decisions').select('id').execute()).map((row) => row.id)
    expect(left).toEqual([recentDecision])
    expect((await db.selectFrom('workflow_runs').select('id').execute()).map((row) => row.id)).toContain(
      recentDone,
    )
  })
})
