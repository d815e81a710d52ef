import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { Clock } from '../core/index.js'
import type { Actor } from '../crm/actor.js'
import type { NluTask } from './builtin-models.js'
import type { RetrainProgress, RetrainResult } from './retrain.js'

/** The least a training job row must show for the runner. */
export interface TrainingJobRow {
  readonly id: string
  readonly task: string
  readonly status: string
  readonly owner: string
  readonly heartbeatAt: string
}

/** Where training jobs are kept; the store's training-jobs repository fits it. */
export interface TrainingJobStore<Job extends TrainingJobRow> {
  create(input: { task: string; owner: string }, actor: Actor): Promise<Job>
  get(id: string): Promise<Job>
  list(query: {
    task?: string
    status?: string
    limit?: number
    cursor?: string | null
  }): Promise<{ items: Job[]; nextCursor: string | null }>
  update(
    id: string,
    values: { status?: 'running'; progress?: number; phase?: string; message?: string; startedAt?: Date },
  ): Promise<void>
  finish(
    id: string,
    outcome:
      | {
          status: 'succeeded'
          message: string
          modelVersion: number
          promoted: boolean
          result: Record<string, unknown>
        }
      | { status: 'failed'; message: string; error: string },
  ): Promise<boolean>
  failInterrupted(options: {
    keepOwner: string
    staleBefore: Date
    everyOwner: boolean
    message: string
  }): Promise<number>
}

export const INTERRUPTED_MESSAGE =
  'interrupted: the server stopped while this job was running; start the training again'

const ACTIVE = new Set(['queued', 'running'])

/**
 * Training jobs: `start(task)` records a queued job (one queued or running job per task, else 409) and runs
 * it in this process off the request — the training itself in a worker thread, so the API keeps answering —
 * writing its phase, progress and a heartbeat as it goes. A job whose process stopped is marked failed: at
 * `recover(true)` when embedded `serve` starts (it is the only process that runs jobs), and whenever a job is
 * read whose heartbeat is older than `staleMs` (another process died). `close()` aborts running jobs and
 * marks them failed.
 */
export function createTrainingJobs<Job extends TrainingJobRow>(options: {
  jobs: TrainingJobStore<Job>
  retrain: (
    task: NluTask,
    actor: Actor,
    options: { onProgress: (progress: RetrainProgress) => void; signal: AbortSignal },
  ) => Promise<RetrainResult>
  /** After a version was registered: store its report, reload the models. */
  afterTraining?: (result: RetrainResult) => Promise<void>
  clock: Clock
  /** This process (default: host, pid and a random part). */
  owner?: string
  heartbeatMs?: number
  staleMs?: number
  log?: (message: string) => void
}) {
  const { jobs, clock } = options
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  const heartbeatMs = options.heartbeatMs ?? 5_000
  const staleMs = options.staleMs ?? 30_000
  const log = options.log ?? (() => {})
  const running = new Map<string, { abort: AbortController; done: Promise<void> }>()

  const failStale = () =>
    jobs.failInterrupted({
      keepOwner: owner,
      staleBefore: new Date(clock.now().getTime() - staleMs),
      everyOwner: false,
      message: INTERRUPTED_MESSAGE,
    })

  const isStale = (job: TrainingJobRow) =>
    ACTIVE.has(job.status) &&
    job.owner !== owner &&
    Date.parse(job.heartbeatAt) < clock.now().getTime() - staleMs

  async function run(job: Job, actor: Actor, abort: AbortController): Promise<void> {
    // progress writes go one after another, in order; the last one is awaited before the job ends
    let writes: Promise<void> = Promise.resolve()
    const write = (values: Parameters<TrainingJobStore<Job>['update']>[1]) => {
      writes = writes
        .then(() => jobs.update(job.id, values))
        .catch((error: unknown) => {
          log(`training job ${job.id}: cannot record progress: ${String(error)}`)
        })
    }
    const heartbeat = setInterval(() => write({}), heartbeatMs)
    heartbeat.unref()
    try {
      write({ status: 'running', startedAt: clock.now(), phase: 'preparing', message: 'starting' })
      const result = await options.retrain(job.task as NluTask, actor, {
        signal: abort.signal,
        onProgress: (progress) => write(progress),
      })
      await options.afterTraining?.(result)
      clearInterval(heartbeat)
      await writes
      const verdict = result.promoted
        ? 'promoted: not worse than the active version on the frozen test set'
        : 'kept as a candidate: worse than the active version on the frozen test set'
      await jobs.finish(job.id, {
        status: 'succeeded',
        message: `${job.task} v${result.version} — test macro-F1 ${result.test.macro_f1.toFixed(3)}; ${verdict}`,
        modelVersion: result.version,
        promoted: result.promoted,
        result: { test: result.test, activeTest: result.active_test, corrections: result.corrections },
      })
      log(
        `training job ${job.id}: ${job.task} v${result.version} (${result.promoted ? 'promoted' : 'candidate'})`,
      )
    } catch (error) {
      clearInterval(heartbeat)
      await writes
      const reason = abort.signal.aborted
        ? INTERRUPTED_MESSAGE
        : `training failed: ${error instanceof Error ? error.message : String(error)}`
      await jobs.finish(job.id, { status: 'failed', message: reason, error: reason }).catch(() => false)
      log(`training job ${job.id}: ${reason}`)
    }
  }

  return {
    owner,

    /** Records a queued job for `task` and starts it off the request; 409 while one is queued or running. */
    async start(task: NluTask, actor: Actor): Promise<Job> {
      await failStale()
      const job = await jobs.create({ task, owner }, actor)
      const abort = new AbortController()
      const entry = { abort, done: Promise.resolve() }
      running.set(job.id, entry)
      entry.done = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => run(job, actor, abort))
        .finally(() => running.delete(job.id))
      return job
    },

    async get(id: string): Promise<Job> {
      const job = await jobs.get(id)
      if (!isStale(job)) return job
      await failStale()
      return jobs.get(id)
    },

    async list(query: { task?: string; status?: string; limit?: number; cursor?: string | null }) {
      const page = await jobs.list(query)
      if (!page.items.some(isStale)) return page
      await failStale()
      return jobs.list(query)
    },

    /**
     * Marks failed the jobs whose process is gone: every queued or running job of another owner when
     * `everyOwner` (embedded `serve` starting), else those with a stale heartbeat.
     */
    recover(everyOwner: boolean): Promise<number> {
      return jobs.failInterrupted({
        keepOwner: owner,
        staleBefore: new Date(clock.now().getTime() - staleMs),
        everyOwner,
        message: INTERRUPTED_MESSAGE,
      })
    },

    /** Waits for the running jobs (tests), without stopping them. */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all([...running.values()].map((entry) => entry.done))
    },

    /** Aborts running jobs (their rows are marked failed as interrupted) and waits for them to end. */
    async close(): Promise<void> {
      for (const entry of running.values()) entry.abort.abort(new Error('the server is stopping'))
      await Promise.all([...running.values()].map((entry) => entry.done))
    },
  }
}

export type TrainingJobs = ReturnType<typeof createTrainingJobs>
