import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  addNoteAction,
  applyDecision,
  createTaskAction,
  draftForApprovalAction,
  handOffAction,
  replyAction,
  runAction,
  tagAction,
  updateCustomerAction,
  type ActionContext,
  type ActionStore,
  type ActionTransaction,
} from '../../src/actions/index.js'
import type { Decision } from '../../src/agent/index.js'
import { systemActor, type Actor } from '../../src/crm/index.js'
import { createActionStore } from '../../src/store/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { countRows } from '../support/records.js'

const TABLES = ['messages', 'outbox', 'approvals', 'notifications', 'action_effects', 'audit_log'] as const

function decision(
  action: Decision['action'],
  reply: string | null = 'Your parcel left our warehouse today.',
): Decision {
  return {
    action,
    confidence: 0.9,
    reply,
    citations: [
      {
        externalId: 'shipping-times',
        articleId: 'art_01JD3Z7X2N4V5B6C7D8E9F0G1H',
        title: 'Shipping times',
        passage: 'Orders ship within 24 hours.',
        score: 0.8,
      },
    ],
    handOffReason: action === 'hand_off' ? 'customer_asked_for_person' : null,
    rulesFired: [],
    explanation: 'test decision',
    language: 'en',
    facts: [],
    orderId: null,
  }
}

