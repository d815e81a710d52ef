import { afterAll, beforeAll, expect, it } from 'vitest'
import { createApp, type App } from '../../src/app.js'
import { loadConfig } from '../../src/core/index.js'
import { cliActor } from '../../src/crm/index.js'
import { buildServer } from '../../src/server/http.js'
import { openStore, recordLiveEvent, type Store } from '../../src/store/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'
import { createConversation, createCustomer, createInbox } from '../support/records.js'
import { openEventStream, type ReceivedEvent } from '../support/sse.js'
import { until } from '../support/wait.js'

describeEachDatabase('live stream (SSE)', (database) => {
  let t: TestApp
  let base: string
  /** A second app on the same database: another process as far as the first one can tell. */
  let other: App
  let otherStore: Store
  let conversation: { id: string; customerId: string }

  beforeAll(async () => {
    t = await createTestApp(database)
    base = await t.server.listen({ port: 0, host: '127.0.0.1' })
    otherStore = await openStore(
      database.name === 'sqlite'
        ? { url: `sqlite:${t.path}` }
        : { url: database.url, schema: t.app.store.schema ?? undefined },
    )
    const config = loadConfig({}, { databaseUrl: 'unused', logLevel: 'silent', secret: 'test-secret' })
    other = await createApp(config, { store: otherStore, clock: t.clock })
    const customer = await createCustomer(t, { name: '王小明' })
    const inbox = await createInbox(t)
    conversation = await createConversation(t, { customerId: customer.id, inboxId: inbox.id, status: 'open' })
  }, 60_000)
  afterAll(async () => {
    await other?.close()
    await otherStore?.close()
    await t?.dispose()
  })

  const stream = (role: keyof TestApp['tokens'] | null, headers: Record<string, string> = {}) =>
    openEventStream(`${base}/api/v1/stream`, {
      ...(role === null ? {} : { authorization: `Bearer ${t.tokens[role]}` }),
      ...headers,
    })
  /** A message written by the other app instance (an agent's reply in the console of another process). */
  const writeElsewhere = (text: string) =>
    other.crm.messages.create(conversation.id, { direction: 'outbound', authorKind: 'agent', text }, cliActor)
  const isMessage = (messageId: string) => (event: ReceivedEvent) =>
    event.event === 'message.created' && JSON.parse(event.data).messageId === messageId

  it('refuses an unauthenticated client (401) and a request that does not accept an event stream (406)', async () => {
    const anonymous = await stream(null)
    expect(anonymous.status).toBe(401)
    await anonymous.ended
    expect(JSON.parse(anonymous.events[0].data).error.code).toBe('AUTH_UNAUTHENTICATED')
    const plain = await t.request('viewer', { method: 'GET', url: '/api/v1/stream' })
    expect(plain.statusCode).toBe(406)
    expect(plain.json().error.code).toBe('CORE_NOT_ACCEPTABLE')
    expect(plain.json().error.message).toContain('Accept: text/event-stream')
  })

  it('delivers message.created for a message another app instance wrote, with ids only', async () => {
    const client = await stream('viewer')
    expect(client.status).toBe(200)
    expect(client.headers['content-type']).toContain('text/event-stream')
    const message = await writeElsewhere('您的订单已发货 Your order has shipped')
    const event = await client.next(isMessage(message.id))
    expect(JSON.parse(event.data)).toEqual({ conversationId: conversation.id, messageId: message.id })
    expect(event.data).not.toContain('shipped')
    expect(Number(event.id)).toBeGreaterThan(0)
    client.close()
  })

  it('resumes after Last-Event-ID with what was written while disconnected, and nothing before it', async () => {
    const client = await stream('viewer')
    const first = await writeElsewhere('first')
    const seen = await client.next(isMessage(first.id))
    client.close()
    await until(() => t.app.live.hub.listenerCount === 0)
    const missed = await writeElsewhere('written while the console was offline')
    const resumed = await stream('viewer', { 'last-event-id': String(seen.id) })
    const event = await resumed.next(isMessage(missed.id))
    expect(Number(event.id)).toBeGreaterThan(Number(seen.id))
    expect(resumed.events.some(isMessage(first.id))).toBe(false)
    resumed.close()
  })

  it('announces conversation updates, and notifications and approvals only to those who may read them', async () => {
    const viewer = await stream('viewer')
    const agent = await stream('agent')
    await t.request('agent', {
      method: 'PATCH',
      url: `/api/v1/conversations/${conversation.id}`,
      payload: { priority: 'high' },
    })
    await other.store.db.transaction().execute(async (db) => {
      const at = t.clock.now()
      await recordLiveEvent(
        db,
        other.store.codec,
        { kind: 'notification.created', conversationId: conversation.id, notificationId: 'ntf_team' },
        at,
      )
      await recordLiveEvent(
        db,
        other.store.codec,
        {
          kind: 'notification.created',
          conversationId: conversation.id,
          notificationId: 'ntf_someone_else',
          userId: 'usr_someone_else',
        },
        at,
      )
      await recordLiveEvent(
        db,
        other.store.codec,
        { kind: 'approval.created', conversationId: conversation.id, approvalId: 'apr_1' },
        at,
      )
    })
    const marker = await writeElsewhere('marker')
    await viewer.next(isMessage(marker.id))
    await agent.next(isMessage(marker.id))
    const kinds = (client: typeof viewer) => client.events.map((e) => e.event)
    expect(kinds(viewer)).toContain('conversation.updated')
    expect(kinds(viewer)).not.toContain('notification.created')
    expect(kinds(viewer)).not.toContain('approval.created')
    expect(kinds(agent)).toContain('approval.created')
    const notifications = agent.events
      .filter((e) => e.event === 'notification.created')
      .map((e) => JSON.parse(e.data).notificationId)
    expect(notifications).toEqual(['ntf_team'])
    viewer.close()
    agent.close()
  })

  it('drops a client that disconnects, and ends open streams when the server closes', async () => {
    await until(() => t.app.live.hub.listenerCount === 0)
    const server = await buildServer(t.app, { logger: false })
    const address = await server.listen({ port: 0, host: '127.0.0.1' })
    const client = await openEventStream(`${address}/api/v1/stream`, {
      authorization: `Bearer ${t.tokens.agent}`,
    })
    expect(client.status).toBe(200)
    await until(() => t.app.live.hub.listenerCount === 1)
    await server.close()
    await client.ended
    await until(() => t.app.live.hub.listenerCount === 0)
  })
})
