import { afterAll, beforeAll, expect, it } from 'vitest'
import { handOffAction, runAction } from '../../src/actions/index.js'
import { cliActor, systemActor } from '../../src/crm/index.js'
import { createActionStore } from '../../src/store/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'

describeEachDatabase('assignment rules for hand-offs', (database) => {
  let t: TestApp
  let counter = 0
  const users: Record<string, string> = {}

  beforeAll(async () => {
    t = await createTestApp(database)
    for (const name of ['senior', 'busy', 'idle', 'gone']) {
      const user = await t.app.access.createUser(
        { email: `${name}@shop.example`, password: 'a long passphrase', role: 'agent', name },
        cliActor,
      )
      users[name] = user.id
    }
    await t.app.access.setUserActive('gone@shop.example', false, cliActor)
  })
  afterAll(async () => t?.dispose())

  async function inbound(customer: { tier?: string; locale?: string }) {
    const created = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: `Customer ${++counter}`, email: `c${counter}@example.com`, ...customer },
    })
    expect(created.statusCode, created.body).toBe(201)
    const response = await t.request('integration', {
      method: 'POST',
      url: '/api/v1/channels/api/messages',
      payload: {
        from: { email: `c${counter}@example.com` },
        text: '我要找人工客服',
        messageId: `as-${counter}`,
      },
    })
    expect(response.statusCode, response.body).toBe(202)
    return response.json() as { messageId: string; conversationId: string }
  }

  const handOff = (conversationId: string, reason = 'customer_asked_for_person') =>
    runAction(
      handOffAction,
      { conversationId, reason },
      {
        actor: systemActor,
        clock: t.clock,
        store: createActionStore({ store: t.app.store, clock: t.clock, defaultRegion: 'CN' }),
        idempotencyKey: null,
      },
    )

  it('leaves hand-offs in the unassigned queue while there are no rules', async () => {
    expect(
      (await t.request('viewer', { method: 'GET', url: '/api/v1/actions/assignment-rules' })).json(),
    ).toEqual({
      rules: [],
    })
    const { conversationId } = await inbound({})
    await handOff(conversationId)
    const conversation = await t.app.crm.conversations.get(conversationId)
    expect(conversation.handler).toBe('human')
    expect(conversation.assigneeId).toBeNull()
  })

  it('refuses invalid rules with every problem by path, and keeps the old rules', async () => {
    const response = await t.request('admin', {
      method: 'PUT',
      url: '/api/v1/actions/assignment-rules',
      payload: {
        rules: [
          {
            name: 'vip',
            when: { field: 'customer.tier', op: 'eq', value: 'platinum' },
            assignTo: [users.senior],
          },
          { name: 'rest', assignTo: ['usr_nobody'] },
        ],
      },
    })
    expect(response.statusCode).toBe(400)
    const body = response.json() as { error: { code: string; details: { issues: { path: string }[] } } }
    expect(body.error.code).toBe('ACTION_ASSIGNMENT_INVALID')
    expect(body.error.details.issues.map((issue) => issue.path)).toContain('rules[0].when.value')
    const unknownUser = await t.request('admin', {
      method: 'PUT',
      url: '/api/v1/actions/assignment-rules',
      payload: { rules: [{ name: 'rest', assignTo: ['usr_nobody'] }] },
    })
    expect(unknownUser.statusCode).toBe(400)
    expect(unknownUser.body).toContain('rules[0].assignTo[0]')
    expect(
      (
        await t.request('agent', {
          method: 'PUT',
          url: '/api/v1/actions/assignment-rules',
          payload: { rules: [] },
        })
      ).statusCode,
    ).toBe(403)
    expect(
      (await t.request('viewer', { method: 'GET', url: '/api/v1/actions/assignment-rules' })).json(),
    ).toEqual({
      rules: [],
    })
  })

  it('routes VIPs to their rule and everyone else to the least-loaded active person, and notifies them', async () => {
    const saved = await t.request('admin', {
      method: 'PUT',
      url: '/api/v1/actions/assignment-rules',
      payload: {
        rules: [
          {
            name: 'vip',
            when: { field: 'customer.tier', op: 'eq', value: 'vip' },
            assignTo: [users.gone, users.senior],
          },
          { name: 'everyone', assignTo: [users.gone, users.busy, users.idle] },
        ],
      },
    })
    expect(saved.statusCode, saved.body).toBe(200)

    // "busy" already holds an open conversation
    const earlier = await inbound({})
    await t.request('agent', {
      method: 'POST',
      url: `/api/v1/conversations/${earlier.conversationId}/takeover`,
      payload: {},
    })
    await t.app.store.db
      .updateTable('conversations')
      .set({ assigneeId: users.busy })
      .where('id', '=', earlier.conversationId)
      .execute()

    const vip = await inbound({ tier: 'vip' })
    const result = await handOff(vip.conversationId)
    expect((await t.app.crm.conversations.get(vip.conversationId)).assigneeId).toBe(users.senior)
    const notificationId = result.effects.find((effect) => effect.kind === 'notification')!.id
    const notification = await t.app.store.db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', notificationId)
      .executeTakeFirstOrThrow()
    expect(notification.userId).toBe(users.senior)
    const payload = (
      typeof notification.payload === 'string' ? JSON.parse(notification.payload) : notification.payload
    ) as { rule: string }
    expect(payload.rule).toBe('vip')

    const standard = await inbound({})
    await handOff(standard.conversationId)
    // the inactive person is skipped; "idle" has fewer open conversations than "busy"
    expect((await t.app.crm.conversations.get(standard.conversationId)).assigneeId).toBe(users.idle)

    const audit = await t.request('admin', { method: 'GET', url: '/api/v1/audit?action=action.hand_off' })
    expect(audit.body).toContain('"assignmentRule":"everyone"')
  })

  it('keeps a named assignee or the current owner over any rule', async () => {
    const { conversationId } = await inbound({ tier: 'vip' })
    await runAction(
      handOffAction,
      { conversationId, reason: 'policy', assigneeId: users.busy },
      {
        actor: systemActor,
        clock: t.clock,
        store: createActionStore({ store: t.app.store, clock: t.clock, defaultRegion: 'CN' }),
        idempotencyKey: null,
      },
    )
    expect((await t.app.crm.conversations.get(conversationId)).assigneeId).toBe(users.busy)
  })
})
