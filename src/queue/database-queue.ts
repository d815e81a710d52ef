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
    const found = await existing()
    if (found) return { id: String(found.id), duplicate: true }
    const now = clock.now()
    const id = newId('job', now.getTime())
    try {
      await store.db
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
        .execute()
    } catch (error) {
      // two enqueuers with the same key at the same moment: the loser reports the winner's job
      const winner = await existing()
      if (winner) return { id: String(winner.id), duplicate: true }
      throw error
    }
    return { id, duplicate: false }
  }

  /**
   * Claims up to `limit` due jobs: queued ones whose time has come, then running ones whose lease ran out.
   * Two queries, not one with an `OR`, so each walks the (queue, status, run_at) index instead of scanning
   * and sorting every job of the queue, finished ones included.
   */
  async function claim(limit: number): Promise<JobRow[]> {
    const claimed = await claimWhere(limit, 'queued')
    if (claimed.length >= limit) return claimed
    return [...claimed, ...(await claimWhere(limit - claimed.length, 'expired'))]
  }

  async function claimWhere(limit: number, which: 'queued' | 'expired'): Promise<JobRow[]> {
    const now = clock.now()
    const until = new Date(now.getTime() + leaseMs)
    if (store.dialect === 'postgres') {
      const due =
        which === 'queued'
          ? sql`status = 'queued' and run_at <= ${iso(now)}`
          : sql`status = 'running' and locked_until < ${iso(now)}`
      const result = await sql<Record<string, unknown>>`
        update jobs set status = 'running', attempts = attempts + 1, locked_by = ${worker},
          locked_until = ${iso(until)}, updated_at = ${iso(now)}
        where id in (
          select id from jobs
          where queue = ${queue} and ${due}
          order by run_at, id
          limit ${limit}
          for update skip locked)
        returning id, name, payload, attempts, max_attempts`.execute(store.db)
      return result.rows.map((row) => toJob(row))
    }
    return store.db.transaction().execute(async (trx) => {
      let query = trx.selectFrom('jobs').select('id').where('queue', '=', queue)
      query =
        which === 'queued'
          ? query.where('status', '=', 'queued').where('runAt', '<=', iso(now))
          : query.where('status', '=', 'running').where('lockedUntil', '<', iso(now))
      const due = await query.orderBy('runAt').orderBy('id').limit(limit).execute()
      if (due.length === 0) return []
      const ids = due.map((row) => String(row.id))
      await trx
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          attempts: eb('attempts', '+', 1),
          lockedBy: worker,
          lockedUntil: iso(until),
          updatedAt: iso(now),
        }))
        .where('id', 'in', ids)
        .execute()
      const rows = await trx
        .selectFrom('jobs')
        .select(['id', 'name', 'payload', 'attempts', 'maxAttempts'])
        .where('id', 'in', ids)
        .orderBy('runAt')
        .orderBy('id')
        .execute()
      return rows.map((row) => toJob(row))
    })
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

  async function finish(job: JobRow, error: unknown | null): Promise<void> {
    const now = clock.now()
    if (error === null) {
      await store.db
        .updateTable('jobs')
        .set({ status: 'done', lockedBy: null, lockedUntil: null, updatedAt: iso(now) })
        .where('id', '=', job.id)
        .where('lockedBy', '=', worker)
        .execute()
    } else if (job.attempts < job.maxAttempts) {
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
    if (now.getTime() - lastPrune > 60_000) {
      lastPrune = now.getTime()
      await store.db
        .deleteFrom('jobs')
        .where('queue', '=', queue)
        .where('status', '=', 'done')
        .where('updatedAt', '<', iso(new Date(now.getTime() - retentionMs)))
        .execute()
    }
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
      await finish(job, failure)
    }
    const loop = (async () => {
      while (!stopping) {
        const free = concurrency - active.size
        const jobs = free > 0 ? await claim(free).catch(() => []) : []
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