describeEachDatabase('action executor', (database) => {
  let t: TestApp
  let store: ActionStore
  let counter = 0
  const actor: Actor = { kind: 'system', id: null, requestId: null }

  beforeAll(async () => {
    t = await createTestApp(database)
    store = createActionStore({ store: t.app.store, clock: t.clock, defaultRegion: 'CN' })
  })
  afterAll(async () => t?.dispose())

  const context = (idempotencyKey: string | null = null, over: ActionStore = store): ActionContext => ({
    actor,
    clock: t.clock,
    store: over,
    idempotencyKey,
  })

  /** An inbound message through the API channel; `conversationId` continues a conversation. */
  async function inbound(text: string, conversationId?: string) {
    const response = await t.request('integration', {
      method: 'POST',
      url: '/api/v1/channels/api/messages',
      payload: {
        // a new sender opens a new conversation; continuing one keeps its sender
        from: { email: `li.lei.${conversationId ?? ++counter}@example.com`, name: 'Li Lei' },
        text,
        messageId: `ext-${++counter}`,
        ...(conversationId ? { conversationId } : {}),
      },
    })
    expect(response.statusCode, response.body).toBe(202)
    return response.json() as { messageId: string; conversationId: string; customerId: string }
  }

  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {}
    for (const table of TABLES) out[table] = await countRows(t, table)
    return out
  }

  const conversation = (id: string) => t.app.crm.conversations.get(id)

  it('writes a reply as an outbound message and its outbox row, listed in the thread as pending', async () => {
    const { conversationId } = await inbound('Where is my parcel?')
    const result = await runAction(replyAction, { conversationId, text: 'It ships today.' }, context())
    expect(result).toMatchObject({ action: 'reply', status: 'done', replayed: false })
    const messageId = result.effects.find((e) => e.kind === 'message')?.id as string
    const outboxId = result.effects.find((e) => e.kind === 'outbox')?.id as string
    const [outbox] = await t.app.actions.repository.outboxForMessage(messageId)
    expect(outbox).toMatchObject({
      id: outboxId,
      channel: 'api',
      status: 'pending',
      attempts: 0,
      lastError: null,
      idempotencyKey: `message:${messageId}`,
    })
    const thread = await t.request('viewer', {
      method: 'GET',
      url: `/api/v1/conversations/${conversationId}/messages`,
    })
    expect(thread.json().items.at(-1)).toMatchObject({
      id: messageId,
      direction: 'outbound',
      authorKind: 'ai',
      text: 'It ships today.',
      deliveryStatus: 'pending',
    })
    // answered: the conversation now waits on the customer, and the AI still handles it
    expect(await conversation(conversationId)).toMatchObject({ status: 'pending', handler: 'ai' })
    const audit = await t.app.audit.list({ filters: { action: 'action.reply', targetId: messageId } })
    expect(audit.items).toHaveLength(1)
  })

  it('writes nothing when the outbox insert fails after the message insert', async () => {
    const { conversationId } = await inbound('Hello?')
    const wrap = (tx: ActionTransaction): ActionTransaction => {
      const failing: ActionTransaction = {
        ...tx,
        transaction: (work) => work(failing),
        outbox: {
          enqueue: async () => {
            throw new Error('the disk is full')
          },
        },
      }
      return failing
    }
    const failingStore: ActionStore = { transaction: (work) => store.transaction((tx) => work(wrap(tx))) }
    const before = await counts()
    const conversationBefore = await conversation(conversationId)
    await expect(
      runAction(replyAction, { conversationId, text: 'never sent' }, context('run_fail:reply', failingStore)),
    ).rejects.toThrow('the disk is full')
    expect(await counts()).toEqual(before)
    expect(await conversation(conversationId)).toEqual(conversationBefore)
    // the same key then succeeds: the failed attempt left no effect record behind
    const retried = await runAction(
      replyAction,
      { conversationId, text: 'sent once' },
      context('run_fail:reply'),
    )
    expect(retried.status).toBe('done')
  })

  it('sends once per idempotency key: the second run replays the first result', async () => {
    const { conversationId } = await inbound('Do you ship to Hangzhou?')
    const before = await counts()
    const first = await runAction(
      replyAction,
      { conversationId, text: 'Yes, we do.' },
      context('run_7:step_2'),
    )
    const second = await runAction(
      replyAction,
      { conversationId, text: 'Yes, we do.' },
      context('run_7:step_2'),
    )
    expect(second).toEqual({ ...first, replayed: true })
    const after = await counts()
    expect(after.messages - before.messages).toBe(1)
    expect(after.outbox - before.outbox).toBe(1)
    const messageId = first.effects.find((e) => e.kind === 'message')?.id as string
    expect((await t.app.actions.repository.outboxForMessage(messageId))[0].idempotencyKey).toBe(
      'run_7:step_2',
    )
    // a key belongs to one action
    await expect(
      runAction(
        tagAction,
        { target: 'conversation', id: conversationId, add: ['x'] },
        context('run_7:step_2'),
      ),
    ).rejects.toMatchObject({ code: 'ACTION_IDEMPOTENCY_KEY_REUSED' })
  })

  it('refuses input that fails the action schema, naming the field, and writes nothing', async () => {
    const before = await counts()
    await expect(
      runAction(replyAction, { conversationId: 'cnv_x', text: '  ' }, context()),
    ).rejects.toMatchObject({
      code: 'ACTION_INVALID_INPUT',
      message: 'reply: text: a reply needs some text',
      details: { action: 'reply', issues: [{ path: 'text', message: 'a reply needs some text' }] },
    })
    await expect(
      runAction(replyAction, { conversationId: 'cnv_missing', text: 'hi' }, context()),
    ).rejects.toMatchObject({ code: 'CRM_CONVERSATION_NOT_FOUND' })
    expect(await counts()).toEqual(before)
  })

  it('applies an answer as a reply, and applying the same message again sends nothing more', async () => {
    const { messageId, conversationId } = await inbound('When will my order arrive?')
    const before = await counts()
    const applied = await applyDecision(
      { messageId, decisionId: null, decision: decision('answer') },
      context(),
    )
    expect(applied).toMatchObject({ outcome: 'sent', reason: null, conversationId })
    const again = await applyDecision(
      { messageId, decisionId: null, decision: decision('answer') },
      context(),
    )
    expect(again.results[0].replayed).toBe(true)
    const after = await counts()
    expect(after.messages - before.messages).toBe(1)
    expect(after.outbox - before.outbox).toBe(1)
    await expect(
      applyDecision(
        {
          messageId: applied.results[0].effects[0].id,
          decisionId: null,
          decision: decision('answer'),
        },
        context(),
      ),
    ).rejects.toMatchObject({ code: 'ACTION_MESSAGE_NOT_INBOUND' })
  })

  it('hands off with the holding reply and a notification for the unassigned queue', async () => {
    const { messageId, conversationId } = await inbound('I want to talk to a real person about my refund')
    const applied = await applyDecision(
      {
        messageId,
        decisionId: 'dec_test',
        decision: decision('hand_off', 'A colleague will reply shortly.'),
      },
      context(),
    )
    expect(applied.outcome).toBe('handed_off')
    expect(applied.results.map((r) => [r.action, r.status])).toEqual([
      ['reply', 'done'],
      ['hand_off', 'done'],
    ])
    expect(await conversation(conversationId)).toMatchObject({ handler: 'human', assigneeId: null })
    const notifications = await t.app.actions.repository.listNotifications(
      { filters: { conversationId, kind: 'hand_off' } },
      { userId: null },
    )
    expect(notifications.items).toHaveLength(1)
    expect(notifications.items[0]).toMatchObject({
      userId: null,
      readAt: null,
      payload: {
        reason: 'customer_asked_for_person',
        messageId,
        decisionId: 'dec_test',
        excerpt: 'I want to talk to a real person about my refund',
      },
    })
  })

  it('only drafts while a person handles the conversation: no outbound message', async () => {
    const { messageId, conversationId } = await inbound('Is the blue one in stock?')
    await t.app.actions.takeOver(conversationId, null, actor)
    expect((await conversation(conversationId)).handler).toBe('human')
    const before = await counts()
    const applied = await applyDecision(
      { messageId, decisionId: null, decision: decision('answer') },
      context(),
    )
    expect(applied).toMatchObject({ outcome: 'drafted', reason: 'human_handler' })
    const after = await counts()
    expect(after.messages).toBe(before.messages)
    expect(after.outbox).toBe(before.outbox)
    expect(after.approvals - before.approvals).toBe(1)
    const approvals = await t.app.actions.repository.listApprovals({ filters: { conversationId } })
    expect(approvals.items[0]).toMatchObject({
      status: 'pending',
      reason: 'human_handler',
      messageId,
      draftText: 'Your parcel left our warehouse today.',
      citations: [expect.objectContaining({ externalId: 'shipping-times' })],
    })
    // the reply action itself refuses the same way: the AI's reply becomes a suggestion
    const direct = await runAction(
      replyAction,
      { conversationId, text: 'sneaky', inReplyTo: messageId },
      context(),
    )
    expect(direct).toMatchObject({ status: 'suggested', reason: 'human_handler' })
    expect((await counts()).messages).toBe(before.messages)
    // a person's own reply goes out
    const human = await runAction(
      replyAction,
      { conversationId, text: 'In stock!', author: 'agent' },
      context(),
    )
    expect(human.status).toBe('done')
    expect((await counts()).messages).toBe(before.messages + 1)
  })

  it('never acts on automatic mail', async () => {
    const { messageId } = await inbound('I am out of the office until Monday.')
    const before = await counts()
    const applied = await applyDecision(
      {
        messageId,
        decisionId: null,
        decision: decision('answer'),
        headers: { 'Auto-Submitted': 'auto-replied', Subject: 'Out of office' },
      },
      context(),
    )
    expect(applied).toMatchObject({
      outcome: 'nothing',
      reason: 'automatic_mail: Auto-Submitted: auto-replied',
    })
    const after = await counts()
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 })
    expect(after.audit_log).toBe(before.audit_log + 1) // the apply itself is audited
  })

  it('caps AI replies per conversation per hour, then hands off with the draft ready', async () => {
    await t.app.actions.repository.saveLimits({ aiRepliesPerHour: 2 }, actor)
    const first = await inbound('Question one?')
    const { conversationId } = first
    const outcomes: string[] = []
    for (const text of ['Question two?', 'Question three?']) {
      const message = text === 'Question two?' ? first : await inbound(text, conversationId)
      outcomes.push(
        (
          await applyDecision(
            { messageId: message.messageId, decisionId: null, decision: decision('answer') },
            context(),
          )
        ).outcome,
      )
      t.clock.advance(60_000)
    }
    const third = await inbound('Question four?', conversationId)
    const capped = await applyDecision(
      { messageId: third.messageId, decisionId: null, decision: decision('answer') },
      context(),
    )
    outcomes.push(capped.outcome)
    expect(outcomes).toEqual(['sent', 'sent', 'handed_off'])
    expect(capped.reason).toBe('reply_cap')
    expect(await conversation(conversationId)).toMatchObject({ handler: 'human' })
    const drafts = await t.app.actions.repository.listApprovals({
      filters: { conversationId, reason: 'reply_cap' },
    })
    expect(drafts.items).toHaveLength(1)
    // an hour later, given back to the AI, it may answer again
    t.clock.advance(60 * 60_000)
    await t.app.actions.giveBack(conversationId, actor)
    const later = await inbound('Question five?', conversationId)
    expect(
      (
        await applyDecision(
          { messageId: later.messageId, decisionId: null, decision: decision('answer') },
          context(),
        )
      ).outcome,
    ).toBe('sent')
    await t.app.actions.repository.saveLimits({ aiRepliesPerHour: 5 }, actor)
  })

  it('does not count drafts a person approved against the AI reply cap', async () => {
    await t.app.actions.repository.saveLimits({ aiRepliesPerHour: 1 }, actor)
    const first = await inbound('Refund question')
    const drafted = await applyDecision(
      { messageId: first.messageId, decisionId: null, decision: decision('answer_with_approval') },
      context(),
    )
    await t.app.actions.decideApproval(drafted.results[0].effects[0].id, { action: 'approve' }, actor)
    const next = await inbound('And the shipping fee?', first.conversationId)
    const applied = await applyDecision(
      { messageId: next.messageId, decisionId: null, decision: decision('answer') },
      context(),
    )
    expect(applied.outcome).toBe('sent')
    const third = await inbound('And the box?', first.conversationId)
    const capped = await applyDecision(
      { messageId: third.messageId, decisionId: null, decision: decision('answer') },
      context(),
    )
    expect(capped).toMatchObject({ outcome: 'handed_off', reason: 'reply_cap' })
    await t.app.actions.repository.saveLimits({ aiRepliesPerHour: 5 }, actor)
  })

  it('returns a conversation to the AI when it is resolved, and on an explicit give-back', async () => {
    const users = await t.app.access.createUser(
      { email: `owner${++counter}@example.com`, password: 'correct horse battery', role: 'agent' },
      systemActor,
    )
    const { conversationId } = await inbound('Thanks, that is all')
    await t.app.actions.takeOver(conversationId, users.id, actor)
    expect(await conversation(conversationId)).toMatchObject({ handler: 'human', assigneeId: users.id })
    const resolved = await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/conversations/${conversationId}`,
      payload: { status: 'resolved' },
    })
    expect(resolved.json()).toMatchObject({ status: 'resolved', handler: 'ai', assigneeId: users.id })
    await t.app.actions.takeOver(conversationId, users.id, actor)
    const back = await t.app.actions.giveBack(conversationId, actor)
    expect(back.status).toBe('done')
    expect(await conversation(conversationId)).toMatchObject({ handler: 'ai', assigneeId: null })
    expect((await t.app.actions.giveBack(conversationId, actor)).status).toBe('skipped')
    // an assignment notifies the new owner, unless they took it themselves
    const assigned = await t.app.actions.takeOver(conversationId, users.id, actor)
    expect(assigned.effects.map((e) => e.kind)).toEqual(['conversation', 'notification'])
    const mine = await t.app.actions.repository.listNotifications({}, { userId: users.id })
    expect(mine.items.map((n) => n.kind)).toContain('assigned')
  })

  it('tags, updates the customer, adds notes and tasks, each audited', async () => {
    const { conversationId, customerId, messageId } = await inbound('My new number is 13800138000')
    const tagged = await runAction(
      tagAction,
      { target: 'conversation', id: conversationId, add: ['shipping', 'vip'], remove: ['none'] },
      context(),
    )
    expect(tagged.status).toBe('done')
    expect((await conversation(conversationId)).tags).toEqual(['shipping', 'vip'])
    await runAction(tagAction, { target: 'conversation', id: conversationId, remove: ['vip'] }, context())
    expect((await conversation(conversationId)).tags).toEqual(['shipping'])
    await runAction(tagAction, { target: 'customer', id: customerId, add: ['returning'] }, context())
    expect((await t.app.crm.customers.get(customerId)).tags).toEqual(['returning'])

    const updated = await runAction(
      updateCustomerAction,
      { customerId, fields: { phone: '13800138000', name: 'Someone Else' }, onlyEmpty: true },
      context(),
    )
    expect(updated).toMatchObject({ status: 'done', reason: 'kept name' })
    expect(await t.app.crm.customers.get(customerId)).toMatchObject({
      name: 'Li Lei',
      phone: '+8613800138000',
    })
    const before = await counts()
    await expect(
      runAction(updateCustomerAction, { customerId, attributes: { undefinedKey: 'x' } }, context()),
    ).rejects.toMatchObject({ code: 'CRM_INVALID_ATTRIBUTE' })
    expect(await counts()).toEqual(before)

    const note = await runAction(addNoteAction, { conversationId, body: 'Prefers SMS' }, context())
    const task = await runAction(
      createTaskAction,
      { title: 'Call back', conversationId, priority: 'high' },
      context(),
    )
    expect((await t.app.crm.notes.get(note.effects[0].id)).customerId).toBe(customerId)
    expect(await t.app.crm.tasks.get(task.effects[0].id)).toMatchObject({
      customerId,
      conversationId,
      priority: 'high',
      status: 'open',
    })
    for (const action of ['action.tag', 'action.update_customer', 'action.add_note', 'action.create_task']) {
      const audit = await t.app.audit.list({ filters: { action } })
      expect(audit.items.length, action).toBeGreaterThan(0)
    }
    // a draft for an explicit reviewer who is not a user is refused
    await expect(
      runAction(
        draftForApprovalAction,
        { conversationId, messageId, text: 'Draft', assigneeId: 'usr_01JD3Z7X2N4V5B6C7D8E9F0G1H' },
        context(),
      ),
    ).rejects.toMatchObject({ code: 'CRM_INVALID_REFERENCE' })
    await expect(
      runAction(handOffAction, { conversationId, reason: 'Not A Word' }, context()),
    ).rejects.toMatchObject({ code: 'ACTION_INVALID_INPUT' })
  })
})
