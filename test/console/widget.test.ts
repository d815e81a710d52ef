import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext } from 'playwright-core'
import { createTestApp, type TestApp } from '../support/app.js'
import { chromiumAvailable, launchChromium } from '../support/browser.js'
import { testDatabases, testServices } from '../support/databases.js'
import { importDemoKnowledge } from '../support/knowledge.js'
import { createInbox } from '../support/records.js'
import { until } from '../support/wait.js'

/*
 * Self-contained on purpose (the console fixture in test/support/console.ts is someone else's moving
 * part): its own app, a shop page served from another origin (another port), and Chromium.
 */
const available = chromiumAvailable()

if (!available && testServices.requireServices) {
  describe('chat widget in Chromium', () => {
    it('runs (AGENTCRM_REQUIRE_SERVICES=1)', () => {
      throw new Error('Chromium is not installed at /usr/bin/chromium but AGENTCRM_REQUIRE_SERVICES=1')
    })
  })
}

describe.skipIf(!available)('chat widget in Chromium', () => {
  let t: TestApp
  let crm: string
  let shop: Server
  let shopUrl: string
  let inbox: { id: string }
  let chromium: { context: BrowserContext; close(): Promise<void> }
  let worker: { stop(): Promise<void> }

  beforeAll(async () => {
    t = await createTestApp(testDatabases()[0])
    await t.app.ensureBuiltinModels()
    await importDemoKnowledge(t.app)
    crm = await t.server.listen({ port: 0, host: '127.0.0.1' })
    // the shop's own site, on another origin, pasting the snippet
    shop = createServer((request, response) => {
      if (request.url === '/') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        response.end(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><title>示例商店</title></head>
<body><h1>示例商店</h1>
<script src="${crm}/widget.js" data-inbox="${inbox.id}" async></script></body></html>`)
      } else {
        response.writeHead(404).end()
      }
    })
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve))
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`
    inbox = await createInbox(t, {
      name: '网站在线客服',
      channel: 'chat',
      settings: { allowedOrigins: [shopUrl] },
    })
    worker = t.app.queue().work(t.app.workflows.engine.handle, { pollMs: 10 })
    chromium = await launchChromium()
  }, 120_000)
  afterAll(async () => {
    await chromium?.close()
    await worker?.stop()
    await new Promise((resolve) => shop?.close(resolve))
    await t?.dispose()
  })

  it('opens from the launcher, sends a question typed on the page, and shows the answer — no console errors', async () => {
    const page = await chromium.context.newPage()
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(shopUrl)

    const launcher = page.getByRole('button', { name: '打开在线客服' })
    await launcher.click()
    const dialog = page.getByRole('dialog')
    await dialog.waitFor()
    expect(await launcher.getAttribute('aria-expanded')).toBe('true')
    // the greeting is in the page's language
    await expect.poll(() => dialog.locator('.msg.out').first().textContent()).toContain('您好')

    const box = page.getByLabel('输入消息')
    await box.fill('退款多久到账？钱会退到哪里')
    await box.press('Enter')
    await page.locator('.msg.in[data-id]').waitFor()

    // the AI answers, or drafts for approval (a person approves it), or hands off (a person answers)
    const conversationId = await until(async () => {
      const row = await t.app.store.db
        .selectFrom('workflow_runs')
        .select(['status', 'conversationId'])
        .where('workflowKey', '=', 'inbound-inquiry')
        .executeTakeFirst()
      return row !== undefined && ['done', 'waiting', 'failed'].includes(String(row.status))
    }).then(async () => {
      const row = await t.app.store.db
        .selectFrom('conversations')
        .select('id')
        .where('inboxId', '=', inbox.id)
        .executeTakeFirstOrThrow()
      return String(row.id)
    })
    const answered = await t.app.store.db
      .selectFrom('messages')
      .select('id')
      .where('conversationId', '=', conversationId)
      .where('direction', '=', 'outbound')
      .execute()
    if (answered.length === 0) {
      const drafts = await t.request('agent', {
        method: 'GET',
        url: `/api/v1/approvals?conversationId=${conversationId}`,
      })
      const [draft] = drafts.json().items as { id: string }[]
      const decided = draft
        ? await t.request('agent', {
            method: 'POST',
            url: `/api/v1/approvals/${draft.id}`,
            payload: { action: 'approve' },
          })
        : await t.request('agent', {
            method: 'POST',
            url: `/api/v1/conversations/${conversationId}/messages`,
            payload: { text: '退款会在 3–5 个工作日内原路退回。' },
          })
      expect(decided.statusCode, decided.body).toBeLessThan(300)
    }
    const reply = page.locator('.msg.out[data-id]')
    await reply.first().waitFor({ timeout: 20_000 })
    const text = (await reply.first().textContent()) ?? ''
    expect(text.length).toBeGreaterThan(4)
    const stored = await t.app.crm.messages.get((await reply.first().getAttribute('data-id')) ?? '')
    expect(stored).toMatchObject({ conversationId, direction: 'outbound' })
    expect(text).toContain(stored.text.slice(0, 10))

    // a person's follow-up arrives live over the widget's stream (cross-origin EventSource)
    const followUp = await t.request('agent', {
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      payload: { text: '还有其他可以帮您的吗？' },
    })
    expect(followUp.statusCode).toBe(201)
    await page.locator(`.msg.out[data-id="${followUp.json().id}"]`).waitFor()
    expect(await page.locator(`.msg.out[data-id="${followUp.json().id}"]`).textContent()).toContain(
      '还有其他可以帮您的吗？',
    )

    // keyboard: Escape closes the panel and gives focus back to the launcher
    await box.press('Escape')
    expect(await launcher.getAttribute('aria-expanded')).toBe('false')
    // a reload keeps the visitor and the thread (token in localStorage)
    await page.reload()
    await page.getByRole('button', { name: '打开在线客服' }).click()
    await page.locator('.msg.out[data-id]').first().waitFor()
    expect(await page.locator('.msg.in[data-id]').count()).toBe(1)
    expect(errors).toEqual([])
    await page.close()
  })
})
