/**
 * The scheduler of `schedule` triggers: in every process that runs workers, a timer computes each
 * scheduled workflow's cron slots with {@link nextCronTime} and enqueues one `workflow.schedule` job per
 * slot under the idempotency key `<workflow>:<slot ISO>`. The queue keeps one job per key, so two
 * processes (or two ticks of one) never fire a slot twice; the job then starts the runs (engine.scheduled).
 */
import type { Clock } from '../core/index.js'
import { SCHEDULE_JOB, type WorkflowSource } from './engine.js'
import type { Queue } from './queue-port.js'
import { nextCronTime } from './schedule.js'

/** Slots missed while no scheduler ran (a restart) are caught up at most this far back. */
export const SCHEDULE_CATCH_UP_MS = 5 * 60_000
/** At most this many slots of one workflow are enqueued per tick (a cron of every minute after a pause). */
const MAX_SLOTS_PER_TICK = 10

export interface SchedulerOptions {
  readonly workflows: Pick<WorkflowSource, 'enabled'>
  readonly queue: () => Queue
  readonly clock: Clock
  /** The workspace's time zone, for crons without their own. */
  readonly timeZone: () => Promise<string>
  /** How far back the first tick of a process looks for a slot it may have missed (default 5 minutes). */
  readonly catchUpMs?: number
}

/**
 * @example
 *   const scheduler = createScheduler({ workflows, queue, clock, timeZone: async () => 'Asia/Shanghai' })
 *   const timer = scheduler.start(30_000)   // every 30 s: enqueue the slots that came due
 *   await timer.stop()
 */
export function createScheduler(options: SchedulerOptions) {
  const catchUpMs = options.catchUpMs ?? SCHEDULE_CATCH_UP_MS
  let checkedUpTo: Date | null = null

  /** Enqueues every slot that came due since the last tick; returns the idempotency keys it enqueued. */
  async function tick(): Promise<{ key: string; duplicate: boolean }[]> {
    const now = options.clock.now()
    const from = checkedUpTo ?? new Date(now.getTime() - catchUpMs)
    const enqueued: { key: string; duplicate: boolean }[] = []
    const defaultZone = await options.timeZone()
    for (const workflow of await options.workflows.enabled('schedule')) {
      const trigger = workflow.definition.trigger
      if (trigger.type !== 'schedule') continue
      let after = from
      for (let i = 0; i < MAX_SLOTS_PER_TICK; i++) {
        const slot = nextCronTime(trigger.cron, trigger.timeZone ?? defaultZone, after)
        if (slot.getTime() > now.getTime()) break
        const key = `${workflow.key}:${slot.toISOString()}`
        const job = await options
          .queue()
          .enqueue(
            SCHEDULE_JOB,
            { workflow: workflow.key, slot: slot.toISOString() },
            { idempotencyKey: key },
          )
        enqueued.push({ key, duplicate: job.duplicate })
        after = slot
      }
    }
    checkedUpTo = now
    return enqueued
  }

  /** Ticks every `intervalMs` until stopped; a failed tick is reported and the next one tries again. */
  function start(intervalMs = 30_000, onError: (error: unknown) => void = () => {}) {
    let running: Promise<unknown> = Promise.resolve()
    const run = () => {
      running = tick().catch(onError)
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

  return { tick, start }
}

export type Scheduler = ReturnType<typeof createScheduler>
