import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { handOffAction, notifyAction, runAction, type ActionContext } from '../../src/actions/index.js'
import { createApp, type App } from '../../src/app.js'
import { verifyWebhook } from '../../src/channels/index.js'
import { fixedClock, loadConfig } from '../../src/core/index.js'
import { cliActor, systemActor, workspacePatchSchema } from '../../src/crm/index.js'
import { createActionStore } from '../../src/store/index.js'
import { describeEachDatabase } from '../support/databases.js'
import { startSmtpServer } from '../support/smtp.js'

interface Hook {
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: Buffer
}

/** A chat-ops webhook receiver on loopback that answers with the statuses it is given, then 200. */
async function startHookServer() {
  const received: Hook[] = []
  const statuses: number[] = []
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks) })
      response.statusCode = statuses.shift() ?? 200
      response.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/hooks/team`,
    received,
    statuses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describeEachDatabase('notifications by email and chat-ops webhook', (database) => {
  let app: App
  let dispose: () => Promise<void>
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>
  let hooks: Awaited<ReturnType<typeof startHookServer>>
  const clock = fixedClock('2026-11-25T02:00:00.000Z')
  let counter = 0

  beforeAll(async () => {
    smtp = await startSmtpServer()
    hooks = await startHookServer()
    const store = await database.open()
    const config = loadConfig(
      {},
      {
        databaseUrl: 'unused',
        logLevel: 'silent',
        secret: 'test-secret',
        smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
        publicUrl: 'https://crm.shop.example',
        notifyFrom: 'AgentCRM <notices@shop.example>',
      },
    )
    app = await createApp(config, { store, clock })
    dispose = async () => {
      await app.close()
      await store.dispose()
    }
  })
  afterAll(async () => {
    await dispose?.()
    await smtp?.close()
    await hooks?.close()
  })

  const context = (): ActionContext => ({
    actor: systemActor,
    clock,
    store: createActionStore({ store: app.store, clock, defaultRegion: 'CN' }),
    idempotencyKey: null,
  })

  /** A conversation whose customer wrote something distinctive (it must never leave in a notice). */
  async function conversationWithSecretText() {
    const inbox = await app.crm.inboxes.create(
      {
        name: `api ${++counter}`,
        channel: 'api',
        address: `api-${counter}-${Date.now()}`,
        settings: {},
        active: true,
      },
      cliActor,
    )
    const receipt = await app.crm.inbound.receive(
      {
        inboxId: inbox.id,
        channel: 'api',
        from: { email: `wang.${counter}@example.com`, name: '王小明' },
        text: '我的身份证号是 110101199003074514，请转人工 PRIVATE-PHRASE',
        messageId: `ext-notify-${counter}`,
      },
      cliActor,
    )
    return receipt
  }

  const deliveriesOf = (notificationId: string) =>
    app.store.db
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('notificationId', '=', notificationId)
      .orderBy('target')
      .execute()

  it('keeps notices in the console only while no team address or webhook is set', async () => {
    const { conversationId, messageId } = await conversationWithSecretText()
    const result = await runAction(
      handOffAction,
      { conversationId, messageId, reason: 'low_confidence' },
      context(),
    )
    const notification = result.effects.find((effect) => effect.kind === 'notification')
    expect(notification).toBeDefined()
    expect(await deliveriesOf(notification!.id)).toEqual([])
    const report = await app.channels.notifier.runOnce()
    expect(report.sent).toEqual([])
  })

  it('emails the team and posts a signed chat-ops message for a hand-off, without the customer’s words', async () => {
    // as the API takes it: validated and normalised by the workspace patch schema
    await app.workspace.update(
      workspacePatchSchema.parse({ notifyEmail: 'Support-Team@Shop.example', notifyWebhookUrl: hooks.url }),
      cliActor,
    )
    const { conversationId, messageId } = await conversationWithSecretText()
    const result = await runAction(
      handOffAction,
      { conversationId, messageId, reason: 'low_confidence' },
      context(),
    )
    const notificationId = result.effects.find((effect) => effect.kind === 'notification')!.id
    const rows = await deliveriesOf(notificationId)
    expect(rows.map((row) => [row.target, row.address, row.status])).toEqual([
      ['email', 'support-team@shop.example', 'pending'],
      ['webhook', hooks.url, 'pending'],
    ])

    const mailsBefore = smtp.received.length
    const report = await app.channels.notifier.runOnce()
    expect(report.sent).toHaveLength(2)
    expect(report.failed).toEqual([])

    const mail = smtp.received.slice(mailsBefore).find((m) => m.to.includes('support-team@shop.example'))
    expect(mail, 'the team email arrived at the SMTP server').toBeDefined()
    expect(mail!.raw).toContain(`https://crm.shop.example/inbox/${conversationId}`)
    expect(mail!.raw).toContain('low_confidence')
    expect(mail!.raw).toMatch(/Auto-Submitted: auto-generated/i)
    expect(mail!.raw).not.toContain('PRIVATE-PHRASE')
    expect(mail!.raw).not.toContain('110101199003074514')

    const hook = hooks.received.at(-1)!
    // signed like every outbound webhook: the receiver verifies with the workspace secret
    expect(() =>
      verifyWebhook({ secret: app.secret, headers: hook.headers, rawBody: hook.body, clock }),
    ).not.toThrow()
    const body = JSON.parse(hook.body.toString('utf8')) as Record<string, unknown>
    expect(body).toMatchObject({
      kind: 'hand_off',
      notificationId,
      conversationId,
      url: `https://crm.shop.example/inbox/${conversationId}`,
    })
    expect(String(body.text)).toContain('handed off')
    expect(hook.body.toString('utf8')).not.toContain('PRIVATE-PHRASE')
    expect((await deliveriesOf(notificationId)).map((row) => row.status)).toEqual(['sent', 'sent'])
    // nothing is due any more: a second pass sends nothing twice
    expect((await app.channels.notifier.runOnce()).sent).toEqual([])
  })

  it('emails the assignee rather than the team address', async () => {
    const user = await app.access.createUser(
      {
        email: `agent${++counter}@shop.example`,
        password: 'a long passphrase',
        role: 'agent',
        name: 'Zhang Wei',
      },
      cliActor,
    )
    const { conversationId } = await conversationWithSecretText()
    const result = await runAction(
      notifyAction,
      { userId: user.id, conversationId, message: 'VIP order needs a look', kind: 'workflow_notice' },
      context(),
    )
    const rows = await deliveriesOf(result.effects[0].id)
    expect(rows.filter((row) => row.target === 'email').map((row) => row.address)).toEqual([user.email])
    const before = smtp.received.length
    await app.channels.notifier.runOnce()
    const mail = smtp.received.slice(before).find((m) => m.to.includes(user.email))!
    expect(mail.raw).toContain('VIP order needs a look')
    expect(mail.raw).toContain('Zhang Wei')
  })

  it('retries a webhook that answers 503 and fails for good, visibly, on a 404', async () => {
    const { conversationId, messageId } = await conversationWithSecretText()
    hooks.statuses.push(503)
    const first = await runAction(handOffAction, { conversationId, messageId, reason: 'policy' }, context())
    const id = first.effects.find((effect) => effect.kind === 'notification')!.id
    const report = await app.channels.notifier.runOnce()
    expect(report.retried).toHaveLength(1)
    const webhook = (await deliveriesOf(id)).find((row) => row.target === 'webhook')!
    expect(webhook.status).toBe('pending')
    expect(String(webhook.lastError)).toContain('503')
    expect(Number(webhook.attempts)).toBe(1)

    hooks.statuses.push(404)
    await app.store.db
      .updateTable('notification_deliveries')
      .set({ nextAttemptAt: null })
      .where('id', '=', webhook.id as string)
      .execute()
    const second = await app.channels.notifier.runOnce()
    expect(second.failed).toEqual([webhook.id])
    const failed = (await deliveriesOf(id)).find((row) => row.target === 'webhook')!
    expect(failed.status).toBe('failed')
    expect(String(failed.lastError)).toContain('404')
  })

  it('refuses a team address or webhook that is not one, naming the field', () => {
    const bad = workspacePatchSchema.safeParse({
      notifyWebhookUrl: 'ftp://hooks.example',
      notifyEmail: 'team',
    })
    expect(bad.success).toBe(false)
    const paths = bad.error!.issues.map((issue) => issue.path.join('.'))
    expect(paths).toEqual(expect.arrayContaining(['notifyWebhookUrl', 'notifyEmail']))
    expect(workspacePatchSchema.parse({ notifyWebhookUrl: null, notifyEmail: null })).toEqual({
      notifyWebhookUrl: null,
      notifyEmail: null,
    })
  })
})
