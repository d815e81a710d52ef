/**
 * The sweeper (issue 5, item 8): the database is the source of truth, jobs are only the means. Where workers
 * run (`serve` in embedded mode, `agentcrm worker` in queue mode) a timer
 *
 * - re-enqueues `workflow.advance` for runs that are `running` but have not changed for longer than a grace
 *   period (their job was lost: Redis flushed, an enqueue that failed after the run row was written, a job
 *   that used up its attempts while the database was down);
 * - re-enqueues `workflow.resume` for `waiting` runs whose timer (`waitingFor.until`) is past due by more than
 *   the grace period (the delayed job is gone);
 * - prunes finished runs (done, cancelled, failed) and their step rows after the run retention, and decision
 *   records (`agent_decisions`) after their own, longer, retention.
 *
 * A sweep claims each stale run with a compare-and-set on its `updatedAt` (the winner moves it to now), so
 * two processes sweeping at once — or one sweeping twice — enqueue once; the job's idempotency key names the
 * run, its step and the `updatedAt` that was claimed. A job enqueued while the original one is in fact still
 * around is harmless: advancing and resuming are compare-and-set on the run's current step.
 */
import type { Clock } from '../core/index.js'
import { ADVANCE_JOB, RESUME_JOB } from './engine.js'
import type { Queue } from './queue-port.js'

/** A run the sweeper may have to move on. */
export interface StaleRun {
  readonly id: string
  readonly status: 'running' | 'waiting'
  readonly currentStep: string | null
  readonly updatedAt: string
}

/** What the sweeper needs from the database (implemented by store/workflow/sweep-repository.ts). */
export interface SweepStore {
  /**
   * `running` runs not updated since `runningBefore`, and `waiting` runs whose timer was due before
   * `timerBefore` (and that were not updated since); oldest first, at most `limit`.
   */
  stale(runningBefore: Date, timerBefore: Date, limit: number): Promise<StaleRun[]>
  /** Moves the run's `updatedAt` to `now` if it is still `updatedAt` and `status` (false: someone else did). */
  claim(run: StaleRun, now: Date): Promise<boolean>
  /** Deletes up to `limit` runs finished before `before`, with their steps; returns how many runs went. */
  pruneRuns(before: Date, limit: number): Promise<number>
  /** Deletes up to `limit` decision records made before `before`; returns how many went. */
  pruneDecisions(before: Date, limit: number): Promise<number>
}

export interface SweeperOptions {
  readonly store: SweepStore
  readonly queue: () => Queue
  readonly clock: Clock
  /** How long a run may sit unchanged (or a timer overdue) before it is swept (default 2 minutes). */
  readonly graceMs?: number
  /** Finished runs are kept this long (default 30 days). */
  readonly runRetentionMs?: number
  /** Decision records are kept this long (default 365 days). */
  readonly decisionRetentionMs?: number
  /** Runs looked at per sweep (default 500). */
  readonly batch?: number
  /** Prunes other short-lived data on the same schedule (the live-event announcements). */
  readonly alsoPrune?: (now: Date) => Promise<unknown>
}

const DAY_MS = 86_400_000
export const DEFAULT_SWEEP_GRACE_MS = 120_000
export const DEFAULT_RUN_RETENTION_DAYS = 30
export const DEFAULT_DECISION_RETENTION_DAYS = 365

/**
 * @example
 *   const sweeper = createSweeper({ store: sweepRepository, queue, clock })
 *   const timer = sweeper.start()      // sweeps every 30 s, prunes every hour
 *   await timer.stop()
 */
export function createSweeper(options: SweeperOptions) {
  const { store, clock } = options
  const graceMs = options.graceMs ?? DEFAULT_SWEEP_GRACE_MS
  const runRetentionMs = options.runRetentionMs ?? DEFAULT_RUN_RETENTION_DAYS * DAY_MS
  const decisionRetentionMs = options.decisionRetentionMs ?? DEFAULT_DECISION_RETENTION_DAYS * DAY_MS
  const batch = options.batch ?? 500

  /** Re-enqueues the jobs of stale runs; returns the runs this call re-enqueued. */
  async function sweep(): Promise<{ runId: string; job: string; key: string }[]> {
    const now = clock.now()
    const cutoff = new Date(now.getTime() - graceMs)
    const requeued: { runId: string; job: string; key: string }[] = []
    for (const run of await store.stale(cutoff, cutoff, batch)) {
      if (run.currentStep === null) continue
      if (!(await store.claim(run, now))) continue
      // claimed first, enqueued second: if the enqueue fails, the run is stale again after the grace period
      const key = `${run.id}:${run.currentStep}:sweep:${run.updatedAt}`
      if (run.status === 'running') {
        await options.queue().enqueue(ADVANCE_JOB, { runId: run.id }, { idempotencyKey: key, maxAttempts: 3 })
        requeued.push({ runId: run.id, job: ADVANCE_JOB, key })
      } else {
        await options
          .queue()
          .enqueue(RESUME_JOB, { runId: run.id, stepId: run.currentStep }, { idempotencyKey: key })
        requeued.push({ runId: run.id, job: RESUME_JOB, key })
      }
    }
    return requeued
  }

  /** Deletes finished runs past their retention and decision records past theirs, in batches. */
  async function prune(): Promise<{ runs: number; decisions: number }> {
    const now = clock.now().getTime()
    const runsBefore = new Date(now - runRetentionMs)
    const decisionsBefore = new Date(now - decisionRetentionMs)
    let runs = 0
    for (;;) {
      const n = await store.pruneRuns(runsBefore, batch)
      runs += n
      if (n < batch) break
    }
    let decisions = 0
    for (;;) {
      const n = await store.pruneDecisions(decisionsBefore, batch)
      decisions += n
      if (n < batch) break
    }
    await options.alsoPrune?.(clock.now())
    return { runs, decisions }
  }

  /**
   * Sweeps every `intervalMs` (default 30 s) and prunes every `pruneEveryMs` (default 1 hour, first on the
   * first tick); a failed tick is reported and the next one tries again.
   */
  function start(
    intervalMs = 30_000,
    onError: (error: unknown) => void = () => {},
    pruneEveryMs = 3_600_000,
  ) {
    let running: Promise<unknown> = Promise.resolve()
    let lastPrune = Number.NEGATIVE_INFINITY
    let busy = false
    const run = () => {
      if (busy) return
      busy = true
      running = (async () => {
        await sweep()
        const now = clock.now().getTime()
        if (now - lastPrune >= pruneEveryMs) {
          lastPrune = now
          await prune()
        }
      })()
        .catch(onError)
        .finally(() => {
          busy = false
        })
    }
    run()
    const timer = setInterval(run, intervalMs)
    timer.unref?.()
    return {
      async stop() {
        clearInterval(timer)
        await running
      },
    }
  }

  return { sweep, prune, start }
}

export type Sweeper = ReturnType<typeof createSweeper>
