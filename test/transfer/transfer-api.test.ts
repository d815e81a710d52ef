import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app.js'
import { describeEachDatabase } from '../support/databases.js'

const CSV = [
  'external_id,name,email,tier',
  'h-1,王小明,wang@example.com,vip',
  'h-2,"Smith, Alice",alice@example.com,gold',
  'h-3,Bad,not-an-email,gold',
].join('\n')

async function waitForJob(t: TestApp, id: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await t.request('admin', { method: 'GET', url: `/api/v1/import/jobs/${id}` })
    expect(response.statusCode).toBe(200)
    const job = response.json()
    if (job.status !== 'running') return job
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`import job ${id} did not finish`)
}

async function customerCount(t: TestApp): Promise<number> {
  const row = await t.app.store.db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

describeEachDatabase('import and export API', (database) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(database)
  })
  afterAll(async () => t?.dispose())

  it('runs a dry run as a job that writes nothing', async () => {
    const started = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/import/customers?dryRun=true',
      headers: { 'content-type': 'text/csv; charset=utf-8' },
      payload: CSV,
    })
    expect(started.statusCode).toBe(202)
    expect(started.json()).toMatchObject({ status: 'running', entity: 'customers', dryRun: true })
    const job = await waitForJob(t, started.json().id)
    expect(job.error).toBeNull()
    expect(job.status).toBe('succeeded')
    expect(job.report).toMatchObject({ inserted: 2, updated: 0, rejected: [{ line: 4 }] })
    expect(await customerCount(t)).toBe(0)
  })

  it('imports a CSV upload in a worker and reports it on the job', async () => {
    const started = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/import/customers',
      headers: { 'content-type': 'text/csv' },
      payload: CSV,
    })
    expect(started.statusCode).toBe(202)
    const { id } = started.json()
    expect(id).toMatch(/^imp_/)
    const job = await waitForJob(t, id)
    expect(job).toMatchObject({ status: 'succeeded', rowsRead: 3, error: null })
    expect(job.report.inserted).toBe(2)
    expect(job.report.rejected).toEqual([
      { line: 4, errors: [expect.stringContaining('"not-an-email" is not an email address')] },
    ])
    expect(job.finishedAt).not.toBeNull()
    expect(await customerCount(t)).toBe(2)
    const list = await t.request('admin', { method: 'GET', url: '/api/v1/import/jobs?status=succeeded' })
    expect(list.json().items.map((item: { id: string }) => item.id)).toContain(id)
  })

  it('imports NDJSON and updates by external id', async () => {
    const started = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/import/customers',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: '{"externalId":"h-1","name":"王晓明"}\n{"externalId":"h-9"}\n',
    })
    const job = await waitForJob(t, started.json().id)
    expect(job.report).toMatchObject({ inserted: 1, updated: 1, rejected: [] })
  })

  it('marks the job failed when the upload is not a valid file', async () => {
    const started = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/import/customers',
      headers: { 'content-type': 'text/csv' },
      payload: 'external_id,favourite_colour\nh-1,blue\n',
    })
    const job = await waitForJob(t, started.json().id)
    expect(job.status).toBe('failed')
    expect(job.error.code).toBe('CRM_IMPORT_INVALID_FILE')
    expect(job.error.message).toContain('favourite_colour')
  })

  it('refuses a body that is not UTF-8 with 400', async () => {
    const response = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/import/customers',
      headers: { 'content-type': 'text/csv' },
      payload: Buffer.from([0x65, 0x78, 0x0a, 0xff, 0xfe, 0x0a]),
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('CRM_IMPORT_INVALID_FILE')
  })

  it('answers unknown entities, wrong roles and wrong content types in the contract order', async () => {
    const unknown = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/import/widgets',
      headers: { 'content-type': 'text/csv' },
      payload: 'a\n1',
    })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error).toMatchObject({
      code: 'CRM_UNKNOWN_ENTITY',
      message: expect.stringContaining('customers, products, orders, events'),
    })
    const agent = await t.request('agent', {
      method: 'POST',
      url: '/api/v1/import/customers',
      headers: { 'content-type': 'text/csv' },
      payload: CSV,
    })
    expect(agent.statusCode).toBe(403)
    const anonymous = await t.request(null, { method: 'GET', url: '/api/v1/export/customers' })
    expect(anonymous.statusCode).toBe(401)
    const json = await t.request('admin', {
      method: 'POST',
      url: '/api/v1/import/customers',
      payload: { a: 1 },
    })
    expect(json.statusCode).toBe(415)
    const missing = await t.request('admin', { method: 'GET', url: '/api/v1/import/jobs/imp_nope' })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('CRM_IMPORT_JOB_NOT_FOUND')
    const exportUnknown = await t.request('admin', { method: 'GET', url: '/api/v1/export/widgets' })
    expect(exportUnknown.json().error.code).toBe('CRM_UNKNOWN_ENTITY')
  })

  it('streams an export (bulk personal data: admin only)', async () => {
    const refused = await t.request('viewer', { method: 'GET', url: '/api/v1/export/customers' })
    expect(refused.statusCode).toBe(403)
    const csv = await t.request('admin', { method: 'GET', url: '/api/v1/export/customers' })
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    const lines = csv.body.trim().split('\n')
    expect(lines[0]).toMatch(/^id,external_id,name,email,phone,/)
    expect(csv.body).toContain('"Smith, Alice"')
    const jsonl = await t.request('admin', { method: 'GET', url: '/api/v1/export/customers?format=jsonl' })
    const records = jsonl.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(records.map((record: { externalId: string }) => record.externalId).sort()).toEqual([
      'h-1',
      'h-2',
      'h-9',
    ])
  })

  it('documents the routes in OpenAPI', async () => {
    const response = await t.request(null, { method: 'GET', url: '/api/v1/openapi.json' })
    expect(response.statusCode).toBe(200)
    const paths = Object.keys(response.json().paths)
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/import/{entity}',
        '/api/v1/import/jobs/{id}',
        '/api/v1/export/{entity}',
      ]),
    )
    const upload = response.json().paths['/api/v1/import/{entity}'].post
    expect(Object.keys(upload.requestBody?.content ?? {})).toEqual(expect.arrayContaining(['text/csv']))
  })
})
