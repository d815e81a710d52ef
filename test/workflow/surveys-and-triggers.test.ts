import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { cliActor } from '../../src/crm/index.js'
import type { RunRecord } from '../../src/workflow/engine.js'
import { createScheduler, type WorkflowDefinition } from '../../src/workflow/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { until } from '../support/wait.js'
import { deliverApiMessage } from '../support/records.js'
import { describeEachDatabase } from '../support/databases.js'
import { importDemoKnowledge } from '../support/knowledge.js'

describeEachDatabase('surveys, triggers and the scheduler', (database) => {
  let t: TestApp
  let worker: { stop(): Promise<void> } | null = null
  beforeAll(async () => {
    t = await createTestApp(database)
    await t.app.ensureBuiltinModels()
    await importDemoKnowledge(t.app)
  }, 120_000)
  afterEach(async () => {
    await worker?.stop()
    worker = null
  })
  afterAll(async () => t?.dispose())

  const startWorker = () => {
    worker = t.app.queue().work(t.app.workflows.engine.handle, { pollMs: 10 })
  }

  const deliver = (text: string, messageId: string, email?: string) =>
    deliverApiMessage(t, text, messageId, email)

  async function runsOf(key: string, filters: Record<string, string> = {}): Promise<RunRecord[]> {
    const page = await t.app.workflows.runs.list({ filters: { workflowKey: key, ...filters } })
    return Promise.all(page.items.map(async (run) => (await t.app.workflows.runs.get(run.id)) as RunRecord))
  }

  async function settledRuns(
    key: string,
    filters: Record<string, string> = {},
    statuses = ['done', 'failed', 'waiting'],
  ) {
    let runs: RunRecord[] = []
    await until(async () => {
      runs = await runsOf(key, filters)
      return runs.length > 0 && runs.every((run) => statuses.includes(run.status))
    })
    return runs
  }

  /** Saves a workflow and enables it (a new workflow is saved disabled). */
  async function save(definition: { key: string } & Record<string, unknown>) {
    await t.app.workflows.repository.save(definition as unknown as WorkflowDefinition, 'api', cliActor)
    await t.app.workflows.repository.setEnabled(definition.key, true, cliActor)
  }

  it('sends a CSAT survey in the customer’s language an hour after resolution; a low score opens a task and notifies the team; a survey is answered once', async () => {
    const received = await deliver('Hello, how long does shipping to Shanghai take?', 'srv-en-1')
    startWorker()
    await settledRuns('inbound-inquiry', { messageId: received.messageId })
    const resolved = await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/conversations/${received.conversationId}`,
      payload: { status: 'resolved' },
    })
    expect(resolved.statusCode, resolved.body).toBe(200)
    const [waiting] = await settledRuns('csat-survey', { conversationId: received.conversationId })
    expect(waiting.status).toBe('waiting')
    expect(waiting.waitingFor).toMatchObject({ stepId: 'wait-an-hour' })
    // patching the resolved conversation again starts no second survey run
    await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/conversations/${received.conversationId}`,
      payload: { priority: 'high' },
    })
    expect(await runsOf('csat-survey', { conversationId: received.conversationId })).toHaveLength(1)

    t.clock.advance(3_600_000)
    let survey: { text: string } | undefined
    await until(async () => {
      survey = (await t.app.store.db
        .selectFrom('messages')
        .select(['text'])
        .where('conversationId', '=', received.conversationId)
        .where('authorKind', '=', 'system')
        .executeTakeFirst()) as { text: string } | undefined
      return survey !== undefined
    })
    expect(survey?.text).toContain('How satisfied are you')
    expect(survey?.text).not.toContain('满意')
    const token = /\/api\/v1\/surveys\/([A-Za-z0-9_-]+)/.exec(survey?.text ?? '')?.[1] ?? ''
    expect(token.length).toBeGreaterThan(30)
    const [sent] = await settledRuns('csat-survey', { conversationId: received.conversationId })
    expect(sent.waitingFor).toMatchObject({ stepId: 'wait-for-answer', event: 'survey.answered' })

    const outOfRange = await t.request(null, {
      method: 'POST',
      url: `/api/v1/surveys/${token}`,
      payload: { score: 6 },
    })
    expect(outOfRange.statusCode).toBe(400)
    const answered = await t.request(null, {
      method: 'POST',
      url: `/api/v1/surveys/${token}`,
      payload: { score: 2, comment: 'Took too long' },
    })
    expect(answered.statusCode, answered.body).toBe(200)
    const again = await t.request(null, {
      method: 'POST',
      url: `/api/v1/surveys/${token}`,
      payload: { score: 5 },
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('SURVEY_ALREADY_ANSWERED')
    const unknown = await t.request(null, {
      method: 'POST',
      url: `/api/v1/surveys/${'x'.repeat(43)}`,
      payload: { score: 5 },
    })
    expect(unknown.statusCode).toBe(404)

    const [done] = await settledRuns('csat-survey', { conversationId: received.conversationId }, [
      'done',
      'failed',
    ])
    expect(done.status, done.error ?? '').toBe('done')
    expect(done.facts['survey.score']).toBe(2)
    const tasks = await t.app.store.db
      .selectFrom('tasks')
      .select(['title', 'description', 'priority', 'dueAt'])
      .where('conversationId', '=', received.conversationId)
      .execute()
    expect(tasks).toHaveLength(1)
    expect(tasks[0].title).toContain('2/5')
    expect(tasks[0]).toMatchObject({ description: 'Took too long', priority: 'high' })
    expect(tasks[0].dueAt).not.toBeNull()
    const notices = await t.app.store.db
      .selectFrom('notifications')
      .select(['kind', 'userId'])
      .where('conversationId', '=', received.conversationId)
      .where('kind', '=', 'workflow_notice')
      .execute()
    expect(notices).toEqual([{ kind: 'workflow_notice', userId: null }])
  })

  it('sends the survey in Chinese to a customer who wrote in Chinese', async () => {
    const received = await deliver('你好，请问发货要多久？', 'srv-zh-1')
    startWorker()
    await settledRuns('inbound-inquiry', { messageId: received.messageId })
    await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/conversations/${received.conversationId}`,
      payload: { status: 'resolved' },
    })
    await settledRuns('csat-survey', { conversationId: received.conversationId })
    t.clock.advance(3_600_000)
    await until(async () => {
      const [run] = await runsOf('csat-survey', { conversationId: received.conversationId })
      return run?.waitingFor?.stepId === 'wait-for-answer'
    })
    const survey = await t.app.store.db
      .selectFrom('messages')
      .select(['text'])
      .where('conversationId', '=', received.conversationId)
      .where('authorKind', '=', 'system')
      .executeTakeFirstOrThrow()
    expect(survey.text).toContain('您对本次服务满意吗')
  })

  it('starts runs of workflows triggered by order.created and event.tracked (filtered by event name)', async () => {
    await save({
      key: 'order-note',
      name: 'Note new orders',
      trigger: { type: 'order.created' },
      steps: [{ id: 'tag', type: 'action', action: 'tag', input: { target: 'customer', add: ['ordered'] } }],
    })
    await save({
      key: 'signup-note',
      name: 'Note sign-ups',
      trigger: { type: 'event.tracked', eventName: 'signup' },
      steps: [
        { id: 'tag', type: 'action', action: 'tag', input: { target: 'customer', add: ['signed-up'] } },
      ],
    })
    const post = async (url: string, payload: object) => {
      const response = await t.request('agent', { method: 'POST', url, payload })
      expect(response.statusCode, response.body).toBe(201)
      return response.json() as { id: string }
    }
    const customer = await post('/api/v1/customers', {
      name: 'Order Person',
      email: 'order-person@example.com',
    })
    startWorker()
    const order = await post('/api/v1/orders', {
      number: 'SRV-0001',
      customerId: customer.id,
      currency: 'CNY',
      items: [{ sku: 'LM-AUD-001', quantity: 1, unitPrice: { amount: 100, currency: 'CNY' } }],
    })
    const [orderRun] = await settledRuns('order-note', { customerId: customer.id }, ['done', 'failed'])
    expect(orderRun.status, orderRun.error ?? '').toBe('done')
    expect(orderRun.trigger).toMatchObject({ type: 'order.created', orderId: order.id })
    await post('/api/v1/events', { type: 'page_view', customerId: customer.id })
    await post('/api/v1/events', { type: 'signup', customerId: customer.id })
    const [eventRun] = await settledRuns('signup-note', { customerId: customer.id }, ['done', 'failed'])
    expect(eventRun.status, eventRun.error ?? '').toBe('done')
    expect(await runsOf('signup-note', { customerId: customer.id })).toHaveLength(1)
    const tagged = await t.app.crm.customers.get(customer.id)
    expect([...tagged.tags].sort()).toEqual(['ordered', 'signed-up'])
  })

  it('enqueues one tick per cron slot even with two schedulers, and the tick starts one run', async () => {
    await save({
      key: 'quarter-hour',
      name: 'Every quarter hour',
      trigger: { type: 'schedule', cron: '*/15 * * * *', timeZone: 'UTC' },
      steps: [{ id: 'pause', type: 'wait', duration: 'PT1M' }],
    })
    const options = {
      workflows: {
        enabled: async () =>
          (await t.app.workflows.repository.all({ enabled: true, triggerType: 'schedule' }))
            .filter((w) => w.key === 'quarter-hour')
            .map((w) => ({ id: w.id, key: w.key, version: w.version, definition: w.definition })),
      },
      queue: t.app.queue,
      clock: t.clock,
      timeZone: async () => 'UTC',
    }
    const first = createScheduler(options)
    const second = createScheduler(options)
    await first.tick()
    await second.tick()
    t.clock.advance(15 * 60_000)
    const [a, b] = [await first.tick(), await second.tick()]
    expect(a).toHaveLength(1)
    expect(b.map((job) => job.key)).toEqual(a.map((job) => job.key))
    expect(a[0].duplicate).toBe(false)
    expect(b[0].duplicate).toBe(true)
    startWorker()
    const runs = await settledRuns('quarter-hour')
    const slots = new Set(runs.map((run) => run.trigger.type))
    expect(slots).toEqual(new Set(['schedule']))
    // the runs started are one per distinct slot enqueued (the first ticks may have caught one up too)
    expect(runs.length).toBeLessThanOrEqual(2)
    expect(await t.app.queue().stats()).toBeDefined()
  })

  it('calls a webhook with a signed JSON POST; a 500 is retried, then the run fails visibly', async () => {
    const calls: { headers: IncomingHttpHeaders; body: string }[] = []
    const server: Server = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        calls.push({ headers: request.headers, body })
        response.statusCode = 500
        response.end('no')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    try {
      await save({
        key: 'hook-call',
        name: 'Call a hook',
        trigger: { type: 'manual', subject: 'conversation' },
        steps: [
          {
            id: 'call',
            type: 'action',
            action: 'call_webhook',
            input: { url: `http://127.0.0.1:${port}/hook`, body: { status: '{{conversation.status}}' } },
          },
        ],
      })
      const received = await deliver('hi there', 'srv-hook-1')
      const run = await t.app.workflows.engine.runManually('hook-call', {
        conversationId: received.conversationId,
      })
      startWorker()
      await until(async () => {
        t.clock.advance(10 * 60_000)
        return (await t.app.workflows.runs.get(run.id))?.status === 'failed'
      }, 30_000)
      const failed = (await t.app.workflows.runs.get(run.id)) as RunRecord
      expect(failed.error).toContain('WORKFLOW_WEBHOOK_FAILED')
      expect(calls).toHaveLength(5)
      expect(JSON.parse(calls[0].body)).toEqual({ status: expect.any(String) })
      expect(calls[0].headers['x-agentcrm-signature']).toMatch(/^v1=[0-9a-f]{64}$/)
      expect(calls[0].headers['idempotency-key']).toBe(`${run.id}:call`)
      const notices = await t.app.store.db
        .selectFrom('notifications')
        .select('kind')
        .where('conversationId', '=', received.conversationId)
        .where('kind', '=', 'workflow_failed')
        .execute()
      expect(notices).toHaveLength(1)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
