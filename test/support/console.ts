import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { chromiumAvailable, launchChromium } from './browser.js'
import { BIN } from './cli.js'
import { CONSOLE_ADMIN } from './console-admin.js'
import { testServices } from './databases.js'

export { CONSOLE_ADMIN }

/** Screenshots of the main pages land here (git-ignored; CI keeps them). */
export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results')

/** A real `agentcrm serve` on a loopback port, over a copy of the demo template, plus Chromium. */
export interface ConsoleFixture {
  /** `http://127.0.0.1:<port>` */
  readonly base: string
  /** Bearer tokens made for this suite. */
  readonly tokens: { readonly admin: string; readonly integration: string }
  /** Calls the API as the admin token; throws on a non-2xx answer (with the body in the message). */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>
  /** An inbound customer message through `POST /api/v1/channels/api/messages` (the integration token). */
  deliver(input: {
    from: { email?: string; phone?: string; externalId?: string; name?: string }
    text: string
    conversationId?: string
  }): Promise<{ messageId: string; conversationId: string; customerId: string }>
  /** A new page that records console errors, page errors and failed requests (see {@link ConsolePage}). */
  newPage(options?: { width?: number; height?: number; locale?: string }): Promise<ConsolePage>
  close(): Promise<void>
}

export interface ConsolePage {
  readonly page: Page
  /** Every browser-console error, uncaught page error, failed request and HTTP ≥ 400 answer so far. */
  readonly problems: string[]
  /** Problems matching one of these are expected (a wrong password's 401) and not counted. */
  allow(pattern: RegExp): void
  /** Signs out any earlier session (cookies, stored language), opens `path` and signs in as {@link CONSOLE_ADMIN} through the form. */
  signIn(path?: string): Promise<void>
  /** Saves `test-results/<name>.png`. */
  screenshot(name: string): Promise<void>
  /** Fails the test if the browser reported any problem that was not allowed. */
  expectNoProblems(): void
  close(): Promise<void>
}

function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((done, fail) => {
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /is running at (http:\/\/\S+)/.exec(stdout)
      if (match) done(match[1].replace('localhost', '127.0.0.1'))
    })
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('exit', (code) => fail(new Error(`agentcrm serve exited with ${code}: ${stderr}`)))
  })
}

/**
 * Starts AgentCRM (the `agentcrm serve` users run, embedded workers included) on a free loopback port over
 * a copy of the demo template the global setup prepared, makes an admin and an integration token, and
 * launches Chromium.
 */
