import { afterAll, beforeAll, expect, it } from 'vitest'
import { inboxSecret, signedHeaders } from '../../src/channels/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { countRows, createInbox } from '../support/records.js'

describeEachDatabase('signed channel webhooks', (database) => {
  let t: TestApp
  let sms: { id: string }
  let email: { id: string }
  let phone: { id: string }
  beforeAll(async () => {
    t = await createTestApp(database)
    sms = await createInbox(t, { name: 'SMS', channel: 'sms', address: '+8610690000' })
    email = await createInbox(t, { name: 'Support mail', channel: 'email', address: 'support@shop.example' })
    phone = await createInbox(t, { name: 'Hotline', channel: 'phone', address: '+864008000000' })
  })
  afterAll(async () => t?.dispose())

  const post = (
    kind: string,
    inboxId: string,
    payload: unknown,
    options: { secret?: string; at?: Date } = {},
  ) => {
    const body = JSON.stringify(payload)
    const secret = options.secret ?? inboxSecret(t.app.secret, inboxId)
    return t.server.inject({
      method: 'POST',
      url: `/api/v1/channels/${kind}/webhook/${inboxId}`,
      headers: {
        'content-type': 'application/json',
        ...signedHeaders(secret, body, options.at ?? t.clock.now()),
      },
      payload: body,
    })
  }
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
  const message = async (id: string) =>
    (await t.request('viewer', { method: 'GET', url: `/api/v1/messages/${id}` })).json()

  it('files a signed SMS (202) as a message in an sms conversation and starts its workflow run', async () => {
    const response = await post('sms', sms.id, {
      from: '13800138000',
      text: '我的订单到哪了？',
      messageId: 'sms-1',
    })
    expect(response.statusCode, response.body).toBe(202)
    const receipt = response.json()
    expect(receipt).toMatchObject({ duplicate: false, workflow: 'started', skippedReason: null })
    expect(await message(receipt.messageId)).toMatchObject({
      direction: 'inbound',
      inboxId: sms.id,
      channelMessageId: 'sms-1',
      text: '我的订单到哪了？',
    })
    const conversation = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/conversations/${receipt.conversationId}` })
    ).json()
    expect(conversation).toMatchObject({ channel: 'sms', inboxId: sms.id })
    const customer = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/customers/${receipt.customerId}` })
    ).json()
    expect(customer.phone).toBe('+8613800138000')
    expect(await runsFor(receipt.messageId)).toBeGreaterThan(0)
  })

  it('refuses a bad signature (401) and stores nothing', async () => {
    const before = await countRows(t, 'messages')
    const response = await post(
      'sms',
      sms.id,
      { from: '13800138001', text: '你好', messageId: 'sms-bad' },
      { secret: inboxSecret('another-workspace', sms.id) },
    )
    expect(response.statusCode).toBe(401)
    expect(response.json().error.code).toBe('CHANNEL_SIGNATURE_INVALID')
    const unsigned = await t.server.inject({
      method: 'POST',
      url: `/api/v1/channels/sms/webhook/${sms.id}`,
      headers: { 'content-type': 'application/json' },
      payload: { from: '13800138001', text: '你好', messageId: 'sms-bad' },
    })
    expect(unsigned.statusCode).toBe(401)
    expect(unsigned.json().error.code).toBe('CHANNEL_SIGNATURE_MISSING')
    const stale = await post(
      'sms',
      sms.id,
      { from: '13800138001', text: '你好', messageId: 'sms-bad' },
      { at: new Date(t.clock.now().getTime() - 10 * 60_000) },
    )
    expect(stale.statusCode).toBe(401)
    expect(stale.json().error.code).toBe('CHANNEL_SIGNATURE_EXPIRED')
    expect(await countRows(t, 'messages')).toBe(before)
  })

  it('refuses a replayed delivery (409)', async () => {
    const body = JSON.stringify({ from: '13800138002', text: '在吗', messageId: 'sms-replay' })
    const headers = {
      'content-type': 'application/json',
      ...signedHeaders(inboxSecret(t.app.secret, sms.id), body, t.clock.now()),
    }
    const url = `/api/v1/channels/sms/webhook/${sms.id}`
    const first = await t.server.inject({ method: 'POST', url, headers, payload: body })
    expect(first.statusCode).toBe(202)
    const again = await t.server.inject({ method: 'POST', url, headers, payload: body })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('CHANNEL_REPLAYED')
  })

  it('answers 404 for an unknown inbox, an inbox of another channel and an unknown channel', async () => {
    const unknown = await post('sms', 'inb_01JD3Z7X2N4V5B6C7D8E9F0G1H', {
      from: '1',
      text: 'x',
      messageId: 'm',
    })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.code).toBe('CRM_INBOX_NOT_FOUND')
    const wrongKind = await post('phone', sms.id, { from: '13800138000', transcript: 'x', callId: 'c' })
    expect(wrongKind.statusCode).toBe(404)
    const wechat = await post('wechat', sms.id, {})
    expect(wechat.statusCode).toBe(404)
    expect(wechat.json().error.code).toBe('CHANNEL_NOT_FOUND')
  })

  it('answers 400 naming the field for an invalid payload, and accepts the corrected retry', async () => {
    const bad = await post('sms', sms.id, { from: '13800138003', messageId: 'sms-fix' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatchObject({ code: 'CHANNEL_INVALID_PAYLOAD' })
    expect(bad.json().error.message).toContain('text')
  })

  it('withdraws SMS marketing consent on 退订 / ＴＤ / stop, stores the message and starts no run', async () => {
    for (const [index, text] of ['退订', 'ＴＤ', ' stop '].entries()) {
      t.clock.advance(1_000)
      const response = await post('sms', sms.id, { from: '13900139000', text, messageId: `optout-${index}` })
      expect(response.statusCode, response.body).toBe(202)
      const receipt = response.json()
      expect(receipt).toMatchObject({ workflow: 'skipped', skippedReason: 'opt_out' })
      expect(await message(receipt.messageId)).toMatchObject({ text })
      expect(await runsFor(receipt.messageId)).toBe(0)
      const consent = (
        await t.request('viewer', { method: 'GET', url: `/api/v1/customers/${receipt.customerId}/consent` })
      ).json()
      expect(consent.current).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ purpose: 'marketing', channel: 'sms', status: 'withdrawn' }),
        ]),
      )
    }
  })

  it('treats a sentence that contains "stop" as a question, not an opt-out', async () => {
    const response = await post('sms', sms.id, {
      from: '13900139001',
      text: 'how do I stop my subscription?',
      messageId: 'not-optout',
    })
    expect(response.json()).toMatchObject({ workflow: 'started' })
  })

  it('stores an auto-reply email without starting a run', async () => {
    const response = await post('email', email.id, {
      from: 'li.na@example.com',
      subject: 'Out of office',
      text: 'I am out of the office until Monday.',
      messageId: '<ooo-1@example.com>',
      headers: { 'Auto-Submitted': 'auto-replied' },
    })
    expect(response.statusCode, response.body).toBe(202)
    const receipt = response.json()
    expect(receipt).toMatchObject({
      workflow: 'skipped',
      skippedReason: 'automatic: Auto-Submitted: auto-replied',
    })
    expect(await runsFor(receipt.messageId)).toBe(0)
    expect(await message(receipt.messageId)).toMatchObject({ text: 'I am out of the office until Monday.' })
  })

  it('strips quoted history from an email before storing it, and keeps the subject on the conversation', async () => {
    const response = await post('email', email.id, {
      from: 'Wang.Fang@Example.com',
      fromName: '王芳',
      subject: '订单 SO-2001 还没到',
      text: '还是没有收到，请帮我查一下。\n\n在 2026年11月24日 10:00，客服 <support@shop.example> 写道：\n> 您的订单已发货\n> 请耐心等待',
      messageId: '<m-2@example.com>',
    })
    expect(response.statusCode, response.body).toBe(202)
    const receipt = response.json()
    expect(receipt.workflow).toBe('started')
    expect((await message(receipt.messageId)).text).toBe('还是没有收到，请帮我查一下。')
    const conversation = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/conversations/${receipt.conversationId}` })
    ).json()
    expect(conversation).toMatchObject({ channel: 'email', subject: '订单 SO-2001 还没到' })
    const customer = (
      await t.request('viewer', { method: 'GET', url: `/api/v1/customers/${receipt.customerId}` })
    ).json()
    expect(customer).toMatchObject({ email: 'wang.fang@example.com', name: '王芳' })
  })

  it('files a call transcript with speaker turns, keyed on the call id', async () => {
    const payload = {
      from: '+86 138 0013 8099',
      callId: 'call-1',
      durationSeconds: 42,
      transcript: [
        { speaker: 'customer', text: '我想退货' },
        { speaker: 'agent', text: '好的，请问订单号？' },
      ],
    }
    const response = await post('phone', phone.id, payload)
    expect(response.statusCode, response.body).toBe(202)
    const receipt = response.json()
    expect((await message(receipt.messageId)).text).toBe('customer: 我想退货\nagent: 好的，请问订单号？')
    t.clock.advance(1_000)
    const again = await post('phone', phone.id, payload)
    expect(again.json()).toMatchObject({ duplicate: true, messageId: receipt.messageId })
  })
})
