import { existsSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { draftForApprovalAction, handOffAction, replyAction } from '../../src/actions/index.js'
import { newId } from '../../src/core/index.js'
import { systemActor } from '../../src/crm/index.js'
import {
  attachmentsTable,
  conversationsTable,
  eventsTable,
  inboxesTable,
  messagesTable,
  notesTable,
  ordersTable,
  tasksTable,
} from '../../src/store/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'

/** Strings that appear nowhere else, so finding one anywhere after erasure is a leak. */
const SECRETS = {
  name: '欧阳Zqxvname',
  email: 'zqxv.unique.person@example.org',
  phoneDigits: '13912345678',
  address: 'Zqxv炫彩路42号',
  message: '我的卡号是Zqxvmessage 请尽快处理',
  reply: 'Dear Zqxvreplyname, we are on it',
  note: 'Zqxvnote: prefers calls after 6pm',
  task: 'Call Zqxvtask back',
  attachment: 'ZQXV-ATTACHMENT-BYTES',
  subject: 'Zqxvsubject refund',
  property: 'Zqxvproperty-search-term',
  consentSource: 'Zqxvconsent-form',
  externalId: 'zqxv-ext-7788',
  example: '帮我查下Zqxvexample的订单',
  draft: 'Zqxvdraft: your refund to card 6222 is on its way',
  deliveryError: '550 mailbox zqxv.bounce@example.org unknown',
}

async function tableDumps(t: TestApp): Promise<string> {
  const tables = [
    'customers',
    'identities',
    'consent_events',
    'orders',
    'order_items',
    'events',
    'conversations',
    'messages',
    'attachments',
    'notes',
    'tasks',
    'audit_log',
    'companies',
    'training_examples',
    'agent_decisions',
    'approvals',
    'notifications',
    'outbox',
    'action_effects',
  ]
  let text = ''
  for (const table of tables) {
    const rows = await t.app.store.db.selectFrom(table).selectAll().execute()
    text += JSON.stringify(rows, (_key, value: unknown) => {
      const buffer = value as { type?: string; data?: number[] } | null
      return buffer && buffer.type === 'Buffer' && Array.isArray(buffer.data)
        ? Buffer.from(buffer.data).toString('latin1')
        : value
    })
  }
  return text
}

describeEachDatabase('erasure', (database) => {
  let t: TestApp
  let customerId: string
  /** The customer's inbound message, which the agent handled. */
  let messageId: string
  beforeAll(async () => {
    t = await createTestApp(database)
  })
  afterAll(async () => t?.dispose())

  it('seeds a customer whose personal strings reach every table', async () => {
    const created = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/customers',
      payload: {
        name: SECRETS.name,
        email: SECRETS.email,
        phone: `+86 139 1234 5678`,
        externalId: SECRETS.externalId,
      },
    })
    expect(created.statusCode).toBe(201)
    customerId = created.json().id
    const consent = await t.request('agent', {
      method: 'POST',
      url: `/api/v1/customers/${customerId}/consent`,
      payload: { purpose: 'marketing', channel: 'email', status: 'granted', source: SECRETS.consentSource },
    })
    expect(consent.statusCode).toBe(201)

    const { db, codec } = t.app.store
    const at = t.clock.now().toISOString()
    const inboxId = newId('inbox')
    const conversationId = newId('conversation')
    messageId = newId('message')
    await db
      .insertInto('inboxes')
      .values(
        codec.encode(inboxesTable.columns, {
          id: inboxId,
          name: 'chat',
          channel: 'chat',
          address: 'w',
          settings: {},
          active: true,
          createdAt: at,
          updatedAt: at,
        }),
      )
      .execute()
    await db
      .insertInto('orders')
      .values(
        codec.encode(ordersTable.columns, {
          id: newId('order'),
          number: 'LM-ERASE-1',
          customerId,
          status: 'delivered',
          currency: 'CNY',
          subtotalAmount: 100,
          discountAmount: 0,
          shippingAmount: 0,
          totalAmount: 100,
          paymentStatus: 'paid',
          shippingAddress: { line1: SECRETS.address, city: '上海' },
          placedAt: at,
          refunds: [],
          returns: [],
          attributes: {},
          createdAt: at,
          updatedAt: at,
        }),
      )
      .execute()
    await db
      .insertInto('events')
      .values(
        codec.encode(eventsTable.columns, {
          id: newId('event'),
          type: 'search',
          customerId,
          sessionId: 's1',
          properties: { query: SECRETS.property },
          source: 'web',
          occurredAt: at,
          createdAt: at,
        }),
      )
      .execute()
    await db
      .insertInto('conversations')
      .values(
        codec.encode(conversationsTable.columns, {
          id: conversationId,
          inboxId,
          customerId,
          channel: 'chat',
          status: 'open',
          handler: 'ai',
          priority: 'normal',
          subject: SECRETS.subject,
          tags: [],
          createdAt: at,
          updatedAt: at,
        }),
      )
      .execute()
    for (const [id, direction, text] of [
      [messageId, 'inbound', SECRETS.message],
      [newId('message'), 'outbound', SECRETS.reply],
    ] as const) {
      await db
        .insertInto('messages')
        .values(
          codec.encode(messagesTable.columns, {
            id,
            conversationId,
            inboxId,
            customerId,
            direction,
            authorKind: direction === 'inbound' ? 'customer' : 'agent',
            text,
            channelMessageId: direction === 'inbound' ? 'm-1' : null,
            sentAt: at,
            createdAt: at,
          }),
        )
        .execute()
    }
    await db
      .insertInto('attachments')
      .values(
        codec.encode(attachmentsTable.columns, {
          id: newId('attachment'),
          customerId,
          conversationId,
          messageId,
          filename: 'id-card.png',
          contentType: 'image/png',
          size: SECRETS.attachment.length,
          sha256: 'x',
          content: Buffer.from(SECRETS.attachment),
          createdAt: at,
        }),
      )
      .execute()
    await db
      .insertInto('notes')
      .values(
        codec.encode(notesTable.columns, {
          id: newId('note'),
          customerId,
          body: SECRETS.note,
          createdAt: at,
          updatedAt: at,
        }),
      )
      .execute()
    await db
      .insertInto('tasks')
      .values(
        codec.encode(tasksTable.columns, {
          id: newId('task'),
          title: SECRETS.task,
          customerId,
          status: 'open',
          priority: 'normal',
          createdAt: at,
          updatedAt: at,
        }),
      )
      .execute()
    // A person corrected the agent on this customer's message: it became a labelled example.
    await db
      .insertInto('training_examples')
      .values({
        id: newId('example'),
        task: 'intent',
        text: SECRETS.example,
        label: 'order_status',
        source: 'correction',
        messageId,
        customerId,
        createdAt: at,
      })
      .execute()
    // The agent handled the message: its decision record holds what it read (and the reply it wrote).
    const handled = await t.app.agent.handle(messageId)
    expect(handled.record.perception.redactedText).toContain('Zqxvmessage')
    const decisions = await db
      .selectFrom('agent_decisions')
      .selectAll()
      .where('messageId', '=', messageId)
      .execute()
    expect(decisions).toHaveLength(1)
    expect(JSON.stringify(decisions)).toContain(SECRETS.message)
    // The executor acted on it: a reply in the outbox (whose delivery failed naming an address), a hand-off
    // notification quoting the message, and a draft waiting for approval.
    const run = t.app.actions.run
    const sent = await run(replyAction, { conversationId, text: SECRETS.reply }, systemActor)
    await db
      .updateTable('outbox')
      .set({ status: 'failed', lastError: SECRETS.deliveryError })
      .where('messageId', '=', sent.effects[0].id)
      .execute()
    await run(handOffAction, { conversationId, messageId, reason: 'low_confidence' }, systemActor)
    await run(draftForApprovalAction, { conversationId, messageId, text: SECRETS.draft }, systemActor)
    const dump = await tableDumps(t)
    // The test can fail: every secret is really there before erasure.
    for (const secret of [
      ...Object.values(SECRETS).filter((s) => s !== SECRETS.phoneDigits),
      SECRETS.phoneDigits,
    ]) {
      expect(dump).toContain(secret)
    }
  })

  it('exports everything held about the person', async () => {
    const response = await t.request('admin', {
      method: 'GET',
      url: `/api/v1/customers/${customerId}/export`,
    })
    expect(response.statusCode).toBe(200)
    const text = response.body
    for (const secret of [
      SECRETS.name,
      SECRETS.message,
      SECRETS.note,
      SECRETS.address,
      SECRETS.consentSource,
      SECRETS.draft,
    ]) {
      expect(text).toContain(secret)
    }
  })

  it('refuses erasure to an agent (admin only)', async () => {
    const response = await t.request('agent', {
      method: 'DELETE',
      url: `/api/v1/customers/${customerId}?erase=true`,
    })
    expect(response.statusCode).toBe(403)
  })

  it('erases: no personal string remains in any table, nor in the raw database and WAL files', async () => {
    const response = await t.request('admin', {
      method: 'DELETE',
      url: `/api/v1/customers/${customerId}?erase=true`,
    })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ id: customerId, name: null, email: null, phone: null })
    expect(response.json().erasedAt).not.toBeNull()

    const dump = await tableDumps(t)
    for (const secret of Object.values(SECRETS))
      expect(dump, `table dump still holds ${secret}`).not.toContain(secret)
    const decisions = await t.app.store.db
      .selectFrom('agent_decisions')
      .select('id')
      .where((eb) => eb.or([eb('customerId', '=', customerId), eb('messageId', '=', messageId)]))
      .execute()
    expect(decisions).toEqual([])

    if (t.path) {
      for (const file of [t.path, `${t.path}-wal`]) {
        if (!existsSync(file)) continue
        const bytes = readFileSync(file)
        for (const secret of Object.values(SECRETS)) {
          expect(bytes.includes(Buffer.from(secret, 'utf8')), `${file} still holds ${secret}`).toBe(false)
        }
      }
    }
    // The tombstone stays, so orders and aggregates still add up.
    const orders = await t.app.store.db
      .selectFrom('orders')
      .select(['totalAmount'])
      .where('customerId', '=', customerId)
      .execute()
    expect(orders.map((o) => Number(o.totalAmount))).toEqual([100])
    const audit = await t.request('admin', {
      method: 'GET',
      url: `/api/v1/audit?targetId=${customerId}&action=customer.erase`,
    })
    expect(audit.json().items).toHaveLength(1)
  })
})
