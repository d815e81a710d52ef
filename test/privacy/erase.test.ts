import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { draftForApprovalAction, handOffAction, replyAction } from '../../src/actions/index.js'
import { createApp } from '../../src/app.js'
import { isId, loadConfig, newId } from '../../src/core/index.js'
import { cliActor, systemActor } from '../../src/crm/index.js'
import { createRedisQueue } from '../../src/queue/index.js'
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
import MailComposer from 'nodemailer/lib/mail-composer/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase, testDatabases, testServices } from '../support/databases.js'
import { until } from '../support/wait.js'

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
  emailHeader: 'Zqxvheader-value',
  emailQuoted: 'Zqxvquoted earlier mail',
  emailAttachment: 'ZQXV-EMAIL-ATTACHMENT-BYTES',
  emailSubject: 'Zqxvemailsubject',
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
    'email_messages',
    // the workflows that handled their messages: run facts, step outputs, and the jobs that woke them
    'workflow_runs',
    'workflow_run_steps',
    'jobs',
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
    // An email from them, filed like a webhook or IMAP delivery: envelope, headers, quoted history, attachment.
    const mailbox = await t.app.crm.inboxes.create(
      { name: 'mail', channel: 'email', address: 'help@shop.example', settings: {}, active: true },
      systemActor,
    )
    const raw = await new MailComposer({
      from: SECRETS.email,
      to: 'help@shop.example',
      subject: SECRETS.emailSubject,
      messageId: '<erase-mail-1@example.org>',
      headers: { 'X-Customer-Note': SECRETS.emailHeader },
      text: `Please look at the file.\n\nOn Mon, 23 Nov 2026, Support wrote:\n> ${SECRETS.emailQuoted}`,
      attachments: [{ filename: 'scan.txt', content: SECRETS.emailAttachment, contentType: 'text/plain' }],
    })
      .compile()
      .build()
    const mail = await t.app.channels.ingest.fileRawEmail(mailbox, raw, systemActor)
    expect(mail.customerId).toBe(customerId)
    // The inbound workflow ran on the message too (embedded queue): its run facts hold the text.
    await t.app.workflows.engine.trigger(
      'message.received',
      { messageId, conversationId, customerId },
      `message:${messageId}`,
    )
    const worker = t.app.queue().work(t.app.workflows.engine.handle, { pollMs: 10 })
    const runsOf = () =>
      db.selectFrom('workflow_runs').selectAll().where('messageId', '=', messageId).execute()
    await until(async () => {
      const runs = await runsOf()
      return runs.length > 0 && runs.every((r) => r.status !== 'running')
    })
    await worker.stop()
    expect(JSON.stringify(await runsOf())).toContain(SECRETS.message)
    // jobs carry ids only, before erasure as after
    const jobs = await db.selectFrom('jobs').select('payload').execute()
    expect(jobs.length).toBeGreaterThan(0)
    for (const job of jobs) expect(JSON.stringify(job.payload)).not.toContain('Zqxv')
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
    const runs = await t.app.store.db
      .selectFrom('workflow_runs')
      .select('id')
      .where((eb) => eb.or([eb('customerId', '=', customerId), eb('messageId', '=', messageId)]))
      .execute()
    expect(runs).toEqual([])

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

const { postgresUrl, redisUrl, requireServices } = testServices
const QUEUE_TITLE = 'erasure: queue mode keeps no personal data in Redis [redis]'

