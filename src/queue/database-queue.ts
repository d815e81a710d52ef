/**
 * The embedded queue: jobs in the `jobs` table of the app's own database. A worker claims due jobs with a
 * lease (Postgres: `FOR UPDATE SKIP LOCKED`, so several processes share the table without taking the same
 * job; SQLite: one writer, a claiming transaction). A job whose lease ran out — its process died — is due
 * again, so nothing is lost on a crash. Failures retry with exponential backoff and jitter; after
 * `maxAttempts` the job is `failed` and stays visible. Finished jobs are pruned after `retentionMs`, so the
 * table does not grow forever.
 */
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { newId, type Clock } from '../core/index.js'
import type { Store } from '../store/index.js'
import {
  retryDelayMs,
  type EnqueueOptions,
  type JobHandler,
  type Queue,
  type QueueJob,
  type QueueStats,
  type WorkOptions,
} from '../workflow/queue-port.js'

export interface DatabaseQueueOptions {
  readonly store: Store
  readonly clock: Clock
  /** Queue name: several queues can share the table. */
  readonly queue?: string
  /** How long a claimed job is reserved for its worker (default 5 minutes). */
  readonly leaseMs?: number
  /** How long finished jobs are kept (default 7 days). */
  readonly retentionMs?: number
  readonly random?: () => number
}

interface JobRow {
  id: string
  name: string
  payload: unknown
  attempts: number
  maxAttempts: number
}

function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.slice(0, 2000)
}

