/**
 * `npm run bench:console` — the console's production bundle and the inbox's time to first render (issue 6,
 * "Benchmark"). `npm run bench:console` builds `web/dist` first (skipped when it is up to date).
 *
 * Bundle: every file of `web/dist`, raw and gzipped (level 9, as a server would send it); the main chunk is
 * the entry script `index.html` loads, "initial" adds the chunks it preloads and the entry CSS — what the
 * browser needs before the first page renders. Pages are separate chunks loaded on navigation (lazy()).
 *
 * First render: `agentcrm serve` in a child process over a fresh SQLite database with the demo shop
 * (`demo seed --customers 500`, the README's default) and an admin; Debian's Chromium headless on loopback,
 * signed in once (the session cookie), then `/inbox` loaded `--runs` times, each in a new page: cold (cache
 * disabled through the DevTools protocol) and warm (the browser cache kept). The time is the
 * `agentcrm:inbox-list` performance mark the inbox sets when its conversation list is first on screen,
 * measured from navigation start (`performance.timeOrigin`).
 *
 * Flags: `--runs 15` `--customers 500` `--no-write`. Writes bench/results/console.json.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { chromiumAvailable, launchChromium } from '../../test/support/browser.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const DIST = join(ROOT, 'web', 'dist')
const BIN = join(ROOT, 'bin', 'agentcrm.mjs')
const FLOORS = { firstRenderMs: 1_000, mainChunkGzipBytes: 500 * 1024 }

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    customers: { type: 'string', default: '500' },
    'no-write': { type: 'boolean', default: false },
  },
})

interface FileSize {
  file: string
  bytes: number
  gzipBytes: number
}

function bundle() {
  const files: FileSize[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else {
        const content = readFileSync(path)
        files.push({
          file: relative(DIST, path),
          bytes: content.length,
          gzipBytes: gzipSync(content, { level: 9 }).length,
        })
      }
    }
  }
  walk(DIST)
  const html = readFileSync(join(DIST, 'index.html'), 'utf8')
  const entry = /<script type="module"[^>]*src="\/([^"]+)"/.exec(html)?.[1]
  if (!entry) throw new Error('web/dist/index.html names no entry script; run npm run build')
  const preloaded = [...html.matchAll(/<link rel="modulepreload"[^>]*href="\/([^"]+)"/g)].map((m) => m[1])
  const styles = [...html.matchAll(/<link rel="stylesheet"[^>]*href="\/([^"]+)"/g)].map((m) => m[1])
  const find = (file: string) => files.find((f) => f.file === file)!
  const sum = (list: FileSize[], key: 'bytes' | 'gzipBytes') => list.reduce((total, f) => total + f[key], 0)
  const initial = [entry, ...preloaded, ...styles].map(find)
  const js = files.filter((f) => f.file.endsWith('.js'))
  return {
    mainChunk: find(entry),
    initial: {
      files: initial.map((f) => f.file),
      bytes: sum(initial, 'bytes'),
      gzipBytes: sum(initial, 'gzipBytes'),
    },
    totalJs: { bytes: sum(js, 'bytes'), gzipBytes: sum(js, 'gzipBytes') },
    total: { files: files.length, bytes: sum(files, 'bytes'), gzipBytes: sum(files, 'gzipBytes') },
    files: files.sort((a, b) => b.gzipBytes - a.gzipBytes),
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

async function firstRender(runs: number, customers: number) {
  const dir = mkdtempSync(join(tmpdir(), 'agentcrm-bench-console-'))
  const env = {
    ...process.env,
    AGENTCRM_DATABASE_URL: join(dir, 'crm.db'),
    AGENTCRM_DATA_DIR: join(dir, 'data'),
    AGENTCRM_LOG_LEVEL: 'silent',
  }
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, [BIN, ...args], { env, cwd: dir, stdio: 'pipe' })
  process.stderr.write(`seeding the demo shop (${customers} customers)…\n`)
  cli('demo', 'seed', '--customers', String(customers), '--json')
  cli(
    'user',
    'create',
    '--email',
    'bench@example.com',
    '--password',
    'a long passphrase',
    '--role',
    'admin',
    '--json',
  )
  const server = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    env,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const chromium = await launchChromium()
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let out = ''
      server.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const match = /is running at (http:\/\/\S+)/.exec(out)
        if (match) resolve(match[1].replace('localhost', '127.0.0.1'))
      })
      server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)))
    })
    const session = (await (
      await fetch(`${base}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'bench@example.com', password: 'a long passphrase' }),
      })
    ).json()) as { user: unknown }
    if (!session.user) throw new Error('cannot sign in')
    const signIn = await chromium.context.newPage()
    await signIn.goto(`${base}/`)
    await signIn.locator('input[type=email]').fill('bench@example.com')
    await signIn.locator('input[type=password]').fill('a long passphrase')
    await signIn.locator('button[type=submit]').click()
    await signIn.locator('[data-testid=conversation-list]').waitFor()
    await signIn.close()

    const measure = async (cold: boolean) => {
      const page = await chromium.context.newPage()
      const cdp = await chromium.context.newCDPSession(page)
      await cdp.send('Network.enable')
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: cold })
      await page.goto(`${base}/inbox`)
      await page.locator('[data-testid=conversation-list]').waitFor()
      const ms = await page.evaluate(
        () => performance.getEntriesByName('agentcrm:inbox-list')[0]?.startTime ?? NaN,
      )
      const rows = await page.locator('[data-testid=conversation-list] li').count()
      await page.close()
      return { ms, rows }
    }
    const result: Record<
      'cold' | 'warm',
      { runsMs: number[]; medianMs: number; p95Ms: number; rows: number }
    > = {
      cold: { runsMs: [], medianMs: 0, p95Ms: 0, rows: 0 },
      warm: { runsMs: [], medianMs: 0, p95Ms: 0, rows: 0 },
    }
    await measure(true) // the server's first request of each route warms its code paths
    for (let run = 0; run < runs; run++) {
      for (const kind of ['cold', 'warm'] as const) {
        const { ms, rows } = await measure(kind === 'cold')
        result[kind].runsMs.push(Math.round(ms * 10) / 10)
        result[kind].rows = rows
      }
    }
    for (const kind of ['cold', 'warm'] as const) {
      result[kind].medianMs = percentile(result[kind].runsMs, 50)
      result[kind].p95Ms = percentile(result[kind].runsMs, 95)
    }
    return result
  } finally {
    await chromium.close()
    server.kill('SIGTERM')
    await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve(null)))
    rmSync(dir, { recursive: true, force: true })
  }
}

if (!chromiumAvailable())
  throw new Error(
    'Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium fonts-noto-cjk)',
  )
const sizes = bundle()
const render = await firstRender(Number(flags.runs), Number(flags.customers))
const report = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    node: process.version,
    // the machine is shared: a load average above the core count slows every number here
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  },
  customers: Number(flags.customers),
  bundle: sizes,
  firstRender: render,
  floors: {
    firstRenderMs: FLOORS.firstRenderMs,
    firstRenderMet: render.cold.p95Ms < FLOORS.firstRenderMs,
    mainChunkGzipBytes: FLOORS.mainChunkGzipBytes,
    mainChunkMet: sizes.mainChunk.gzipBytes < FLOORS.mainChunkGzipBytes,
  },
}
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`
process.stdout.write(
  [
    `main chunk ${sizes.mainChunk.file}: ${kb(sizes.mainChunk.bytes)} (${kb(sizes.mainChunk.gzipBytes)} gzipped)`,
    `initial (entry + preloads + css): ${kb(sizes.initial.bytes)} (${kb(sizes.initial.gzipBytes)} gzipped)`,
    `total: ${sizes.total.files} files, ${kb(sizes.total.bytes)} (${kb(sizes.total.gzipBytes)} gzipped)`,
    `inbox first render, cold cache: median ${render.cold.medianMs} ms, p95 ${render.cold.p95Ms} ms (${render.cold.rows} rows)`,
    `inbox first render, warm cache: median ${render.warm.medianMs} ms, p95 ${render.warm.p95Ms} ms`,
    `load average ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')} on ${cpus().length} cores`,
    `floors: first render < 1 s ${report.floors.firstRenderMet ? 'met' : 'NOT met'}; main chunk < 500 kB gzipped ${report.floors.mainChunkMet ? 'met' : 'NOT met'}`,
    '',
  ].join('\n'),
)
if (!flags['no-write'])
  writeFileSync(join(ROOT, 'bench/results/console.json'), `${JSON.stringify(report, null, 2)}\n`)
