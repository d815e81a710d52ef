/**
 * Queue mode (`AGENTCRM_REDIS_URL`): the same Queue port on BullMQ, so several worker processes share jobs
 * through Redis. Delayed jobs, idempotent enqueueing (the key is the BullMQ job id), exponential backoff
 * with jitter, failed jobs kept (BullMQ's failed set), finished jobs removed after a week.
 */
import { Queue as BullQueue, Worker, type Job } from 'bullmq'
import { Redis } from 'ioredis'
import { newId, type Clock } from '../core/index.js'
import {
  retryDelayMs,
  type EnqueueOptions,
  type JobHandler,
  type Queue,
  type QueueStats,
  type WorkOptions,
} from '../workflow/queue-port.js'

export interface RedisQueueOptions {
  readonly url: string
  readonly clock: Clock
  /** Queue name (default `agentcrm`). */
  readonly queue?: string
  /** Key prefix in Redis (default `agentcrm`), so tests and installs can share a server. */
  readonly prefix?: string
  /**
   * How long a worker's lock on a running job lasts without renewal (default 10 s; BullMQ renews it every
   * half period). A killed worker's jobs are taken up again within this plus the stalled check (half of it),
   * so its runs resume in seconds rather than BullMQ's default half minute and more.
   */
  readonly lockMs?: number
}

/**
 * The BullMQ job id of an idempotency key. BullMQ rejects custom ids with `:` (its key separator) and ids
 * that read as integers, and the engine's keys are `<run>:<step>`: `%` and `:` are escaped (one key, one
 * id, and back) behind a `k_` that no integer starts with.
 */
export function bullJobId(key: string): string {
  return `k_${key.replace(/%/g, '%25').replace(/:/g, '%3A')}`
}

export function createRedisQueue(options: RedisQueueOptions): Queue {
  const name = options.queue ?? 'agentcrm'
  const prefix = options.prefix ?? 'agentcrm'
  const lockMs = options.lockMs ?? 10_000
  // BullMQ's blocking commands need maxRetriesPerRequest: null
  const connect = () => new Redis(options.url, { maxRetriesPerRequest: null, lazyConnect: false })
  const connection = connect()
  const bull = new BullQueue(name, { connection, prefix })
  const workers: Worker[] = []
  const connections: Redis[] = [connection]

  async function enqueue(jobName: string, payload: unknown, enqueueOptions: EnqueueOptions = {}) {
    const jobId = enqueueOptions.idempotencyKey ? bullJobId(enqueueOptions.idempotencyKey) : newId('job')
    if (enqueueOptions.idempotencyKey) {
      const existing = await bull.getJob(jobId)
      if (existing) return { id: jobId, duplicate: true }
    }
    const delay = enqueueOptions.runAt
      ? Math.max(0, enqueueOptions.runAt.getTime() - options.clock.now().getTime())
      : 0
    await bull.add(
      jobName,
      { payload: payload ?? null },
      {
        jobId,
        delay,
        attempts: Math.max(1, enqueueOptions.maxAttempts ?? 5),
        backoff: { type: 'agentcrm' },
        removeOnComplete: { age: 7 * 86_400 },
        removeOnFail: false,
      },
    )
    return { id: jobId, duplicate: false }
  }

  function work(handler: JobHandler, workOptions: WorkOptions = {}) {
    const workerConnection = connect()
    connections.push(workerConnection)
    const worker = new Worker(
      name,
      async (job: Job) => {
        await handler({
          id: String(job.id),
          name: job.name,
          payload: (job.data as { payload: unknown }).payload,
          attempt: job.attemptsMade + 1,
          maxAttempts: job.opts.attempts ?? 1,
        })
      },
      {
        connection: workerConnection,
        prefix,
        concurrency: Math.max(1, workOptions.concurrency ?? 1),
        lockDuration: lockMs,
        stalledInterval: Math.max(1000, Math.round(lockMs / 2)),
        // a job that stalls again (a second dead worker) is still retried; the sweeper is the last resort
        maxStalledCount: 3,
        settings: { backoffStrategy: (attemptsMade: number) => retryDelayMs(attemptsMade) },
      },
    )
    workers.push(worker)
    return {
      async stop() {
        await worker.close()
      },
    }
  }

  async function stats(): Promise<QueueStats> {
    const counts = await bull.getJobCounts(
      'waiting',
      'delayed',
      'prioritized',
      'active',
      'failed',
      'completed',
    )
    return {
      queued: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0),
      running: counts.active ?? 0,
      failed: counts.failed ?? 0,
      done: counts.completed ?? 0,
    }
  }

  async function failed(limit = 50) {
    const jobs = await bull.getFailed(0, Math.max(0, limit - 1))
    return jobs.map((job) => ({
      id: String(job.id),
      name: job.name,
      attempts: job.attemptsMade,
      lastError: job.failedReason ?? null,
    }))
  }

  async function close() {
    await Promise.allSettled(workers.map((worker) => worker.close()))
    await bull.close()
    await Promise.allSettled(connections.map((c) => c.quit()))
  }

  return {
    kind: 'redis',
    enqueue,
    work,
    stats,
    failed,
    close,
    /** Removes every key of this queue (tests). */
    obliterate: () => bull.obliterate({ force: true }),
  } as Queue & { obliterate(): Promise<void> }
}
