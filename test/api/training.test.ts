import { afterAll, beforeAll, expect, it } from 'vitest'
import { cliActor } from '../../src/crm/index.js'
import {
  createTrainingJobs,
  INTERRUPTED_MESSAGE,
  type RetrainProgress,
  type RetrainResult,
} from '../../src/learning/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'

describeEachDatabase('training jobs and evaluation reports API', (database) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(database)
    await t.app.ensureBuiltinModels()
  }, 120_000)
  afterAll(async () => t?.dispose())

  const start = (task: string, role: 'admin' | 'agent' = 'admin') =>
    t.request(role, { method: 'POST', url: '/api/v1/nlu/training-jobs', payload: { task } })
  const job = (id: string) => t.request('viewer', { method: 'GET', url: `/api/v1/nlu/training-jobs/${id}` })

  it('serves the evaluation report of a built-in version: per-label table, confusion matrix, reliability, worst errors', async () => {
    const response = await t.request('viewer', {
      method: 'GET',
      url: '/api/v1/nlu/models/sentiment/1/report',
    })
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json()
    expect(body).toMatchObject({
      task: 'sentiment',
      version: 1,
      status: 'active',
      dataset: 'data/nlu/sentiment-test.jsonl',
    })
    const report = body.report
    expect(report.n).toBe(252)
    expect(Object.keys(report.per_label).sort()).toEqual(['negative', 'neutral', 'positive'])
    expect(report.per_label.positive.f1).toBeGreaterThan(0.5)
    expect(report.confusion_matrix.labels).toHaveLength(3)
    const cells = (report.confusion_matrix.matrix as number[][]).flat().reduce((a, b) => a + b, 0)
    expect(cells).toBe(252)
    expect(report.reliability).toHaveLength(10)
    expect(report.reliability.reduce((sum: number, bin: { count: number }) => sum + bin.count, 0)).toBe(252)
    expect(report.worst_errors.length).toBeGreaterThan(0)
    expect(report.worst_errors[0]).toEqual(
      expect.objectContaining({
        text: expect.any(String),
        label: expect.any(String),
        predicted: expect.any(String),
      }),
    )
    // stored on first request: the second answer is the same report
    const again = await t.request('viewer', { method: 'GET', url: '/api/v1/nlu/models/sentiment/1/report' })
    expect(again.json().createdAt).toBe(body.createdAt)
    const missing = await t.request('viewer', {
      method: 'GET',
      url: '/api/v1/nlu/models/sentiment/99/report',
    })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('NLU_MODEL_NOT_FOUND')
  })

  it('refuses agents (403), unknown tasks (400) and unknown jobs (404)', async () => {
    expect((await start('sentiment', 'agent')).statusCode).toBe(403)
    const unknown = await start('emotion')
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.message).toContain('task')
    const missing = await job('trn_nope')
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('NLU_TRAINING_JOB_NOT_FOUND')
  })

  it('retrains in the background: 202 with a queued job, 409 for a second job of the task, then a promoted version with its report', async () => {
    const response = await start('sentiment')
    expect(response.statusCode, response.body).toBe(202)
    const queued = response.json()
    expect(queued).toMatchObject({ task: 'sentiment', status: 'queued', progress: 0, modelVersion: null })
    expect(queued.id).toMatch(/^trn_[0-9A-Z]{26}$/)

    const second = await start('sentiment')
    expect(second.statusCode).toBe(409)
    expect(second.json().error).toMatchObject({ code: 'NLU_TRAINING_BUSY', details: { jobId: queued.id } })

    await t.app.training.jobs.idle()
    const done = (await job(queued.id)).json()
    expect(done).toMatchObject({
      status: 'succeeded',
      progress: 1,
      phase: 'done',
      modelVersion: 2,
      promoted: true,
      error: null,
    })
    // the same corpus and seed: as good as the active version, so promoted (retrain-if-not-worse)
    expect(done.message).toContain('sentiment v2')
    expect(done.result.test.macro_f1).toBeCloseTo(done.result.activeTest.macro_f1, 9)
    expect(done.startedAt).not.toBeNull()
    expect(done.finishedAt).not.toBeNull()

    const models = (
      await t.request('viewer', { method: 'GET', url: '/api/v1/nlu/models?task=sentiment' })
    ).json()
    expect(models.items.map((m: { version: number; status: string }) => `${m.version}:${m.status}`)).toEqual([
      '2:active',
      '1:retired',
    ])
    expect(t.app.nlu.versions().sentiment).toBe(2)
    const report = (
      await t.request('viewer', { method: 'GET', url: '/api/v1/nlu/models/sentiment/2/report' })
    ).json()
    expect(report.report.n).toBe(252)

    const list = (
      await t.request('viewer', { method: 'GET', url: '/api/v1/nlu/training-jobs?task=sentiment' })
    ).json()
    expect(list.items[0].id).toBe(queued.id)
    // the task is free again
    const third = await start('sentiment')
    expect(third.statusCode).toBe(202)
    await t.app.training.jobs.idle()
    expect((await job(third.json().id)).json().modelVersion).toBe(3)
  }, 120_000)

  it('records each progress report of a running job, and a failure with its message', async () => {
    let release!: (value: RetrainResult) => void
    let fail!: (error: Error) => void
    const progressSeen: RetrainProgress[] = []
    let report!: (progress: RetrainProgress) => void
    const reported = new Promise<void>((resolve) => {
      report = (progress) => {
        progressSeen.push(progress)
        resolve()
      }
    })
    const jobs = createTrainingJobs({
      jobs: t.app.training.repository,
      clock: t.clock,
      owner: 'test-runner',
      retrain: (_task, _actor, { onProgress }) =>
        new Promise<RetrainResult>((resolve, reject) => {
          release = resolve
          fail = reject
          onProgress({ phase: 'training', progress: 0.5, message: 'epoch 5 of at most 10' })
          report({ phase: 'training', progress: 0.5, message: 'epoch 5 of at most 10' })
        }),
    })
    const started = await jobs.start('intent', cliActor)
    await reported
    // the write of that progress is queued behind the "running" write; read until both landed
    let row = await t.app.training.repository.get(started.id)
    for (let i = 0; i < 200 && row.progress !== 0.5; i++) {
      await new Promise((resolve) => setImmediate(resolve))
      row = await t.app.training.repository.get(started.id)
    }
    expect(row).toMatchObject({
      status: 'running',
      phase: 'training',
      progress: 0.5,
      message: 'epoch 5 of at most 10',
    })
    expect(progressSeen).toHaveLength(1)
    expect((await start('intent')).statusCode).toBe(409)
    fail(new Error('the corpus has a single label'))
    await jobs.idle()
    expect(await t.app.training.repository.get(started.id)).toMatchObject({
      status: 'failed',
      phase: 'failed',
      error: 'training failed: the corpus has a single label',
    })
    expect(release).toBeTypeOf('function')
  })

  it('marks jobs of a stopped server failed: all of them when embedded serve starts, stale ones on read', async () => {
    const repository = t.app.training.repository
    const orphan = await repository.create({ task: 'intent', owner: 'a-stopped-process' }, cliActor)
    await repository.update(orphan.id, { status: 'running', progress: 0.3, phase: 'training' })
    expect(await t.app.training.jobs.recover(false)).toBe(0)
    expect(await t.app.training.jobs.recover(true)).toBe(1)
    expect((await job(orphan.id)).json()).toMatchObject({
      status: 'failed',
      message: INTERRUPTED_MESSAGE,
      progress: 0.3,
    })

    const stale = await repository.create({ task: 'intent', owner: 'another-process' }, cliActor)
    await repository.update(stale.id, { status: 'running' })
    expect((await job(stale.id)).json().status).toBe('running')
    t.clock.advance(60_000)
    expect((await job(stale.id)).json()).toMatchObject({ status: 'failed', error: INTERRUPTED_MESSAGE })
  })
})
