import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { cliActor } from '../../src/crm/index.js'
import { seedDemo } from '../../src/store/demo/seed-demo.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'

describeEachDatabase('language understanding in the app', (database) => {
  let t: TestApp
  const dir = mkdtempSync(join(tmpdir(), 'agentcrm-nlu-'))
  beforeAll(async () => {
    t = await createTestApp(database)
    await t.app.ensureBuiltinModels()
    await seedDemo(t.app.store, t.clock, cliActor, {
      customers: 120,
      seed: 3,
      events: 0,
      labelsFile: join(dir, 'labels.jsonl'),
    })
  }, 120_000)
  afterAll(async () => {
    await t?.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it('trains the built-in models once, registers them active with frozen-test metrics, and does not retrain', async () => {
    const models = await t.app.models.list()
    expect(models.map((m) => `${m.task}:v${m.version}:${m.status}`).sort()).toEqual([
      'intent:v1:active',
      'sentiment:v1:active',
    ])
    const intent = models.find((m) => m.task === 'intent')!
    expect((intent.metrics.test as { accuracy: number }).accuracy).toBeGreaterThan(0.85)
    expect(intent.artefactBytes).toBeLessThan(20 * 1024 * 1024)
    const again = await t.app.ensureBuiltinModels()
    expect(again.every((r) => !r.trained)).toBe(true)
  })

  it('perceives every demo message, agreeing with the ground-truth intents on most of them', async () => {
    const labels = readFileSync(join(dir, 'labels.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { text: string; intent: string })
    expect(labels.length).toBeGreaterThan(50)
    let correct = 0
    for (const label of labels) {
      const perception = await t.app.nlu.perceive(label.text)
      // Only a message with no letters or digits at all (say, a lone 👍) has no intent.
      if (/[\p{L}\p{N}]/u.test(label.text)) expect(perception.intent, label.text).not.toBeNull()
      if (perception.intent?.label === label.intent) correct++
    }
    // The built-in model never saw these texts: the demo generator and the corpora were written apart.
    const accuracy = correct / labels.length
    expect(accuracy).toBeGreaterThan(0.6)
  })

  it('answers POST /nlu/perceive with the CONTRACTS perception, redacting the customer’s own name', async () => {
    const customer = (
      await t.request('agent', {
        method: 'POST',
        url: '/api/v1/customers',
        payload: { name: 'Alice Zhang', locale: 'en-US' },
      })
    ).json()
    const response = await t.request('viewer', {
      method: 'POST',
      url: '/api/v1/nlu/perceive',
      payload: {
        text: 'Hi, this is Alice Zhang, I want a refund for order #582130, call me at +1 415 555 0100',
        customerId: customer.id,
      },
    })
    expect(response.statusCode).toBe(200)
    const perception = response.json()
    expect(perception.language).toBe('en')
    expect(perception.intent.label).toBe('refund_request')
    expect(perception.redactedText).not.toContain('Alice Zhang')
    expect(perception.redactedText).not.toContain('555 0100')
    expect(perception.entities.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['order_number', 'phone']),
    )
  })

  it('turns a correction into a training example, refuses unknown labels, and promotes and rolls back', async () => {
    const message = await t.app.store.db
      .selectFrom('messages')
      .select('id')
      .where('direction', '=', 'inbound')
      .executeTakeFirstOrThrow()
    const bad = await t.request('agent', {
      method: 'POST',
      url: `/api/v1/messages/${message.id}/labels`,
      payload: { task: 'intent', label: 'weather' },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toMatch(/known: .*order_status/)
    const ok = await t.request('agent', {
      method: 'POST',
      url: `/api/v1/messages/${message.id}/labels`,
      payload: { task: 'intent', label: 'complaint' },
    })
    expect(ok.statusCode).toBe(201)
    expect(ok.json()).toMatchObject({
      task: 'intent',
      label: 'complaint',
      source: 'correction',
      messageId: message.id,
    })
    expect(await t.app.models.examples('intent')).toHaveLength(1)

    const noEarlier = await t.request('admin', { method: 'POST', url: '/api/v1/nlu/models/intent/rollback' })
    expect(noEarlier.statusCode).toBe(409)
    const missing = await t.request('admin', { method: 'POST', url: '/api/v1/nlu/models/intent/7/promote' })
    expect(missing.statusCode).toBe(404)
  })
})