export async function startConsole(): Promise<ConsoleFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'agentcrm-console-'))
  cpSync(inject('consoleTemplate'), dir, { recursive: true })
  const env = {
    ...process.env,
    AGENTCRM_DATABASE_URL: join(dir, 'crm.db'),
    AGENTCRM_DATA_DIR: join(dir, 'data'),
    AGENTCRM_LOG_LEVEL: 'silent',
  }
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1'], {
    env,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const base = await waitForListening(child)
  const cookieFree = async (path: string, init: RequestInit, token: string) => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${init.method} ${path} → ${response.status}: ${text}`)
    return text ? JSON.parse(text) : undefined
  }
  // A bootstrap token through the session API: sign in, then create tokens as that admin.
  const login = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: CONSOLE_ADMIN.email, password: CONSOLE_ADMIN.password }),
  })
  if (!login.ok) throw new Error(`console admin cannot sign in: ${login.status} ${await login.text()}`)
  const cookie = login.headers.get('set-cookie')!.split(';')[0]
  const makeToken = async (role: string) => {
    const response = await fetch(`${base}/api/v1/tokens`, {
      method: 'POST',
      headers: { cookie, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ role, name: `console tests (${role})` }),
    })
    if (!response.ok) throw new Error(`cannot create a ${role} token: ${await response.text()}`)
    return ((await response.json()) as { token: string }).token
  }
  const tokens = { admin: await makeToken('admin'), integration: await makeToken('integration') }
  const chromium = await launchChromium()
  mkdirSync(SCREENSHOTS, { recursive: true })
  let counter = 0

  return {
    base,
    tokens,
    api: (method, path, body) =>
      cookieFree(
        `/api/v1${path}`,
        { method, body: body === undefined ? undefined : JSON.stringify(body) },
        tokens.admin,
      ),
    deliver: ({ from, text, conversationId }) =>
      cookieFree(
        '/api/v1/channels/api/messages',
        {
          method: 'POST',
          body: JSON.stringify({
            from,
            text,
            conversationId,
            messageId: `console-test-${Date.now()}-${++counter}`,
          }),
        },
        tokens.integration,
      ),
    newPage: (options = {}) => openPage(chromium.context, base, options),
    async close() {
      await chromium.close()
      child.kill('SIGTERM')
      await new Promise((done) => (child.exitCode === null ? child.once('exit', done) : done(null)))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function openPage(
  context: BrowserContext,
  base: string,
  options: { width?: number; height?: number; locale?: string },
): Promise<ConsolePage> {
  const page = await context.newPage()
  await page.setViewportSize({ width: options.width ?? 1280, height: options.height ?? 800 })
  if (options.locale) {
    // Persistent contexts take their locale at launch; the console reads navigator.language(s).
    await page.addInitScript((locale: string) => {
      const browser = (globalThis as unknown as { navigator: object }).navigator
      Object.defineProperty(browser, 'language', { get: () => locale })
      Object.defineProperty(browser, 'languages', { get: () => [locale] })
    }, options.locale)
  }
  const problems: string[] = []
  const allowed: RegExp[] = []
  let closing = false
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', (request) => {
    // Leaving a page aborts its open requests (the live stream): not a failure.
    if (closing || request.failure()?.errorText === 'net::ERR_ABORTED') return
    problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`)
  })
  page.on('response', (response) => {
    if (response.status() >= 400)
      problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`)
  })
  const unexpected = () => problems.filter((problem) => !allowed.some((pattern) => pattern.test(problem)))
  return {
    page,
    problems,
    allow: (pattern) => allowed.push(pattern),
    async signIn(path = '/') {
      await context.clearCookies()
      // a language picked in an earlier test is remembered per origin: start from the browser's language
      await page.goto(`${base}/healthz`)
      await page.evaluate(() =>
        (globalThis as unknown as { localStorage: { clear(): void } }).localStorage.clear(),
      )
      await page.goto(`${base}${path}`)
      await page.locator('input[type=email]').fill(CONSOLE_ADMIN.email)
      await page.locator('input[type=password]').fill(CONSOLE_ADMIN.password)
      await page.locator('button[type=submit]').click()
      // attached, not visible: at phone widths the name is hidden behind the avatar
      await page.getByTestId('current-user').waitFor({ state: 'attached' })
    },
    async screenshot(name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false })
    },
    expectNoProblems() {
      expect(unexpected(), 'browser console errors and failed requests').toEqual([])
    },
    async close() {
      closing = true
      await page.close()
    },
  }
}

/**
 * A console suite: runs when Chromium is installed, is skipped otherwise — and fails instead with
 * AGENTCRM_REQUIRE_SERVICES=1 (CI).
 */
export function describeConsole(
  title: string,
  ...args: [body: () => void] | [options: { timeout?: number }, body: () => void]
): void {
  const [options, body] = args.length === 1 ? [{}, args[0]] : args
  if (chromiumAvailable()) {
    describe(`${title} (Chromium)`, options, body)
  } else if (testServices.requireServices) {
    describe(`${title} (Chromium)`, () => {
      it('runs (AGENTCRM_REQUIRE_SERVICES=1)', () => {
        throw new Error('Chromium is not installed at /usr/bin/chromium but AGENTCRM_REQUIRE_SERVICES=1')
      })
    })
  } else {
    describe.skip(`${title} (Chromium: apt-get install -y chromium fonts-noto-cjk)`, options, body)
  }
}
