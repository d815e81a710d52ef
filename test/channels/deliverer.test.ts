import { afterAll, beforeAll, expect, it } from 'vitest'
import { createApp, type App } from '../../src/app.js'
import { fixedClock, loadConfig } from '../../src/core/index.js'
import { cliActor } from '../../src/crm/index.js'
import { describeEachDatabase } from '../support/databases.js'
import { startSmtpServer } from '../support/smtp.js'
import { simpleParser } from 'mailparser'
import MailComposer from 'nodemailer/lib/mail-composer/index.js'

describeEachDatabase('outbox deliverer', (database) => {
  let app: App
  let dispose: () => Promise<void>
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>
  const clock = fixedClock('2026-11-25T02:00:00.000Z')

  beforeAll(async () => {
    smtp = await startSmtpServer()
    const store = await database.open()
    const config = loadConfig(
      {},
      {
        databaseUrl: 'unused',
        logLevel: 'silent',
        secret: 'test-secret',
        smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
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
  })

  /** An inbound message on a new inbox of `channel`, then a reply in the outbox: what an action writes. */
  async function replyInOutbox(channel: 'email' | 'sms', settings: Record<string, unknown> = {}) {
    const suffix = Math.random().toString(36).slice(2, 8)
    const inbox = await app.crm.inboxes.create(
      {
        name: `${channel} ${suffix}`,
        channel,
        address:
          channel === 'email'
            ? `support-${suffix}@shop.example`
            : `+86106${suffix.length}${Date.now() % 100000}`,
        settings,
        active: true,
      },
      cliActor,
    )
    const receipt = await app.crm.inbound.receive(
      {
        inboxId: inbox.id,
        channel,
        from:
          channel === 'email'
            ? { email: `li.${suffix}@example.com`, name: '李娜' }
            : { phone: '13800138000' },
        text: '我的订单什么时候发货？',
        messageId: `<in-${suffix}@example.com>`,
        subject: channel === 'email' ? '发货时间' : null,
      },
      cliActor,
    )
    const reply = await app.crm.messages.create(
      receipt.conversationId,
      { direction: 'outbound', authorKind: 'agent', text: '您好，订单已于今天发货。' },
      cliActor,
    )
    const outboxId = `obx_${suffix}`
    await app.store.db
      .insertInto('outbox')
      .values(
        app.store.codec.encode(
          { attempts: 'int', nextAttemptAt: 'time', createdAt: 'time', updatedAt: 'time' },
          {
            id: outboxId,
            messageId: reply.id,
            channel,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: clock.now(),
            lastError: null,
            idempotencyKey: `test:${suffix}`,
            createdAt: clock.now(),
            updatedAt: clock.now(),
          },
        ),
      )
      .execute()
    return {
      outboxId,
      messageId: reply.id,
      conversationId: receipt.conversationId,
      inboundId: `<in-${suffix}@example.com>`,
    }
  }

  const outboxRow = (id: string) =>
    app.store.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const deliveryStatus = async (conversationId: string, messageId: string) => {
    const thread = await app.crm.messages.listThread(conversationId, { limit: 50 } as never)
    return thread.items.find((item) => item.id === messageId)?.deliveryStatus
  }

  it('sends an email reply over a real SMTP exchange, threaded, and marks it sent', async () => {
    const reply = await replyInOutbox('email')
    const report = await app.channels.deliverer.runOnce()
    expect(report.sent).toContain(reply.outboxId)
    expect(smtp.received).toHaveLength(1)
    const [mail] = smtp.received
    expect(mail.to).toEqual([expect.stringMatching(/^li\.[a-z0-9]+@example\.com$/)])
    expect(mail.from).toMatch(/^support-[a-z0-9]+@shop\.example$/)
    expect(mail.raw).toContain(`In-Reply-To: ${reply.inboundId}`)
    expect(mail.raw).toMatch(/Subject: =\?UTF-8\?|Subject: Re:/)
    expect(mail.raw).toContain(`Message-ID: <${reply.messageId}@`)
    expect(Buffer.from(mail.raw).toString('utf8')).toMatch(/Content-Transfer-Encoding/)
    expect(await outboxRow(reply.outboxId)).toMatchObject({ status: 'sent', attempts: 1, lastError: null })
    expect(await deliveryStatus(reply.conversationId, reply.messageId)).toBe('sent')
    // nothing left to do: a second pass sends nothing twice
    expect((await app.channels.deliverer.runOnce()).sent).toEqual([])
    expect(smtp.received).toHaveLength(1)
  })

  it('threads an email conversation both ways: our reply carries In-Reply-To and References, the answer comes back', async () => {
    const inbox = await app.crm.inboxes.create(
      { name: 'threads', channel: 'email', address: 'help@shop.example', settings: {}, active: true },
      cliActor,
    )
    const queueReply = async (conversationId: string, text: string) => {
      const reply = await app.crm.messages.create(
        conversationId,
        { direction: 'outbound', authorKind: 'agent', text },
        cliActor,
      )
      await app.store.db
        .insertInto('outbox')
        .values(
          app.store.codec.encode(
            { attempts: 'int', nextAttemptAt: 'time', createdAt: 'time', updatedAt: 'time' },
            {
              id: `obx_${reply.id.slice(4)}`,
              messageId: reply.id,
              channel: 'email',
              status: 'pending',
              attempts: 0,
              nextAttemptAt: clock.now(),
              lastError: null,
              idempotencyKey: `thread:${reply.id}`,
              createdAt: clock.now(),
              updatedAt: clock.now(),
            },
          ),
        )
        .execute()
      return reply.id
    }
    const sent = async () => {
      const before = smtp.received.length
      await app.channels.deliverer.runOnce()
      expect(smtp.received.length).toBe(before + 1)
      return simpleParser(smtp.received[smtp.received.length - 1].raw)
    }

    // the customer writes in (raw MIME, the path IMAP and the webhook share)
    const question = await new MailComposer({
      from: '林晓 <lin.xiao@example.com>',
      to: 'help@shop.example',
      subject: '退货流程',
      messageId: '<question-1@example.com>',
      text: '请问怎么退货？',
    })
      .compile()
      .build()
    const first = await app.channels.ingest.fileRawEmail(inbox, question, cliActor)
    const firstReplyId = await queueReply(first.conversationId, '您好，请在订单页申请退货。')
    const mail1 = await sent()
    expect(mail1.messageId).toBe(`<${firstReplyId}@shop.example>`)
    expect(mail1.inReplyTo).toBe('<question-1@example.com>')
    expect([mail1.references].flat()).toEqual(['<question-1@example.com>'])
    expect(mail1.subject).toBe('Re: 退货流程')

    // the customer answers our reply from their mail client: it threads into the same conversation
    clock.advance(60_000)
    const answer = await new MailComposer({
      from: 'lin.xiao@example.com',
      to: 'help@shop.example',
      subject: mail1.subject,
      messageId: '<answer-2@example.com>',
      inReplyTo: mail1.messageId,
      references: [...[mail1.references ?? []].flat(), String(mail1.messageId)],
      text: `申请好了，谢谢\n\n在 2026年11月25日，客服 <help@shop.example> 写道：\n> 您好，请在订单页申请退货。`,
    })
      .compile()
      .build()
    const second = await app.channels.ingest.fileRawEmail(inbox, answer, cliActor)
    expect(second).toMatchObject({ conversationId: first.conversationId, duplicate: false })
    const thread = await app.crm.messages.listThread(first.conversationId, { limit: 50 } as never)
    expect(thread.items.map((item) => item.text)).toEqual([
      '请问怎么退货？',
      '您好，请在订单页申请退货。',
      '申请好了，谢谢',
    ])

    // our next reply answers the answer, with the whole chain in References
    await queueReply(first.conversationId, '收到，退款会在三天内到账。')
    const mail2 = await sent()
    expect(mail2.inReplyTo).toBe('<answer-2@example.com>')
    expect([mail2.references].flat()).toEqual([
      '<question-1@example.com>',
      `<${firstReplyId}@shop.example>`,
      '<answer-2@example.com>',
    ])
  })

  it('fails an SMS reply at once when the inbox has no outbound URL, with the reason in last_error', async () => {
    const reply = await replyInOutbox('sms')
    const report = await app.channels.deliverer.runOnce()
    expect(report.failed).toContain(reply.outboxId)
    const row = await outboxRow(reply.outboxId)
    expect(row.status).toBe('failed')
    expect(String(row.lastError)).toContain('settings.outboundUrl')
    expect(await deliveryStatus(reply.conversationId, reply.messageId)).toBe('failed')
  })

  it('retries a failing provider with backoff, then fails after the last attempt', async () => {
    // nobody listens on this port: every attempt is a network failure (retryable)
    const reply = await replyInOutbox('sms', { outboundUrl: 'http://127.0.0.1:9/sms' })
    const first = await app.channels.deliverer.runOnce()
    expect(first.retried).toContain(reply.outboxId)
    let row = await outboxRow(reply.outboxId)
    expect(row).toMatchObject({ status: 'pending', attempts: 1 })
    expect(String(row.lastError)).toContain('did not answer')
    expect(await deliveryStatus(reply.conversationId, reply.messageId)).toBe('pending')
    // not due yet: nothing happens before the backoff is over
    expect((await app.channels.deliverer.runOnce()).retried).toEqual([])
    for (let attempt = 2; attempt <= 5; attempt++) {
      clock.advance(2 * 60 * 60_000)
      await app.channels.deliverer.runOnce()
    }
    row = await outboxRow(reply.outboxId)
    expect(row).toMatchObject({ status: 'failed', attempts: 5 })
    expect(String(row.lastError)).toContain('gave up after 5 attempts')
    expect(await deliveryStatus(reply.conversationId, reply.messageId)).toBe('failed')
  })

  it('delivers an SMS through a signed POST to the outbound URL', async () => {
    const { createServer } = await import('node:http')
    const { inboxSecret, verifyWebhook } = await import('../../src/channels/index.js')
    const requests: { headers: Record<string, unknown>; body: string }[] = []
    const server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"provider-1"}')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    const port = (server.address() as { port: number }).port
    try {
      const reply = await replyInOutbox('sms', { outboundUrl: `http://127.0.0.1:${port}/sms` })
      const report = await app.channels.deliverer.runOnce()
      expect(report.sent).toContain(reply.outboxId)
      expect(requests).toHaveLength(1)
      expect(JSON.parse(requests[0].body)).toMatchObject({
        to: '+8613800138000',
        text: '您好，订单已于今天发货。',
      })
      const row = await outboxRow(reply.outboxId)
      const inboxId = String(
        (
          await app.store.db
            .selectFrom('messages')
            .select('inboxId')
            .where('id', '=', reply.messageId)
            .executeTakeFirstOrThrow()
        ).inboxId,
      )
      expect(() =>
        verifyWebhook({
          secret: inboxSecret(app.secret, inboxId),
          headers: requests[0].headers as Record<string, string>,
          rawBody: Buffer.from(requests[0].body),
          clock,
        }),
      ).not.toThrow()
      expect(requests[0].headers['idempotency-key']).toBe(row.idempotencyKey)
      expect(row.status).toBe('sent')
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})
