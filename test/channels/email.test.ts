import { createHash } from 'node:crypto'
import MailComposer from 'nodemailer/lib/mail-composer/index.js'
import type Mail from 'nodemailer/lib/mailer/index.js'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { inboxSecret, signedHeaders } from '../../src/channels/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { countRows, createInbox } from '../support/records.js'

/** A real RFC 5322 message, as a mail client would send it (nodemailer's composer). */
export function composeMail(options: Mail.Options): Promise<Buffer> {
  return new MailComposer(options).compile().build()
}

/** Caps small enough to cross in a test: 64 KiB per message, 8 KiB per attachment. */
const LIMITS = { emailMaxBytes: 64 * 1024, emailAttachmentMaxBytes: 8 * 1024 }

describeEachDatabase('email channel: raw MIME webhook, threading, attachments', (database) => {
  let t: TestApp
  let inbox: { id: string }
  beforeAll(async () => {
    t = await createTestApp(database, undefined, LIMITS)
    inbox = await createInbox(t, { name: 'Support mail', channel: 'email', address: 'support@shop.example' })
  })
  afterAll(async () => t?.dispose())

  const post = (
    raw: Buffer | string,
    options: { contentType?: string; secret?: string; at?: Date; headers?: Record<string, string> } = {},
  ) => {
    const body = typeof raw === 'string' ? Buffer.from(raw) : raw
    t.clock.advance(1_000)
    return t.server.inject({
      method: 'POST',
      url: `/api/v1/channels/email/webhook/${inbox.id}`,
      headers: {
        'content-type': options.contentType ?? 'message/rfc822',
        ...signedHeaders(
          options.secret ?? inboxSecret(t.app.secret, inbox.id),
          body,
          options.at ?? t.clock.now(),
        ),
        ...options.headers,
      },
      payload: body,
    })
  }
  const thread = async (conversationId: string) =>
    (
      await t.request('viewer', { method: 'GET', url: `/api/v1/conversations/${conversationId}/messages` })
    ).json().items as { id: string; text: string; authorKind: string; direction: string }[]
  const envelope = (messageId: string) =>
    t.app.store.db
      .selectFrom('email_messages')
      .selectAll()
      .where('messageId', '=', messageId)
      .executeTakeFirst()
  const runsFor = async (messageId: string) =>
    Number(
      (
        await t.app.store.db
          .selectFrom('workflow_runs')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('messageId', '=', messageId)
          .executeTakeFirstOrThrow()
      ).n,
    )
  const counts = async () => ({
    messages: await countRows(t, 'messages'),
    emails: await countRows(t, 'email_messages'),
    attachments: await countRows(t, 'attachments'),
    customers: await countRows(t, 'customers'),
  })

  it('files a raw message: sender, subject, text part, attachments with checksums, envelope; starts its run', async () => {
    const invoice = Buffer.from('%PDF-1.4 invoice SO-3001 — 299.00 CNY')
    const raw = await composeMail({
      from: '王芳 <Wang.Fang@Example.COM>',
      to: 'support@shop.example',
      cc: 'li.lei@example.com',
      subject: '订单 SO-3001 的发票',
      messageId: '<first-3001@example.com>',
      text: '你好，请帮我开一张发票，谢谢。',
      html: '<p>你好，请帮我开一张<b>发票</b>，谢谢。</p>',
      attachments: [{ filename: '发票信息.pdf', content: invoice, contentType: 'application/pdf' }],
    })
    const response = await post(raw)
    expect(response.statusCode, response.body).toBe(202)
    const receipt = response.json()
    expect(receipt).toMatchObject({ duplicate: false, workflow: 'started', skippedReason: null })
    expect(receipt.attachmentIds).toHaveLength(1)
    const [message] = await thread(receipt.conversationId)
    expect(message.text).toBe('你好，请帮我开一张发票，谢谢。')
    const conversation = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/conversations/${receipt.conversationId}` })
    ).json()
    expect(conversation).toMatchObject({ channel: 'email', subject: '订单 SO-3001 的发票' })
    const customer = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/customers/${receipt.customerId}` })
    ).json()
    expect(customer).toMatchObject({ email: 'wang.fang@example.com', name: '王芳' })

    const attachment = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/attachments/${receipt.attachmentIds[0]}` })
    ).json()
    expect(attachment).toMatchObject({
      filename: '发票信息.pdf',
      contentType: 'application/pdf',
      size: invoice.byteLength,
      sha256: createHash('sha256').update(invoice).digest('hex'),
      messageId: receipt.messageId,
      conversationId: receipt.conversationId,
      customerId: receipt.customerId,
    })
    const content = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/attachments/${receipt.attachmentIds[0]}/content`,
    })
    expect(Buffer.from(content.rawPayload).equals(invoice)).toBe(true)

    const stored = await envelope(receipt.messageId)
    expect(stored).toMatchObject({ internetMessageId: '<first-3001@example.com>', receivedVia: 'webhook' })
    expect(String(stored?.ccAddresses)).toContain('li.lei@example.com')
    expect(String(stored?.headers)).toContain('first-3001@example.com')
    expect(await runsFor(receipt.messageId)).toBeGreaterThan(0)
  })

  it('turns an HTML-only mail into text and strips the quoted history before perceiving', async () => {
    const raw = await composeMail({
      from: 'zhao.lei@example.com',
      to: 'support@shop.example',
      subject: 'Where is my parcel?',
      messageId: '<html-only-1@example.com>',
      html: '<div>My parcel has not arrived yet.<br>Can you check?</div><div>On Mon, 23 Nov 2026, Support &lt;support@shop.example&gt; wrote:</div><blockquote>Your order has shipped.</blockquote>',
    })
    const response = await post(raw)
    expect(response.statusCode, response.body).toBe(202)
    const receipt = response.json()
    const [message] = await thread(receipt.conversationId)
    expect(message.text).toContain('My parcel has not arrived yet.')
    expect(message.text).not.toContain('Your order has shipped')
    expect(message.text).not.toContain('<div>')
    expect(String((await envelope(receipt.messageId))?.originalText)).toContain('Your order has shipped')
  })

  it('threads a reply by In-Reply-To and References into the same conversation, and reopens it', async () => {
    const first = (
      await post(
        await composeMail({
          from: 'chen.jie@example.com',
          to: 'support@shop.example',
          subject: 'Refund for SO-4001',
          messageId: '<refund-1@example.com>',
          text: 'I would like a refund for SO-4001.',
        }),
      )
    ).json()
    // an agent answers and resolves it
    const ours = (
      await t.request('agent', {
        method: 'POST',
        url: `/api/v1/conversations/${first.conversationId}/messages`,
        payload: { text: 'The refund is on its way.' },
      })
    ).json()
    await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/conversations/${first.conversationId}`,
      payload: { status: 'resolved' },
    })
    // the customer answers our reply: its Message-ID is <msg_…@shop.example>, and only References names it
    const answer = (
      await post(
        await composeMail({
          from: 'Chen.Jie@example.com',
          to: 'support@shop.example',
          subject: 'Re: Refund for SO-4001',
          messageId: '<refund-2@example.com>',
          references: ['<refund-1@example.com>', `<${ours.id}@shop.example>`],
          text: 'Thanks, when will I see it?\n\nOn Tue, Support wrote:\n> The refund is on its way.',
        }),
      )
    ).json()
    expect(answer.conversationId).toBe(first.conversationId)
    const conversation = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/conversations/${first.conversationId}` })
    ).json()
    expect(conversation.status).toBe('open')
    const texts = (await thread(first.conversationId)).map((message) => message.text)
    expect(texts).toEqual([
      'I would like a refund for SO-4001.',
      'The refund is on its way.',
      'Thanks, when will I see it?',
    ])
    // In-Reply-To naming the customer's own earlier mail threads too
    const third = (
      await post(
        await composeMail({
          from: 'chen.jie@example.com',
          to: 'support@shop.example',
          subject: 'Re: Refund for SO-4001',
          messageId: '<refund-3@example.com>',
          inReplyTo: '<refund-2@example.com>',
          text: 'Also, the box was damaged.',
        }),
      )
    ).json()
    expect(third.conversationId).toBe(first.conversationId)
  })

  it('does not thread a stranger into someone else’s conversation by quoting its Message-ID', async () => {
    const victim = (
      await post(
        await composeMail({
          from: 'victim@example.com',
          to: 'support@shop.example',
          subject: 'Private',
          messageId: '<private-1@example.com>',
          text: 'My address changed.',
        }),
      )
    ).json()
    const stranger = (
      await post(
        await composeMail({
          from: 'stranger@example.net',
          to: 'support@shop.example',
          subject: 'Re: Private',
          messageId: '<stranger-1@example.net>',
          inReplyTo: '<private-1@example.com>',
          text: 'What is in that conversation?',
        }),
      )
    ).json()
    expect(stranger.conversationId).not.toBe(victim.conversationId)
    expect(stranger.customerId).not.toBe(victim.customerId)
  })

  it('is idempotent on the Message-ID: the same mail again is a duplicate, different content is 409', async () => {
    const mail = {
      from: 'sun.li@example.com',
      to: 'support@shop.example',
      subject: 'Hello',
      messageId: '<same-id-1@example.com>',
      text: 'First version.',
    }
    const first = await post(await composeMail(mail))
    expect(first.statusCode, first.body).toBe(202)
    const again = await post(await composeMail(mail))
    expect(again.statusCode).toBe(202)
    expect(again.json()).toMatchObject({ duplicate: true, messageId: first.json().messageId })
    const before = await counts()
    const changed = await post(await composeMail({ ...mail, text: 'A different text.' }))
    expect(changed.statusCode).toBe(409)
    expect(changed.json().error.code).toBe('CHANNEL_MESSAGE_ID_REUSED')
    expect(await counts()).toEqual(before)
  })

  it('stores automatic mail (auto-replies, bulk, bounces) and never starts a run for it', async () => {
    const cases: [Mail.Options, string][] = [
      [
        { from: 'ooo@example.com', headers: { 'Auto-Submitted': 'auto-replied' }, text: 'I am away.' },
        'automatic: Auto-Submitted: auto-replied',
      ],
      [
        { from: 'news@example.com', headers: { Precedence: 'bulk' }, text: 'Our newsletter' },
        'automatic: Precedence: bulk',
      ],
      [
        { from: 'robot@example.com', headers: { 'X-Autoreply': 'yes' }, text: 'Thanks for writing' },
        'automatic: x-autoreply: yes',
      ],
      [
        { from: 'MAILER-DAEMON@mx.example.com', text: 'Delivery failed: mailbox unknown' },
        'automatic: bounce from mailer-daemon',
      ],
    ]
    for (const [index, [mail, reason]] of cases.entries()) {
      const response = await post(
        await composeMail({
          to: 'support@shop.example',
          subject: `automatic ${index}`,
          messageId: `<auto-${index}@example.com>`,
          ...mail,
        }),
      )
      expect(response.statusCode, response.body).toBe(202)
      const receipt = response.json()
      expect(receipt).toMatchObject({ workflow: 'skipped', skippedReason: reason })
      expect(await runsFor(receipt.messageId)).toBe(0)
      expect((await envelope(receipt.messageId))?.automatic).toBe(reason.replace('automatic: ', ''))
      // the flag is stored with the message: applying the agent to it later (no headers passed) does nothing
      if (index === 0) {
        const applied = await t.request('agent', {
          method: 'POST',
          url: `/api/v1/messages/${receipt.messageId}/apply`,
          payload: {},
        })
        expect(applied.statusCode, applied.body).toBe(200)
        expect(applied.json()).toMatchObject({
          outcome: 'nothing',
          reason: 'automatic_mail: Auto-Submitted: auto-replied',
        })
      }
    }
  })

  it('files a bounce of one of our replies in that conversation, as the system, making no customer of it', async () => {
    const first = (
      await post(
        await composeMail({
          from: 'typo@example.com',
          to: 'support@shop.example',
          subject: 'Order',
          messageId: '<bounce-origin@example.com>',
          text: 'Where is my order?',
        }),
      )
    ).json()
    const ours = (
      await t.request('agent', {
        method: 'POST',
        url: `/api/v1/conversations/${first.conversationId}/messages`,
        payload: { text: 'It ships tomorrow.' },
      })
    ).json()
    const customersBefore = await countRows(t, 'customers')
    const raw = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.com>',
      'To: support@shop.example',
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <dsn-1@mx.example.com>',
      `In-Reply-To: <${ours.id}@shop.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'The mail to typo@example.com could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Final-Recipient: rfc822; typo@example.com',
      'Action: failed',
      'Status: 5.1.1',
      '--b1--',
      '',
    ].join('\r\n')
    const response = await post(raw)
    expect(response.statusCode, response.body).toBe(202)
    const receipt = response.json()
    expect(receipt).toMatchObject({ conversationId: first.conversationId, workflow: 'skipped' })
    expect(await countRows(t, 'customers')).toBe(customersBefore)
    const bounce = (await thread(first.conversationId)).find((message) => message.id === receipt.messageId)
    expect(bounce).toMatchObject({ authorKind: 'system', direction: 'inbound' })
  })

  it('records an attachment over the cap instead of storing it, and files the rest', async () => {
    const big = Buffer.alloc(LIMITS.emailAttachmentMaxBytes + 1, 7)
    const small = Buffer.from('small file')
    const response = await post(
      await composeMail({
        from: 'qian.wu@example.com',
        to: 'support@shop.example',
        subject: 'Photos',
        messageId: '<photos-1@example.com>',
        text: 'Two files attached.',
        attachments: [
          { filename: 'big.bin', content: big, contentType: 'application/octet-stream' },
          { filename: '../../etc/passwd', content: small, contentType: 'not a type' },
        ],
      }),
    )
    expect(response.statusCode, response.body).toBe(202)
    const receipt = response.json()
    expect(receipt.attachmentIds).toHaveLength(1)
    const stored = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/attachments/${receipt.attachmentIds[0]}` })
    ).json()
    expect(stored.filename).not.toContain('/')
    expect(stored.size).toBe(small.byteLength)
    const raw = (await envelope(receipt.messageId))?.skippedAttachments
    // text on SQLite, jsonb (already parsed) on Postgres
    const skipped = typeof raw === 'string' ? JSON.parse(raw) : raw
    expect(skipped).toEqual([
      expect.objectContaining({
        filename: 'big.bin',
        size: big.byteLength,
        reason: expect.stringContaining('larger'),
      }),
    ])
  })

  it('refuses malformed MIME (400), no usable sender (422) and a huge message (413), writing nothing', async () => {
    const before = await counts()
    const json = await post('{"from":"a@example.com","text":"hi"}')
    expect(json.statusCode).toBe(400)
    expect(json.json().error.code).toBe('CHANNEL_EMAIL_MALFORMED')
    expect(json.json().error.message).toContain('message/rfc822')
    const binary = await post(Buffer.from([0x00, 0x01, 0xff, 0x3a, 0x0d, 0x0a]))
    expect(binary.statusCode).toBe(400)
    const empty = await post('')
    expect(empty.statusCode).toBe(400)

    const noFrom = await post(
      'To: support@shop.example\r\nSubject: hi\r\nMessage-ID: <nf@x>\r\n\r\nhello\r\n',
    )
    expect(noFrom.statusCode).toBe(422)
    expect(noFrom.json().error).toMatchObject({ code: 'CHANNEL_EMAIL_NO_SENDER' })
    const badFrom = await post('From: Customer Service\r\nSubject: hi\r\nMessage-ID: <bf@x>\r\n\r\nhello\r\n')
    expect(badFrom.statusCode).toBe(422)
    expect(badFrom.json().error.message).toContain('Customer Service')

    const huge = await post(
      await composeMail({
        from: 'big@example.com',
        subject: 'huge',
        text: 'x'.repeat(LIMITS.emailMaxBytes + 10),
      }),
    )
    expect(huge.statusCode).toBe(413)
    expect(huge.json().error.message).toContain('AGENTCRM_EMAIL_MAX_BYTES')
    expect(await counts()).toEqual(before)

    // each refused delivery released its signature: the corrected mail is accepted
    const fixed = await post(
      'From: fixed@example.com\r\nTo: support@shop.example\r\nSubject: hi\r\nMessage-ID: <nf@x>\r\n\r\nhello\r\n',
    )
    expect(fixed.statusCode, fixed.body).toBe(202)
  })

  it('files a mail whose encoded headers hide control characters (NUL, which Postgres refuses)', async () => {
    const encoded = (text: string) => `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`
    const response = await post(
      [
        `From: ${encoded('周\u0000杰')} <zhou.jie@example.com>`,
        `Subject: ${encoded('订单\u0000号')}`,
        'Message-ID: <nul-1@example.com>',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'hello\u0000 there',
        '',
      ].join('\r\n'),
    )
    expect(response.statusCode, response.body).toBe(202)
    const receipt = response.json()
    const [message] = await thread(receipt.conversationId)
    expect(message.text).toBe('hello there')
    const conversation = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/conversations/${receipt.conversationId}` })
    ).json()
    expect(conversation.subject).toBe('订单 号')
  })

  it('refuses an unsigned (401), wrongly signed (401) and replayed (409) raw mail', async () => {
    const raw = await composeMail({
      from: 'replay@example.com',
      subject: 'replay',
      messageId: '<replay-1@example.com>',
      text: 'hello',
    })
    const unsigned = await t.server.inject({
      method: 'POST',
      url: `/api/v1/channels/email/webhook/${inbox.id}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: raw,
    })
    expect(unsigned.statusCode).toBe(401)
    expect(unsigned.json().error.code).toBe('CHANNEL_SIGNATURE_MISSING')
    const wrong = await post(raw, { secret: inboxSecret('another-workspace', inbox.id) })
    expect(wrong.statusCode).toBe(401)
    const headers = {
      'content-type': 'message/rfc822',
      ...signedHeaders(inboxSecret(t.app.secret, inbox.id), raw, t.clock.now()),
    }
    const url = `/api/v1/channels/email/webhook/${inbox.id}`
    expect((await t.server.inject({ method: 'POST', url, headers, payload: raw })).statusCode).toBe(202)
    const replay = await t.server.inject({ method: 'POST', url, headers, payload: raw })
    expect(replay.statusCode).toBe(409)
    expect(replay.json().error.code).toBe('CHANNEL_REPLAYED')
  })

  it('refuses an IMAP password in the inbox settings, naming the environment variable to use', async () => {
    const response = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/inboxes',
      payload: {
        name: 'IMAP',
        channel: 'email',
        address: 'imap@shop.example',
        settings: { imap: { host: 'imap.example.com', user: 'u', password: 'hunter2' } },
      },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toContain('AGENTCRM_IMAP_PASSWORD_')
    expect(response.body).not.toContain('hunter2')
    const badPort = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/inboxes',
      payload: {
        name: 'IMAP',
        channel: 'email',
        address: 'imap2@shop.example',
        settings: { imap: { host: 'h', user: 'u', passwordEnv: 'AGENTCRM_IMAP_PASSWORD_X', port: 'x' } },
      },
    })
    expect(badPort.statusCode).toBe(400)
    expect(badPort.json().error.message).toContain('settings.imap.port')
  })
})
