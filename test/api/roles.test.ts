import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MinRole } from '../../src/crm/index.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { testDatabases } from '../support/databases.js'

/**
 * The minimum role of every operation, written by hand. A route missing here, or listed here but not
 * registered, fails the test — so adding a route means deciding who may call it.
 */
export const MIN_ROLES: Record<string, MinRole> = {
  'GET /': 'public',
  'GET /*': 'public',
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /api/v1/openapi.json': 'public',
  'GET /api/v1/session': 'public',
  'POST /api/v1/session': 'public',
  'DELETE /api/v1/session': 'public',
  'GET /api/v1/workspace': 'viewer',
  'PATCH /api/v1/workspace': 'admin',

  'GET /api/v1/customers': 'viewer',
  'POST /api/v1/customers': 'agent',
  'GET /api/v1/customers/:id': 'viewer',
  'PATCH /api/v1/customers/:id': 'agent',
  'DELETE /api/v1/customers/:id': 'agent',
  'POST /api/v1/customers/:id/restore': 'agent',
  'GET /api/v1/customers/:id/360': 'viewer',
  'GET /api/v1/customers/:id/export': 'admin',
  'POST /api/v1/customers/:id/merge': 'agent',
  'GET /api/v1/customers/:id/identities': 'viewer',
  'POST /api/v1/customers/:id/identities': 'agent',
  'DELETE /api/v1/identities/:id': 'agent',
  'GET /api/v1/customers/:id/consent': 'viewer',
  'POST /api/v1/customers/:id/consent': 'agent',
  'GET /api/v1/customers/:id/surveys': 'viewer',
  'GET /api/v1/customers/:id/duplicates': 'viewer',
  'GET /api/v1/dashboard': 'viewer',
  'GET /api/v1/settings/llm': 'admin',

  'GET /api/v1/companies': 'viewer',
  'POST /api/v1/companies': 'agent',
  'GET /api/v1/companies/:id': 'viewer',
  'PATCH /api/v1/companies/:id': 'agent',
  'DELETE /api/v1/companies/:id': 'agent',
  'GET /api/v1/attribute-definitions': 'viewer',
  'POST /api/v1/attribute-definitions': 'admin',
  'GET /api/v1/attribute-definitions/:id': 'viewer',
  'PATCH /api/v1/attribute-definitions/:id': 'admin',
  'DELETE /api/v1/attribute-definitions/:id': 'admin',

  'GET /api/v1/products': 'viewer',
  'POST /api/v1/products': 'agent',
  'GET /api/v1/products/:id': 'viewer',
  'PATCH /api/v1/products/:id': 'agent',
  'DELETE /api/v1/products/:id': 'admin',
  'GET /api/v1/orders': 'viewer',
  'POST /api/v1/orders': 'agent',
  'GET /api/v1/orders/:id': 'viewer',
  'PATCH /api/v1/orders/:id': 'agent',
  'DELETE /api/v1/orders/:id': 'admin',
  'GET /api/v1/events': 'viewer',
  'POST /api/v1/events': 'agent',
  'GET /api/v1/events/:id': 'viewer',
  'DELETE /api/v1/events/:id': 'admin',

  'GET /api/v1/inboxes': 'viewer',
  'POST /api/v1/inboxes': 'admin',
  'GET /api/v1/inboxes/:id': 'viewer',
  'PATCH /api/v1/inboxes/:id': 'admin',
  'DELETE /api/v1/inboxes/:id': 'admin',
  'GET /api/v1/inboxes/:id/mailbox': 'viewer',
  'POST /api/v1/inboxes/:id/mailbox/poll': 'admin',
  'GET /api/v1/conversations': 'viewer',
  'POST /api/v1/conversations': 'agent',
  'GET /api/v1/conversations/:id': 'viewer',
  'PATCH /api/v1/conversations/:id': 'agent',
  'DELETE /api/v1/conversations/:id': 'admin',
  'GET /api/v1/conversations/:id/messages': 'viewer',
  'POST /api/v1/conversations/:id/messages': 'agent',
  'GET /api/v1/messages/:id': 'viewer',
  'GET /api/v1/inbox/conversations': 'viewer',
  'GET /api/v1/conversations/:id/decisions': 'viewer',
  'GET /api/v1/inbox/assignees': 'agent',
  'POST /api/v1/channels/api/messages': 'integration',
  'POST /api/v1/channels/:kind/webhook/:inboxId': 'public',
  'POST /api/v1/surveys/:token': 'public',
  'GET /api/v1/stream': 'viewer',
  'GET /widget.js': 'public',
  'GET /widget-demo': 'public',
  'OPTIONS /api/v1/widget/*': 'public',
  'POST /api/v1/widget/:inboxKey/visitors': 'public',
  'GET /api/v1/widget/:inboxKey/conversation': 'public',
  'POST /api/v1/widget/:inboxKey/messages': 'public',
  'GET /api/v1/widget/:inboxKey/stream': 'public',
  'GET /api/v1/notes': 'viewer',
  'POST /api/v1/notes': 'agent',
  'GET /api/v1/notes/:id': 'viewer',
  'PATCH /api/v1/notes/:id': 'agent',
  'DELETE /api/v1/notes/:id': 'admin',
  'GET /api/v1/tasks': 'viewer',
  'POST /api/v1/tasks': 'agent',
  'GET /api/v1/tasks/:id': 'viewer',
  'PATCH /api/v1/tasks/:id': 'agent',
  'DELETE /api/v1/tasks/:id': 'admin',
  'GET /api/v1/attachments': 'viewer',
  'POST /api/v1/attachments': 'agent',
  'GET /api/v1/attachments/:id': 'viewer',
  'DELETE /api/v1/attachments/:id': 'admin',
  'GET /api/v1/attachments/:id/content': 'viewer',

  'GET /api/v1/users': 'admin',
  'POST /api/v1/users': 'admin',
  'POST /api/v1/users/:id/deactivate': 'admin',
  'GET /api/v1/tokens': 'admin',
  'POST /api/v1/tokens': 'admin',
  'DELETE /api/v1/tokens/:id': 'admin',
  'GET /api/v1/audit': 'admin',

  'POST /api/v1/import/:entity': 'admin',
  'GET /api/v1/import/jobs': 'admin',
  'GET /api/v1/import/jobs/:id': 'admin',
  'GET /api/v1/export/:entity': 'admin',

  'POST /api/v1/nlu/perceive': 'viewer',
  'GET /api/v1/nlu/models': 'viewer',
  'POST /api/v1/nlu/models/:task/:version/promote': 'admin',
  'POST /api/v1/nlu/models/:task/rollback': 'admin',
  'GET /api/v1/nlu/models/:task/:version/report': 'viewer',
  'POST /api/v1/nlu/training-jobs': 'admin',
  'GET /api/v1/nlu/training-jobs': 'viewer',
  'GET /api/v1/nlu/training-jobs/:id': 'viewer',
  'POST /api/v1/messages/:id/labels': 'agent',

  'GET /api/v1/kb/articles': 'viewer',
  'POST /api/v1/kb/articles': 'agent',
  'GET /api/v1/kb/articles/:id': 'viewer',
  'GET /api/v1/kb/articles/:id/versions': 'viewer',
  'PATCH /api/v1/kb/articles/:id': 'agent',
  'DELETE /api/v1/kb/articles/:id': 'admin',
  'GET /api/v1/kb/faqs': 'viewer',
  'POST /api/v1/kb/faqs': 'agent',
  'GET /api/v1/kb/faqs/:id': 'viewer',
  'GET /api/v1/kb/faqs/:id/versions': 'viewer',
  'PATCH /api/v1/kb/faqs/:id': 'agent',
  'DELETE /api/v1/kb/faqs/:id': 'admin',
  'GET /api/v1/kb/search': 'viewer',

  'POST /api/v1/agent/respond': 'viewer',
  'POST /api/v1/messages/:id/handle': 'agent',
  'GET /api/v1/messages/:id/decision': 'viewer',
  'GET /api/v1/agent/policies': 'viewer',
  'PUT /api/v1/agent/policies': 'admin',
  'GET /api/v1/agent/thresholds': 'viewer',
  'GET /api/v1/agent/tools': 'viewer',
  'GET /api/v1/workflow-runs': 'viewer',
  'GET /api/v1/workflow-runs/:id': 'viewer',
  'POST /api/v1/workflow-runs/:id/cancel': 'agent',
  'POST /api/v1/workflow-runs/:id/retry': 'agent',
  'POST /api/v1/workflows/:id/run': 'admin',
  'POST /api/v1/agent/tools/:name': 'agent',

  'GET /api/v1/approvals': 'agent',
  'GET /api/v1/approvals/:id': 'agent',
  'POST /api/v1/approvals/:id': 'agent',
  'POST /api/v1/conversations/:id/takeover': 'agent',
  'POST /api/v1/conversations/:id/give-back': 'agent',
  'POST /api/v1/conversations/:id/reply': 'agent',
  'POST /api/v1/messages/:id/apply': 'agent',
  'GET /api/v1/notifications': 'agent',
  'POST /api/v1/notifications/:id/read': 'agent',
  'GET /api/v1/actions/settings': 'viewer',
  'PUT /api/v1/actions/settings': 'admin',
  'GET /api/v1/actions/assignment-rules': 'viewer',
  'PUT /api/v1/actions/assignment-rules': 'admin',

  'GET /api/v1/workflows': 'viewer',
  'POST /api/v1/workflows': 'admin',
  'GET /api/v1/workflows/:id': 'viewer',
  'GET /api/v1/workflows/:id/versions': 'viewer',
  'POST /api/v1/workflows/:id/enable': 'admin',
  'POST /api/v1/workflows/:id/disable': 'admin',
}

