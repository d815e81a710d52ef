import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { cliActor } from '../../src/crm/index.js'
import type { RunRecord } from '../../src/workflow/engine.js'
import type { WorkflowDefinition } from '../../src/workflow/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { until } from '../support/wait.js'
import { describeEachDatabase } from '../support/databases.js'
import { importDemoKnowledge } from '../support/knowledge.js'
import { countRows, deliverApiMessage } from '../support/records.js'

describeEachDatabase('workflow engine', (database) => {
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

  async function runFor(messageId: string, key = 'inbound-inquiry'): Promise<RunRecord> {
    const page = await t.app.workflows.runs.list({ filters: { messageId, workflowKey: key } })
    expect(page.items).toHaveLength(1)
    return (await t.app.workflows.runs.get(page.items[0].id)) as RunRecord
  }

  async function settled(runId: string): Promise<RunRecord> {
    let run: RunRecord | null = null
    await until(async () => {
      run = await t.app.workflows.runs.get(runId)
      return run !== null && ['done', 'failed', 'cancelled', 'waiting'].includes(run.status)
    })
    return run as unknown as RunRecord
  }

  it('answers an inbound message through the built-in workflow: one run, even when the message is delivered twice', async () => {
    const received = await deliver('退款多久到账？钱会退到哪里', 'wf-refund-1')
    await deliver('退款多久到账？钱会退到哪里', 'wf-refund-1')
    const run = await runFor(received.messageId)
    expect(run.status).toBe('running')
    startWorker()
    const finished = await settled(run.id)
    expect(finished.status, finished.error ?? '').toBe('done')
    const steps = (await t.app.workflows.runs.steps(run.id)).map((step) => step.stepId)
    expect(steps.slice(0, 3)).toEqual(['perceive', 'reason', 'person-handles'])
    expect(new Set(steps).size).toBe(steps.length)
    // the enrichment run: nothing to collect, each step recorded once
    const enrichment = await settled((await runFor(received.messageId, 'customer-enrichment')).id)
    expect(enrichment.status).toBe('done')
    const enrichmentSteps = (await t.app.workflows.runs.steps(enrichment.id)).map((step) => step.stepId)
    expect(enrichmentSteps).toEqual(['perceive', 'reveals-contact'])
    const decision = await t.app.agent.repository.decisionForMessage(received.messageId)
    expect(finished.facts['decision.action']).toBe(decision.action)
    const thread = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/conversations/${received.conversationId}/messages`,
    })
    const outbound = thread.json().items.filter((m: { direction: string }) => m.direction === 'outbound')
    const approvals = await countRows(t, 'approvals')
    if (decision.action === 'answer') {
      expect(steps).toContain('reply')
      expect(outbound).toHaveLength(1)
      expect(outbound[0]).toMatchObject({ deliveryStatus: 'pending', authorKind: 'ai' })
    } else {
      expect(decision.action).toBe('answer_with_approval')
      expect(steps).toContain('draft')
      expect(outbound).toHaveLength(0)
      expect(approvals).toBeGreaterThan(0)
    }
  })

  it('hands a request for a person to the team: the handler becomes human and the team is notified', async () => {
    const received = await deliver('I want to talk to a real person please', 'wf-person-1')
    startWorker()
    const finished = await settled((await runFor(received.messageId)).id)
    expect(finished.status).toBe('done')
    expect(finished.facts['decision.action']).toBe('hand_off')
    const conversation = await t.app.crm.conversations.get(received.conversationId)
    expect(conversation.handler).toBe('human')
    const notices = await t.app.store.db
      .selectFrom('notifications')
      .select('kind')
      .where('conversationId', '=', received.conversationId)
      .execute()
    expect(notices.map((n) => n.kind)).toContain('hand_off')
  })

  it('only suggests while a person handles the conversation: no AI message is sent', async () => {
    const first = await deliver('hello, quick question', 'wf-human-1', 'human-case@example.com')
    await t.request('agent', {
      method: 'POST',
      url: `/api/v1/conversations/${first.conversationId}/takeover`,
      payload: {},
    })
    const received = await deliver('退款多久到账？钱会退到哪里', 'wf-human-2', 'human-case@example.com')
    expect(received.conversationId).toBe(first.conversationId)
    const before = await t.app.store.db
      .selectFrom('messages')
      .select('id')
      .where('conversationId', '=', received.conversationId)
      .where('authorKind', '=', 'ai')
      .execute()
    startWorker()
    const finished = await settled((await runFor(received.messageId)).id)
    expect(finished.status, finished.error ?? '').toBe('done')
    expect(finished.facts['conversation.handler']).toBe('human')
    const after = await t.app.store.db
      .selectFrom('messages')
      .select('id')
      .where('conversationId', '=', received.conversationId)
      .where('authorKind', '=', 'ai')
      .execute()
    expect(after).toHaveLength(before.length)
    const suggestions = await t.app.store.db
      .selectFrom('approvals')
      .select(['status'])
      .where('conversationId', '=', received.conversationId)
      .execute()
    expect(suggestions.length).toBeGreaterThan(0)
  })

  it('advances a run once when the same job is delivered twice at the same time', async () => {
    const received = await deliver('do you ship to Xinjiang? how much is shipping', 'wf-twice-1')
    const run = await runFor(received.messageId)
    for (let i = 0; i < 12; i++) {
      await Promise.all([t.app.workflows.engine.advance(run.id), t.app.workflows.engine.advance(run.id)])
    }
    const finished = await t.app.workflows.runs.get(run.id)
    expect(finished?.status).toBe('done')
    const ai = await t.app.store.db
      .selectFrom('messages')
      .select('id')
      .where('conversationId', '=', received.conversationId)
      .where('direction', '=', 'outbound')
      .execute()
    expect(ai.length).toBeLessThanOrEqual(1)
    const steps = (await t.app.workflows.runs.steps(run.id)).map((step) => step.stepId)
    expect(new Set(steps).size).toBe(steps.length)
  })

  it('waits on a timer that survives in the queue, then finishes; a failing step fails the run visibly and can be retried', async () => {
    const definition: WorkflowDefinition = {
      key: 'wait-then-note',
      name: 'Wait, then note',
      trigger: { type: 'manual', subject: 'conversation' },
      steps: [
        { id: 'pause', type: 'wait', duration: 'PT1H', next: 'note' },
        { id: 'note', type: 'action', action: 'add_note', input: { body: 'checked after an hour' } },
      ],
    } as unknown as WorkflowDefinition
    await t.app.workflows.repository.save(definition, 'api', cliActor)
    const received = await deliver('hi', 'wf-wait-1')
    const run = await t.app.workflows.engine.runManually('wait-then-note', {
      conversationId: received.conversationId,
    })
    startWorker()
    const waiting = await settled(run.id)
    expect(waiting.status).toBe('waiting')
    expect(waiting.waitingFor).toMatchObject({ stepId: 'pause' })
    t.clock.advance(3_600_000)
    await until(async () => (await t.app.workflows.runs.get(run.id))?.status === 'done')
    const notes = await t.app.store.db
      .selectFrom('notes')
      .select('body')
      .where('conversationId', '=', received.conversationId)
      .execute()
    expect(notes.map((n) => n.body)).toContain('checked after an hour')

    const broken: WorkflowDefinition = {
      key: 'broken-webhook',
      name: 'Broken',
      trigger: { type: 'manual', subject: 'conversation' },
      steps: [{ id: 'call', type: 'webhook', url: 'https://example.com/hook', method: 'POST' }],
    } as unknown as WorkflowDefinition
    await t.app.workflows.repository.save(broken, 'api', cliActor)
    const failing = await t.app.workflows.engine.runManually('broken-webhook', {
      conversationId: received.conversationId,
    })
    const failed = await settled(failing.id)
    expect(failed.status).toBe('failed')
    expect(failed.error).toContain('WORKFLOW_ACTION_UNAVAILABLE')
    const listed = await t.request('viewer', { method: 'GET', url: '/api/v1/workflow-runs?status=failed' })
    expect(listed.json().items.map((r: { id: string }) => r.id)).toContain(failing.id)
    // the notice follows the failure (its own write, just after the run's)
    await until(async () => {
      const notices = await t.app.store.db
        .selectFrom('notifications')
        .select('kind')
        .where('kind', '=', 'workflow_failed')
        .execute()
      return notices.length > 0
    })
    const retried = await t.request('agent', {
      method: 'POST',
      url: `/api/v1/workflow-runs/${failing.id}/retry`,
    })
    expect(retried.statusCode, retried.body).toBe(200)
    expect((await settled(failing.id)).status).toBe('failed')
    const again = await t.request('agent', { method: 'POST', url: `/api/v1/workflow-runs/${run.id}/retry` })
    expect(again.statusCode).toBe(409)
    const detail = await t.request('viewer', { method: 'GET', url: `/api/v1/workflow-runs/${failing.id}` })
    expect(detail.json().steps.filter((s: { status: string }) => s.status === 'failed')).toHaveLength(2)
  })
})