describe.skipIf(!postgresUrl || !redisUrl)(QUEUE_TITLE, () => {
  it('holds only run ids in BullMQ job data, and erasing the customer removes their runs', async () => {
    const postgres = testDatabases().find((candidate) => candidate.name === 'postgres')
    if (!postgres) throw new Error('no Postgres')
    const store = await postgres.open()
    const prefix = `erase_${randomBytes(4).toString('hex')}`
    const config = loadConfig(
      {},
      {
        databaseUrl: postgresUrl as string,
        logLevel: 'silent',
        secret: 'test-secret',
        redisUrl: redisUrl as string,
        queuePrefix: prefix,
      },
    )
    const app = await createApp(config, { store })
    const redis = new Redis(redisUrl as string)
    try {
      const receipt = await app.crm.inbound.receiveApiMessage(
        {
          from: { email: 'zqxv.queue.person@example.org', name: '欧阳Zqxvqueue' },
          text: '我的手机是13912345678，卡号Zqxvqueue 请尽快退款',
          messageId: 'erase-queue-1',
        },
        cliActor,
      )
      await app.workflows.engine.trigger(
        'message.received',
        {
          messageId: receipt.messageId,
          conversationId: receipt.conversationId,
          customerId: receipt.customerId,
        },
        `message:${receipt.messageId}`,
      )
      const worker = app.queue().work(app.workflows.engine.handle, { concurrency: 2 })
      const runsOf = () =>
        store.db
          .selectFrom('workflow_runs')
          .select(['id', 'status', 'facts'])
          .where('messageId', '=', receipt.messageId)
          .execute()
      await until(async () => {
        const runs = await runsOf()
        return runs.length > 0 && runs.every((run) => run.status !== 'running')
      }, 60_000)
      await worker.stop()
      const runs = await runsOf()
      // the database holds the text (run facts) — so the test can fail if Redis held it too
      expect(JSON.stringify(runs)).toContain('Zqxvqueue')

      // everything BullMQ keeps under our prefix: job hashes (data, return values, errors), lists, sets
      const keys = await redis.keys(`${prefix}:*`)
      expect(keys.length).toBeGreaterThan(0)
      let dump = ''
      const payloads: unknown[] = []
      for (const key of keys) {
        const type = await redis.type(key)
        if (type === 'hash') {
          const hash = await redis.hgetall(key)
          dump += JSON.stringify(hash)
          if (hash.data) payloads.push((JSON.parse(hash.data) as { payload: unknown }).payload)
        } else if (type === 'list') dump += JSON.stringify(await redis.lrange(key, 0, -1))
        else if (type === 'zset') dump += JSON.stringify(await redis.zrange(key, 0, -1))
        else if (type === 'set') dump += JSON.stringify(await redis.smembers(key))
        else if (type === 'string') dump += (await redis.get(key)) ?? ''
        else if (type === 'stream') dump += JSON.stringify(await redis.xrange(key, '-', '+'))
      }
      for (const secret of ['Zqxvqueue', '13912345678', 'zqxv.queue.person@example.org', '退款'])
        expect(dump, `Redis holds ${secret}`).not.toContain(secret)
      expect(payloads.length).toBeGreaterThan(0)
      const runIds = new Set(runs.map((run) => String(run.id)))
      for (const payload of payloads) {
        expect(Object.keys(payload as object)).toEqual(['runId'])
        expect(runIds.has((payload as { runId: string }).runId)).toBe(true)
        expect(isId('workflowRun', (payload as { runId: string }).runId)).toBe(true)
      }

      await app.privacy.erase(receipt.customerId, cliActor)
      expect(await runsOf()).toEqual([])
    } finally {
      redis.disconnect()
      await app.close()
      const queue = createRedisQueue({ url: redisUrl as string, clock: app.clock, prefix })
      await (queue as unknown as { obliterate(): Promise<void> }).obliterate().catch(() => {})
      await queue.close()
      await store.dispose()
    }
  }, 120_000)
})

if ((!postgresUrl || !redisUrl) && requireServices) {
  describe(QUEUE_TITLE, () => {
    it('runs on Postgres and Redis (AGENTCRM_REQUIRE_SERVICES=1)', () => {
      throw new Error(
        'AGENTCRM_TEST_POSTGRES_URL and AGENTCRM_TEST_REDIS_URL must be set when AGENTCRM_REQUIRE_SERVICES=1',
      )
    })
  })
}
