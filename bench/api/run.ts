/**
 * `npm run bench:api` — seeds 100k customers and 1M events (in a worker thread), starts `agentcrm serve` in a
 * child process, drives it on loopback with autocannon (get-by-id with random ids, list, search, create; 10 s
 * each), then imports a 1M-row customers CSV with the CLI and records rows/s and peak RSS. SQLite and Postgres
 * side by side in bench/results/api.json and the table in bench/README.md.
 *
 * Environment: BENCH_CUSTOMERS, BENCH_EVENTS, BENCH_IMPORT_ROWS, BENCH_SECONDS (defaults 100000, 1000000,
 * 1000000, 10); BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test; 'none' skips Postgres).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import pg from 'pg'
import { startWorker } from '../../src/core/index.js'
import { cliActor } from '../../src/crm/index.js'
import { createAccessRepository, migrateToLatest, openStore } from '../../src/store/index.js'
import { systemClock } from '../../src/core/index.js'

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000)
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000)
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const POSTGRES = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const ROOT = new URL('../..', import.meta.url).pathname
const BIN = join(ROOT, 'bin/agentcrm.mjs')

interface Scenario {
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  errors: number
  non2xx: number
  requests: number
}

function log(message: string) {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`)
}

async function seed(url: string, schema?: string) {
  const worker = startWorker(new URL('./seed-worker.ts', import.meta.url), {
    workerData: { url, schema, customers: CUSTOMERS, events: EVENTS },
  })
  const started = Date.now()
  return new Promise<{ seconds: number; result: unknown }>((resolve, reject) => {
    let last = 0
    worker.on(
      'message',
      (message: { type: string; done?: number; total?: number; phase?: string; result?: unknown }) => {
        if (message.type === 'progress' && Date.now() - last > 5000) {
          last = Date.now()
          log(`  seeding ${message.phase} ${message.done}/${message.total}`)
        }
        if (message.type === 'done')
          resolve({ seconds: (Date.now() - started) / 1000, result: message.result })
      },
    )
    worker.on('error', reject)
    worker.on('exit', (code) => code !== 0 && reject(new Error(`seed worker exited with ${code}`)))
  })
}

async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port)], {
    env: { ...process.env, ...env, AGENTCRM_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('is running at')) resolve()
    })
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
  return child
}

function run(options: autocannon.Options): Promise<Scenario> {
  return new Promise((resolve, reject) => {
    autocannon({ connections: 32, pipelining: 1, duration: SECONDS, ...options }, (error, result) => {
      if (error) return reject(error)
      resolve({
        requestsPerSecond: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        errors: result.errors,
        non2xx: result.non2xx,
        requests: result.requests.total,
      })
    })
  })
}

async function driveApi(base: string, token: string, ids: string[]): Promise<Record<string, Scenario>> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const pick = () => ids[Math.floor(Math.random() * ids.length)]
  const names = ['王', '李', 'Chen', 'Smith', '张伟', 'li', 'gmail', '138']
  let created = 0
  const results: Record<string, Scenario> = {}
  log('  get-by-id')
  results.getById = await run({
    url: base,
    headers,
    requests: [
      { method: 'GET', setupRequest: (request) => ({ ...request, path: `/api/v1/customers/${pick()}` }) },
    ],
  })
  log('  list')
  results.list = await run({ url: `${base}/api/v1/customers?limit=50`, headers })
  log('  search')
  results.search = await run({
    url: base,
    headers,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({
          ...request,
          path: `/api/v1/customers?limit=20&q=${encodeURIComponent(names[Math.floor(Math.random() * names.length)])}`,
        }),
      },
    ],
  })
  log('  create')
  results.create = await run({
    url: base,
    headers,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({
          ...request,
          path: '/api/v1/customers',
          body: JSON.stringify({
            name: `Bench ${++created}`,
            email: `bench-${process.pid}-${created}@example.com`,
            locale: 'en-US',
          }),
        }),
      },
    ],
  })
  return results
}

function writeImportCsv(path: string, rows: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(path)
    out.on('error', reject)
    out.write('external_id,name,email,phone,locale,tier\n')
    let i = 0
    const surnames = ['王', '李', '张', '刘', '陈', 'Smith', 'Brown', 'Garcia']
    const write = () => {
      let ok = true
      while (i < rows && ok) {
        i++
        const name = `${surnames[i % surnames.length]}${i}`
        ok = out.write(
          `imp-${i},${name},import${i}@example.com,+861${String(3000000000 + i).slice(0, 10)},${i % 2 ? 'zh-CN' : 'en-US'},${i % 10 === 0 ? 'gold' : 'standard'}\n`,
        )
      }
      if (i < rows) out.once('drain', write)
      else out.end(resolve)
    }
    write()
  })
}

function timedImport(env: Record<string, string>, file: string) {
  const started = Date.now()
  const result = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', process.execPath, BIN, 'import', 'customers', file, '--json'],
    {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    },
  )
  const seconds = (Date.now() - started) / 1000
  const peakKb = Number(result.stderr.trim().split('\n').at(-1))
  let report: { inserted?: number; updated?: number; rejected?: unknown[] } = {}
  try {
    report = JSON.parse(result.stdout)
  } catch {
    log(`  import output was not JSON: ${result.stdout.slice(0, 300)} ${result.stderr.slice(0, 300)}`)
  }
  return {
    rows: IMPORT_ROWS,
    seconds,
    rowsPerSecond: Math.round(IMPORT_ROWS / seconds),
    peakRssMb: Math.round(peakKb / 1024),
    inserted: report.inserted ?? null,
    updated: report.updated ?? null,
    rejected: Array.isArray(report.rejected) ? report.rejected.length : null,
    exitCode: result.status,
  }
}

async function benchDatabase(name: 'sqlite' | 'postgres', port: number, csv: string) {
  const dir = mkdtempSync(join(tmpdir(), `agentcrm-bench-${name}-`))
  let url: string
  let schema: string | undefined
  if (name === 'sqlite') {
    url = join(dir, 'bench.db')
  } else {
    schema = 'bench_api'
    const client = new pg.Client({ connectionString: POSTGRES })
    await client.connect()
    await client.query(`drop schema if exists ${schema} cascade`)
    await client.end()
    url = POSTGRES
  }
  log(`${name}: seeding ${CUSTOMERS} customers and ${EVENTS} events in a worker thread`)
  const seeded = await seed(url, schema)
  log(`${name}: seeded in ${seeded.seconds.toFixed(1)} s`)
  const store = await openStore({ url, schema })
  await migrateToLatest(store)
  const access = createAccessRepository({ store, clock: systemClock, defaultRegion: 'CN' })
  const { token } = await access.createToken({ role: 'agent', name: 'bench' }, cliActor)
  const idRows = await store.db.selectFrom('customers').select('id').limit(20_000).execute()
  const ids = idRows.map((r) => String(r.id))
  await store.close()

  // Postgres runs in its own schema: point the server's search_path at it through the URL's options.
  const databaseUrl = schema ? `${url}${url.includes('?') ? '&' : '?'}schema=${schema}` : url
  const env = { AGENTCRM_DATABASE_URL: databaseUrl, AGENTCRM_DATA_DIR: join(dir, 'data') }
  const server = await startServer(env, port)
  let api: Record<string, Scenario>
  let serverRssMb = 0
  try {
    api = await driveApi(`http://127.0.0.1:${port}`, token, ids)
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8')
    serverRssMb = Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024)
  } finally {
    server.kill('SIGTERM')
  }
  log(`${name}: importing ${IMPORT_ROWS} rows`)
  if (schema) {
    const client = new pg.Client({ connectionString: POSTGRES })
    await client.connect()
    await client.query(`drop schema if exists ${schema}_import cascade`)
    await client.end()
  }
  const importEnv = {
    AGENTCRM_DATABASE_URL: schema
      ? `${url}${url.includes('?') ? '&' : '?'}schema=${schema}_import`
      : join(dir, 'import.db'),
    AGENTCRM_DATA_DIR: join(dir, 'data'),
  }
  const imported = timedImport(importEnv, csv)
  log(`${name}: import ${JSON.stringify(imported)}`)
  rmSync(dir, { recursive: true, force: true })
  return {
    seed: { customers: CUSTOMERS, events: EVENTS, seconds: seeded.seconds },
    api,
    serverPeakRssMb: serverRssMb,
    import: imported,
  }
}

const csvDir = mkdtempSync(join(tmpdir(), 'agentcrm-bench-csv-'))
const csv = join(csvDir, 'customers.csv')
log(`writing a ${IMPORT_ROWS}-row customers CSV`)
await writeImportCsv(csv, IMPORT_ROWS)

const results: Record<string, unknown> = {}
results.sqlite = await benchDatabase('sqlite', 3901, csv)
if (POSTGRES !== 'none') {
  try {
    results.postgres = await benchDatabase('postgres', 3902, csv)
  } catch (error) {
    log(`postgres skipped: ${(error as Error).message}`)
    results.postgres = { skipped: (error as Error).message }
  }
}
rmSync(csvDir, { recursive: true, force: true })

const document = {
  benchmark: 'api',
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  settings: {
    customers: CUSTOMERS,
    events: EVENTS,
    importRows: IMPORT_ROWS,
    secondsPerScenario: SECONDS,
    connections: 32,
  },
  floors: { getByIdRequestsPerSecond: 3000, getByIdP99Ms: 20, importSeconds: 60, importPeakRssMb: 500 },
  results,
}
writeFileSync(join(ROOT, 'bench/results/api.json'), `${JSON.stringify(document, null, 2)}\n`)
process.stdout.write(`${JSON.stringify(document, null, 2)}\n`)
