import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { draftForApprovalAction } from '../../src/actions/index.js'
import { systemActor } from '../../src/crm/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { importDemoKnowledge } from '../support/knowledge.js'
import { countRows } from '../support/records.js'

interface Person {
  readonly id: string
  request(options: InjectOptions): ReturnType<TestApp['request']>
}

describeEachDatabase('approvals, takeover and notifications API', (database) => {
  let t: TestApp
  let counter = 0
  let alice: Person
  let bob: Person

  /** A console user: a session cookie, writes from the console's origin. */
  async function person(name: string): Promise<Person> {
    const user = await t.app.access.createUser(
      { email: `${name}@example.com`, password: 'correct horse battery', role: 'agent', name },
      systemActor,
    )
    const session = await t.app.access.createSession(user.id, 12)
    return {
      id: user.id,
      request: (options) =>
        t.server.inject({
          ...options,
          headers: {
            ...(options.headers as Record<string, string> | undefined),
            cookie: `agentcrm_session=${session.token}`,
            host: 'crm.example',
            origin: 'http://crm.example',
          },
        }),
    }
  }

  beforeAll(async () => {
    t = await createTestApp(database)
    await importDemoKnowledge(t.app)
    alice = await person('alice')
    bob = await person('bob')
  }, 120_000)
  afterAll(async () => t?.dispose())

  async function inbound(text: string) {
    const response = await t.request('integration', {
      method: 'POST',
      url: '/api/v1/channels/api/messages',
      payload: {
        from: { email: `c${++counter}@example.com`, name: 'Han Meimei' },
        text,
        messageId: `m-${counter}`,
      },
    })
    expect(response.statusCode, response.body).toBe(202)
    return response.json() as { messageId: string; conversationId: string; customerId: string }
  }

  async function draft(text = 'Your refund reaches your card within 3–5 working days.') {
    const { messageId, conversationId } = await inbound('When do I get my refund?')
    const result = await t.app.actions.run(
      draftForApprovalAction,
      { conversationId, messageId, text, decisionId: 'dec_01JD3Z7X2N4V5B6C7D8E9F0G1H' },
      systemActor,
    )
    return { approvalId: result.effects[0].id, conversationId, messageId }
  }

  const decide = (id: string, payload: Record<string, unknown>, role: 'agent' | 'viewer' = 'agent') =>
    t.request(role, { method: 'POST', url: `/api/v1/approvals/${id}`, payload })

  describe('approvals', () => {
    it('lists pending drafts and approves one into an outbound message with its outbox row', async () => {
      const { approvalId, conversationId } = await draft()
      const pending = await t.request('agent', { method: 'GET', url: '/api/v1/approvals?status=pending' })
      expect(pending.statusCode).toBe(200)
      expect(pending.json().items.map((a: { id: string }) => a.id)).toContain(approvalId)
      const viewer = await t.request('viewer', { method: 'GET', url: '/api/v1/approvals' })
      expect(viewer.statusCode).toBe(403)

      const approved = await decide(approvalId, { action: 'approve' })
      expect(approved.statusCode, approved.body).toBe(200)
      const { approval, message } = approved.json()
      expect(approval).toMatchObject({ status: 'approved', decidedBy: expect.stringMatching(/^tok_/) })
      expect(approval.decidedAt).not.toBeNull()
      expect(message).toMatchObject({
        id: approval.resultMessageId,
        direction: 'outbound',
        authorKind: 'ai',
        text: 'Your refund reaches your card within 3–5 working days.',
        deliveryStatus: 'pending',
      })
      const outbox = await t.app.actions.repository.outboxForMessage(message.id)
      expect(outbox).toHaveLength(1)
      expect(outbox[0]).toMatchObject({ status: 'pending', idempotencyKey: `approval:${approvalId}` })
      const thread = await t.request('viewer', {
        method: 'GET',
        url: `/api/v1/conversations/${conversationId}/messages`,
      })
      expect(thread.json().items.map((m: { id: string }) => m.id)).toContain(message.id)

      const messages = await countRows(t, 'messages')
      const again = await decide(approvalId, { action: 'reject' })
      expect(again.statusCode).toBe(409)
      expect(again.json().error).toMatchObject({
        code: 'ACTION_APPROVAL_DECIDED',
        details: { status: 'approved' },
      })
      expect(await countRows(t, 'messages')).toBe(messages)
    })

    it("sends a person's edit as their message and keeps the original draft", async () => {
      const { approvalId } = await draft('Draft text')
      const edited = await alice.request({
        method: 'POST',
        url: `/api/v1/approvals/${approvalId}`,
        payload: { action: 'edit', text: 'Hi Meimei, your refund is on its way (3–5 days).' },
      })
      expect(edited.statusCode, edited.body).toBe(200)
      expect(edited.json().approval).toMatchObject({
        status: 'edited',
        draftText: 'Draft text',
        decidedBy: alice.id,
      })
      expect(edited.json().message).toMatchObject({
        authorKind: 'agent',
        authorId: alice.id,
        text: 'Hi Meimei, your refund is on its way (3–5 days).',
      })
      expect((await decide(approvalId, { action: 'approve' })).statusCode).toBe(409)
    })

    it('rejects a draft without sending anything, and refuses a second decision', async () => {
      const { approvalId } = await draft()
      const before = await Promise.all(['messages', 'outbox'].map((table) => countRows(t, table)))
      const rejected = await decide(approvalId, { action: 'reject' })
      expect(rejected.statusCode).toBe(200)
      expect(rejected.json()).toMatchObject({
        approval: { status: 'rejected', resultMessageId: null },
        message: null,
      })
      expect((await decide(approvalId, { action: 'approve' })).statusCode).toBe(409)
      expect(await Promise.all(['messages', 'outbox'].map((table) => countRows(t, table)))).toEqual(before)
    })

    it('lets exactly one of two simultaneous decisions through', async () => {
      const { approvalId } = await draft()
      const before = await countRows(t, 'messages')
      const responses = await Promise.all([
        decide(approvalId, { action: 'approve' }),
        decide(approvalId, { action: 'edit', text: 'Other text' }),
      ])
      expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409])
      expect(await countRows(t, 'messages')).toBe(before + 1)
    })

    it('validates the decision: edit needs text, approve and reject take none, unknown ids are 404', async () => {
      const { approvalId } = await draft()
      const noText = await decide(approvalId, { action: 'edit' })
      expect(noText.statusCode).toBe(400)
      expect(noText.json().error.code).toBe('ACTION_INVALID_INPUT')
      expect((await decide(approvalId, { action: 'approve', text: 'x' })).statusCode).toBe(400)
      expect((await decide(approvalId, { action: 'publish' })).statusCode).toBe(400)
      const missing = await decide('apr_missing', { action: 'approve' })
      expect(missing.statusCode).toBe(404)
      expect(missing.json().error.code).toBe('ACTION_APPROVAL_NOT_FOUND')
      const stillPending = await t.request('agent', { method: 'GET', url: `/api/v1/approvals/${approvalId}` })
      expect(stillPending.json().status).toBe('pending')
    })
  })

  describe('takeover', () => {
    it('takes a conversation over for the acting person and replies as them, idempotently', async () => {
      const { conversationId } = await inbound('Can someone call me?')
      const taken = await alice.request({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/takeover`,
      })
      expect(taken.statusCode, taken.body).toBe(200)
      expect(taken.json().conversation).toMatchObject({ handler: 'human', assigneeId: alice.id })
      // taking it yourself notifies nobody
      expect(taken.json().result.effects.map((e: { kind: string }) => e.kind)).toEqual(['conversation'])

      const reply = (key: string) =>
        alice.request({
          method: 'POST',
          url: `/api/v1/conversations/${conversationId}/reply`,
          payload: { text: 'Calling you in five minutes.' },
          headers: { 'idempotency-key': key },
        })
      const first = await reply('3f1c-reply')
      expect(first.statusCode, first.body).toBe(201)
      expect(first.json().message).toMatchObject({
        direction: 'outbound',
        authorKind: 'agent',
        authorId: alice.id,
        deliveryStatus: 'pending',
      })
      const retried = await reply('3f1c-reply')
      expect(retried.statusCode).toBe(200)
      expect(retried.json()).toMatchObject({ replayed: true, message: { id: first.json().message.id } })
      const thread = await t.request('viewer', {
        method: 'GET',
        url: `/api/v1/conversations/${conversationId}/messages?direction=outbound`,
      })
      expect(thread.json().items).toHaveLength(1)

      const back = await alice.request({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/give-back`,
      })
      expect(back.json().conversation).toMatchObject({ handler: 'ai', assigneeId: null })
    })

    it('makes a conversation human when a person replies, and theirs when nobody owned it', async () => {
      const { conversationId } = await inbound('Hello?')
      const response = await bob.request({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/reply`,
        payload: { text: 'Hi, Bob here.' },
      })
      expect(response.statusCode).toBe(201)
      expect(await t.app.crm.conversations.get(conversationId)).toMatchObject({
        handler: 'human',
        assigneeId: bob.id,
        status: 'pending',
      })
      const unknown = await t.request('agent', {
        method: 'POST',
        url: '/api/v1/conversations/cnv_missing/reply',
        payload: { text: 'x' },
      })
      expect(unknown.statusCode).toBe(404)
      expect(unknown.json().error.code).toBe('CRM_CONVERSATION_NOT_FOUND')
    })

    it('assigns to another person with a notification only they see', async () => {
      const { conversationId } = await inbound('I need help with an invoice')
      const assigned = await alice.request({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/takeover`,
        payload: { assigneeId: bob.id },
      })
      expect(assigned.json().conversation).toMatchObject({ handler: 'human', assigneeId: bob.id })
      const bobs = await bob.request({
        method: 'GET',
        url: `/api/v1/notifications?conversationId=${conversationId}`,
      })
      const [notification] = bobs.json().items
      expect(notification).toMatchObject({ kind: 'assigned', userId: bob.id, readAt: null })
      const alices = await alice.request({
        method: 'GET',
        url: `/api/v1/notifications?conversationId=${conversationId}`,
      })
      expect(alices.json().items).toEqual([])
      const notHers = await alice.request({
        method: 'POST',
        url: `/api/v1/notifications/${notification.id}/read`,
      })
      expect(notHers.statusCode).toBe(404)
      const read = await bob.request({ method: 'POST', url: `/api/v1/notifications/${notification.id}/read` })
      expect(read.statusCode).toBe(200)
      expect(read.json().readAt).not.toBeNull()
      const unread = await bob.request({
        method: 'GET',
        url: `/api/v1/notifications?unread=true&conversationId=${conversationId}`,
      })
      expect(unread.json().items).toEqual([])
      const unknownUser = await alice.request({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/takeover`,
        payload: { assigneeId: 'usr_01JD3Z7X2N4V5B6C7D8E9F0G1H' },
      })
      expect(unknownUser.statusCode).toBe(400)
    })
  })

  describe('applying the agent to a message', () => {
    const apply = (messageId: string, payload?: Record<string, unknown>) =>
      t.request('agent', {
        method: 'POST',
        url: `/api/v1/messages/${messageId}/apply`,
        ...(payload ? { payload } : {}),
      })

    it('hands a request for a person to the team queue with the holding reply and a notification', async () => {
      const { messageId, conversationId } = await inbound('I want to talk to a real person')
      const response = await apply(messageId)
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json()).toMatchObject({
        decisionAction: 'hand_off',
        outcome: 'handed_off',
        decision: { action: 'hand_off', handOffReason: 'customer_asked_for_person' },
      })
      expect(await t.app.crm.conversations.get(conversationId)).toMatchObject({ handler: 'human' })
      // the team's queue: every person and every API token sees it
      for (const viewer of [alice.request, bob.request]) {
        const list = await viewer({
          method: 'GET',
          url: `/api/v1/notifications?kind=hand_off&conversationId=${conversationId}`,
        })
        expect(list.json().items).toHaveLength(1)
      }
      const viaToken = await t.request('agent', { method: 'GET', url: '/api/v1/notifications?kind=hand_off' })
      expect(viaToken.json().items.map((n: { conversationId: string }) => n.conversationId)).toContain(
        conversationId,
      )
      const decision = await t.request('viewer', {
        method: 'GET',
        url: `/api/v1/messages/${messageId}/decision`,
      })
      expect(decision.statusCode).toBe(200)
    })

    it('answers, drafts or hands off a question — exactly one terminal effect — and only drafts after a takeover', async () => {
      const { messageId, conversationId } = await inbound('退款多久到账？钱会退回哪里')
      const sender = counter
      const first = await apply(messageId)
      expect(first.statusCode, first.body).toBe(200)
      const expected = {
        answer: 'sent',
        answer_with_approval: 'drafted',
        ask_clarifying: 'sent',
        hand_off: 'handed_off',
      }
      const { decisionAction, outcome } = first.json()
      expect(outcome).toBe(expected[decisionAction as keyof typeof expected])

      const next = await t.request('integration', {
        method: 'POST',
        url: '/api/v1/channels/api/messages',
        payload: {
          from: { email: `c${sender}@example.com` },
          text: '还有，运费退吗？',
          messageId: `m-${counter}-2`,
          conversationId,
        },
      })
      expect(next.statusCode, next.body).toBe(202)
      await t.request('agent', { method: 'POST', url: `/api/v1/conversations/${conversationId}/takeover` })
      const outbound = await countRows(t, 'outbox')
      const drafted = await apply(next.json().messageId)
      const whileHuman = { answer: 'drafted', answer_with_approval: 'drafted', ask_clarifying: 'drafted' }
      expect(drafted.json().outcome).toBe(
        whileHuman[drafted.json().decisionAction as keyof typeof whileHuman] ?? 'nothing',
      )
      expect(await countRows(t, 'outbox')).toBe(outbound)
    })

    it('never answers automatic mail, and refuses outbound and unknown messages', async () => {
      const { messageId, conversationId } = await inbound('Automatic reply: I am out of the office')
      const response = await apply(messageId, { headers: { 'Auto-Submitted': 'auto-replied' } })
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json()).toMatchObject({
        outcome: 'nothing',
        reason: 'automatic_mail: Auto-Submitted: auto-replied',
      })
      const thread = await t.request('viewer', {
        method: 'GET',
        url: `/api/v1/conversations/${conversationId}/messages?direction=outbound`,
      })
      expect(thread.json().items).toEqual([])

      const reply = await t.request('agent', {
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/reply`,
        payload: { text: 'Noted.' },
      })
      const outboundApply = await apply(reply.json().message.id)
      expect(outboundApply.statusCode).toBe(409)
      expect(outboundApply.json().error.code).toBe('ACTION_MESSAGE_NOT_INBOUND')
      expect((await apply('msg_missing')).statusCode).toBe(404)
    })

    it('lets an admin set the hourly AI reply cap', async () => {
      expect((await t.request('viewer', { method: 'GET', url: '/api/v1/actions/settings' })).json()).toEqual({
        aiRepliesPerHour: 5,
      })
      const refused = await t.request('agent', {
        method: 'PUT',
        url: '/api/v1/actions/settings',
        payload: { aiRepliesPerHour: 1 },
      })
      expect(refused.statusCode).toBe(403)
      const saved = await t.request('admin', {
        method: 'PUT',
        url: '/api/v1/actions/settings',
        payload: { aiRepliesPerHour: 3 },
      })
      expect(saved.json()).toEqual({ aiRepliesPerHour: 3 })
      expect(
        (
          await t.request('admin', {
            method: 'PUT',
            url: '/api/v1/actions/settings',
            payload: { aiRepliesPerHour: -1 },
          })
        ).statusCode,
      ).toBe(400)
      await t.request('admin', {
        method: 'PUT',
        url: '/api/v1/actions/settings',
        payload: { aiRepliesPerHour: 5 },
      })
    })
  })
})