export function createDatabaseQueue(options: DatabaseQueueOptions): Queue {
  const { store, clock } = options
  const queue = options.queue ?? 'default'
  const leaseMs = options.leaseMs ?? 300_000
  const retentionMs = options.retentionMs ?? 7 * 86_400_000
  const random = options.random ?? Math.random
  const codec = store.codec
  const worker = `w_${randomBytes(6).toString('hex')}`
  const iso = (date: Date) => date.toISOString()
  let lastPrune = 0

  async function enqueue(name: string, payload: unknown, enqueueOptions: EnqueueOptions = {}) {
    const key = enqueueOptions.idempotencyKey ?? null
    const existing = async () =>
      key === null
        ? undefined
        : await store.db
            .selectFrom('jobs')
            .select('id')
            .where('queue', '=', queue)
            .where('idempotencyKey', '=', key)
            .executeTakeFirst()
    const now = clock.now()
    const id = newId('job', now.getTime())
    // one statement on the common path: the (queue, idempotency_key) constraint decides, not a read first
    const inserted = await store.db
      .insertInto('jobs')
      .values({
        id,
        queue,
        name,
        payload: codec.json(payload ?? null),
        status: 'queued',
        attempts: 0,
        maxAttempts: Math.max(1, enqueueOptions.maxAttempts ?? 5),
        runAt: iso(enqueueOptions.runAt ?? now),
        idempotencyKey: key,
        createdAt: iso(now),
        updatedAt: iso(now),
      })
      .onConflict((conflict) => conflict.columns(['queue', 'idempotencyKey']).doNothing())
      .executeTakeFirst()
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      const winner = await existing()
      if (winner) return { id: String(winner.id), duplicate: true }
      throw new Error(`job "${name}" was neither inserted nor found under its idempotency key`)
    }
    return { id, duplicate: false }
  }

  /**
   * Claims up to `limit` due jobs: queued ones whose time has come, then running ones whose lease ran out.
   * Two queries, not one with an `OR`, so each walks the (queue, status, run_at) index instead of scanning
   * and sorting every job of the queue, finished ones included. `done` — jobs this worker finished since
   * its last claim — are marked done in the same transaction (one commit instead of one per job).
   */
  async function claim(limit: number, done: readonly string[] = []): Promise<JobRow[]> {
    const claimAll = async (db: Store['db']) => {
      await markDone(db, done)
      const claimed = await claimWhere(db, limit, 'queued')
      if (claimed.length >= limit) return claimed
      return [...claimed, ...(await claimWhere(db, limit - claimed.length, 'expired'))]
    }
    const claimed =
      done.length === 0 ? await claimAll(store.db) : await store.db.transaction().execute(claimAll)
    if (done.length > 0) await prune()
    return claimed
  }

  async function markDone(db: Store['db'], ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    await db
      .updateTable('jobs')
      .set({ status: 'done', lockedBy: null, lockedUntil: null, updatedAt: iso(clock.now()) })
      .where('id', 'in', [...ids])
      .where('lockedBy', '=', worker)
      .execute()
  }

  async function claimWhere(db: Store['db'], limit: number, which: 'queued' | 'expired'): Promise<JobRow[]> {
    const now = clock.now()
    const until = new Date(now.getTime() + leaseMs)
    const due =
      which === 'queued'
        ? sql`status = 'queued' and run_at <= ${iso(now)}`
        : sql`status = 'running' and locked_until < ${iso(now)}`
    // Postgres: several processes share the table, each skips the rows another is claiming. SQLite has one
    // writer: the single UPDATE … RETURNING is atomic without a transaction around it.
    const lock = store.dialect === 'postgres' ? sql`for update skip locked` : sql``
    const result = await sql<Record<string, unknown>>`
      update jobs set status = 'running', attempts = attempts + 1, locked_by = ${worker},
        locked_until = ${iso(until)}, updated_at = ${iso(now)}
      where id in (
        select id from jobs
        where queue = ${queue} and ${due}
        order by run_at, id
        limit ${limit}
        ${lock})
      returning id, name, payload, attempts, max_attempts, run_at`.execute(db)
    const runAt = (row: Record<string, unknown>) => String(row.runAt ?? row.run_at)
    return [...result.rows]
      .sort((x, y) => runAt(x).localeCompare(runAt(y)) || String(x.id).localeCompare(String(y.id)))
      .map((row) => toJob(row))
  }

  function toJob(row: Record<string, unknown>): JobRow {
    const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload
    return {
      id: String(row.id),
      name: String(row.name),
      payload,
      attempts: Number(row.attempts),
      maxAttempts: Number(row.maxAttempts ?? row.max_attempts),
    }
  }

  /** Records a failed attempt: queued again after a backoff, or failed for good. */
  async function finishFailed(job: JobRow, error: unknown): Promise<void> {
    const now = clock.now()
    if (job.attempts < job.maxAttempts) {
      const runAt = new Date(now.getTime() + retryDelayMs(job.attempts, random))
      await store.db
        .updateTable('jobs')
        .set({
          status: 'queued',
          runAt: iso(runAt),
          lockedBy: null,
          lockedUntil: null,
          lastError: message(error),
          updatedAt: iso(now),
        })
        .where('id', '=', job.id)
        .where('lockedBy', '=', worker)
        .execute()
    } else {
      await store.db
        .updateTable('jobs')
        .set({
          status: 'failed',
          lockedBy: null,
          lockedUntil: null,
          lastError: message(error),
          updatedAt: iso(now),
        })
        .where('id', '=', job.id)
        .where('lockedBy', '=', worker)
        .execute()
    }
    await prune()
  }

  async function prune(): Promise<void> {
    const now = clock.now()
    if (now.getTime() - lastPrune <= 60_000) return
    lastPrune = now.getTime()
    await store.db
      .deleteFrom('jobs')
      .where('queue', '=', queue)
      .where('status', '=', 'done')
      .where('updatedAt', '<', iso(new Date(now.getTime() - retentionMs)))
      .execute()
  }

  function work(handler: JobHandler, workOptions: WorkOptions = {}) {
    const concurrency = Math.max(1, workOptions.concurrency ?? 1)
    const pollMs = workOptions.pollMs ?? 200
    const active = new Set<Promise<void>>()
    let stopping = false
    let wake: (() => void) | null = null
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms)
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    const run = async (job: JobRow) => {
      const view: QueueJob = {
        id: job.id,
        name: job.name,
        payload: job.payload,
        attempt: job.attempts,
        maxAttempts: job.maxAttempts,
      }
      let failure: unknown | null = null
      try {
        await handler(view)
      } catch (error) {
        failure = error ?? new Error('job failed')
      }
      // a finished job is marked done with the next claim; should this process die first, its lease runs
      // out and the job runs again — harmless, handlers are idempotent (at-least-once delivery)
      if (failure === null) completed.push(job.id)
      else await finishFailed(job, failure)
    }
    const completed: string[] = []
    const claimNext = async (free: number): Promise<JobRow[]> => {
      const done = completed.splice(0)
      try {
        return await claim(free, done)
      } catch {
        completed.push(...done)
        return []
      }
    }
    const loop = (async () => {
      while (!stopping) {
        const free = concurrency - active.size
        const jobs = free > 0 ? await claimNext(free) : []
        for (const job of jobs) {
          const promise = run(job).finally(() => active.delete(promise))
          active.add(promise)
        }
        if (jobs.length === 0) {
          if (active.size > 0 && active.size >= concurrency) await Promise.race(active)
          else await sleep(pollMs)
        }
      }
    })()
    return {
      async stop() {
        stopping = true
        wake?.()
        await loop
        await Promise.allSettled([...active])
        const done = completed.splice(0)
        if (done.length > 0) await store.db.transaction().execute((trx) => markDone(trx, done))
      },
    }
  }

  async function stats(): Promise<QueueStats> {
    const rows = await store.db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll().as('n')])
      .where('queue', '=', queue)
      .groupBy('status')
      .execute()
    const count = (status: string) => Number(rows.find((row) => row.status === status)?.n ?? 0)
    return {
      queued: count('queued'),
      running: count('running'),
      failed: count('failed'),
      done: count('done'),
    }
  }

  async function failed(limit = 50) {
    const rows = await store.db
      .selectFrom('jobs')
      .select(['id', 'name', 'attempts', 'lastError'])
      .where('queue', '=', queue)
      .where('status', '=', 'failed')
      .orderBy('updatedAt', 'desc')
      .limit(limit)
      .execute()
    return rows.map((row) => ({
      id: String(row.id),
      name: String(row.name),
      attempts: Number(row.attempts),
      lastError: row.lastError === null ? null : String(row.lastError),
    }))
  }

  return { kind: 'database', enqueue, work, stats, failed, close: async () => {} }
}