/** Operations whose role also depends on the request: they are walked with that request too. */
const STRICTER_VARIANTS: { operation: string; url: (url: string) => string; minRole: MinRole }[] = [
  { operation: 'DELETE /api/v1/customers/:id', url: (url) => `${url}?erase=true`, minRole: 'admin' },
]

/** Routes that are not part of the API document: the interactive docs' own pages and assets. */
const UNDOCUMENTED = new Set([
  'GET /api/v1/openapi.json',
  'GET /',
  'GET /*',
  'GET /widget.js',
  'GET /widget-demo',
  'OPTIONS /api/v1/widget/*',
])

const ROLE_ORDER = ['viewer', 'agent', 'admin', 'integration'] as const

function allowed(role: (typeof ROLE_ORDER)[number], min: MinRole): boolean {
  if (min === 'public') return true
  if (min === 'integration') return role !== 'viewer'
  if (role === 'integration') return false
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(min as 'viewer')
}

describe('roles and the API document', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(testDatabases()[0])
  })
  afterAll(async () => t?.dispose())

  const operations = () =>
    t.server.routeTable.filter((r) => r.minRole !== null).map((r) => `${r.method} ${r.url}`)

  it('names the minimum role of every registered operation, and only registered ones', () => {
    const registered = operations()
    expect(
      registered.filter((op) => !(op in MIN_ROLES)),
      'operations missing from MIN_ROLES',
    ).toEqual([])
    expect(
      Object.keys(MIN_ROLES).filter((op) => !registered.includes(op)),
      'MIN_ROLES lists unregistered operations',
    ).toEqual([])
    for (const route of t.server.routeTable) {
      if (route.minRole === null) continue
      expect(route.minRole, `${route.method} ${route.url}`).toBe(MIN_ROLES[`${route.method} ${route.url}`])
    }
  })

  it('documents every registered operation in the OpenAPI document', async () => {
    const response = await t.request(null, { method: 'GET', url: '/api/v1/openapi.json' })
    expect(response.statusCode).toBe(200)
    const document = response.json() as { paths: Record<string, Record<string, unknown>> }
    const missing = operations().filter((op) => {
      if (UNDOCUMENTED.has(op)) return false
      const [method, url] = op.split(' ')
      const path = url.replace(/:(\w+)/g, '{$1}')
      return document.paths[path]?.[method.toLowerCase()] === undefined
    })
    expect(missing).toEqual([])
  })

  it('refuses every operation in order: 401 without a token, 403 below the minimum role, never 5xx', async () => {
    const walks = [
      ...operations().map((operation) => ({
        operation,
        url: (u: string) => u,
        minRole: MIN_ROLES[operation],
      })),
      ...STRICTER_VARIANTS,
    ]
    const failures: string[] = []
    for (const walk of walks) {
      const [method, template] = walk.operation.split(' ')
      const url = walk.url(template.replace(/:(\w+)/g, 'zz_missing'))
      for (const role of [null, ...ROLE_ORDER]) {
        const response = await t.request(role, {
          method: method as 'GET',
          url,
          ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
        })
        const status = response.statusCode
        const label = `${walk.operation}${url !== template.replace(/:(\w+)/g, 'zz_missing') ? ' (variant)' : ''} as ${role ?? 'anonymous'} → ${status}`
        if (status >= 500) failures.push(`${label}: server error`)
        else if (walk.minRole === 'public') continue
        else if (role === null && status !== 401) failures.push(`${label}: expected 401`)
        else if (role !== null && !allowed(role, walk.minRole) && status !== 403)
          failures.push(`${label}: expected 403`)
        else if (role !== null && allowed(role, walk.minRole) && (status === 401 || status === 403)) {
          failures.push(`${label}: expected to pass auth`)
        }
        if (status >= 400) expect(response.json().error.code, label).toMatch(/^[A-Z]+_[A-Z_]+$/)
      }
    }
    expect(failures).toEqual([])
  })

  it('answers a revoked or unknown token with 401 and a session cookie write from another origin with 403', async () => {
    const unknown = await t.server.inject({
      method: 'GET',
      url: '/api/v1/customers',
      headers: { authorization: 'Bearer acrm_not-a-real-token' },
    })
    expect(unknown.statusCode).toBe(401)
    const spare = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { role: 'viewer', name: 'spare' },
    })
    const spareToken = spare.json().token as string
    const asSpare = () =>
      t.server.inject({
        method: 'GET',
        url: '/api/v1/customers',
        headers: { authorization: `Bearer ${spareToken}` },
      })
    expect((await asSpare()).statusCode).toBe(200)
    const revoked = await t.request('admin', { method: 'DELETE', url: `/api/v1/tokens/${spare.json().id}` })
    expect(revoked.statusCode).toBe(204)
    expect((await asSpare()).statusCode).toBe(401)
    const { app } = t
    await app.access.createUser(
      { email: 'agent@example.com', password: 'correct horse battery', role: 'agent' },
      { kind: 'system', id: null, requestId: null },
    )
    const login = await t.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'Agent@Example.com', password: 'correct horse battery' },
    })
    expect(login.statusCode).toBe(200)
    const cookie = login.cookies.find((c) => c.name === 'agentcrm_session')
    expect(cookie?.httpOnly).toBe(true)
    expect(cookie?.sameSite).toBe('Strict')
    const headers = { cookie: `agentcrm_session=${cookie?.value}`, host: 'crm.example' }
    const session = await t.server.inject({ method: 'GET', url: '/api/v1/session', headers })
    expect(session.json().user.email).toBe('agent@example.com')
    const foreign = await t.server.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { ...headers, origin: 'https://evil.example' },
      payload: { name: 'x' },
    })
    expect(foreign.statusCode).toBe(403)
    expect(foreign.json().error.code).toBe('AUTH_ORIGIN_MISMATCH')
    const same = await t.server.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { ...headers, origin: 'http://crm.example' },
      payload: { name: 'x' },
    })
    expect(same.statusCode).toBe(201)
    const logout = await t.server.inject({ method: 'DELETE', url: '/api/v1/session', headers })
    expect(logout.statusCode).toBe(200)
    const after = await t.server.inject({ method: 'GET', url: '/api/v1/customers', headers })
    expect(after.statusCode).toBe(401)
  })

  it('rate-limits failed logins per address and e-mail', async () => {
    const attempt = () =>
      t.server.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email: 'nobody@example.com', password: 'wrong-password' },
      })
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) statuses.push((await attempt()).statusCode)
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(statuses.slice(5)).toEqual([429, 429])
  })
})
