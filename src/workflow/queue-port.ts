/**
 * The Queue port (DESIGN: workflow declares it; `src/queue` implements it twice): a durable job queue with
 * delayed jobs, idempotent enqueueing, retries with exponential backoff and jitter up to a maximum, and
 * failed jobs kept visible. Embedded mode keeps jobs in the database (SQLite or Postgres); queue mode
 * (`AGENTCRM_REDIS_URL`) uses BullMQ on Redis so several worker processes share the load.
 *
 * Delivery is at least once: a handler must be idempotent (the workflow engine commits a step's effects
 * together with its completion, so a repeated job finds the step done).
 */
export interface QueueJob {
  readonly id: string
  readonly name: string
  readonly payload: unknown
  /** 1 on the first run. */
  readonly attempt: number
  readonly maxAttempts: number
}

export interface EnqueueOptions {
  /** Run at (or after) this time; default now. */
  readonly runAt?: Date
  /** The same key twice enqueues one job (the second call returns the first job's id). */
  readonly idempotencyKey?: string
  /** Runs before the job fails for good (default 5). */
  readonly maxAttempts?: number
}

export interface WorkOptions {
  /** Jobs run at once by this process (default 1). */
  readonly concurrency?: number
  /** How often an idle database worker looks for due jobs (default 200 ms). */
  readonly pollMs?: number
}

export type JobHandler = (job: QueueJob) => Promise<void>

export interface QueueStats {
  readonly queued: number
  readonly running: number
  readonly failed: number
  readonly done: number
}

export interface Queue {
  readonly kind: 'database' | 'redis'
  enqueue(
    name: string,
    payload: unknown,
    options?: EnqueueOptions,
  ): Promise<{ id: string; duplicate: boolean }>
  /** Starts processing due jobs with `handler`; `stop()` waits for running jobs to finish. */
  work(handler: JobHandler, options?: WorkOptions): { stop(): Promise<void> }
  stats(): Promise<QueueStats>
  /** Jobs that used up their attempts, newest first, with their last error. */
  failed(limit?: number): Promise<{ id: string; name: string; attempts: number; lastError: string | null }[]>
  close(): Promise<void>
}

/** Exponential backoff with full jitter: attempt 1 → up to `base`, doubling, capped at `max`. */
export function retryDelayMs(
  attempt: number,
  random: () => number = Math.random,
  base = 1000,
  max = 300_000,
): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}
