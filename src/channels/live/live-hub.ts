import type { LiveEvent } from '../../store/live/live-events.js'

/** Where the hub reads announcements (`store/live/live-events.ts`). */
export interface LiveEventSource {
  after(seq: number, limit: number): Promise<LiveEvent[]>
  latest(): Promise<number>
}

export interface LiveHubOptions {
  readonly source: LiveEventSource
  /** How often the database is asked for new announcements while someone listens. */
  readonly intervalMs?: number
  /**
   * How long a hole in the sequence is waited for. On Postgres two transactions can commit out of sequence
   * order (or one rolls back, leaving a hole for good); the hub holds its cursor below a hole this long.
   */
  readonly gapTimeoutMs?: number
  readonly batchSize?: number
  /** A monotonic clock in milliseconds (the hole timer; not business time). */
  readonly now?: () => number
  readonly log?: (message: string) => void
}

export type LiveListener = (event: LiveEvent) => void

/**
 * One shared poller per process that follows `live_events` and fans each announcement out to every
 * listener (the console's and the widgets' SSE connections). It polls only while someone listens, starting
 * from the newest announcement; a client that resumes (`Last-Event-ID`) reads its backlog with `replay`.
 *
 * Order and holes: the cursor (`floor`) is the highest sequence number below which everything was either
 * seen or given up on. Events above a hole are delivered as they appear (once each); the cursor waits at the
 * hole for `gapTimeoutMs`, then moves on — so an out-of-order commit on Postgres is still delivered, and a
 * rolled-back one does not stall the stream.
 *
 * @example
 *   const hub = createLiveHub({ source: createLiveEventsRepository(context) })
 *   const unsubscribe = await hub.subscribe((event) => send(event))
 *   await hub.close()
 */
export function createLiveHub(options: LiveHubOptions) {
  const { source } = options
  const intervalMs = options.intervalMs ?? 500
  const gapTimeoutMs = options.gapTimeoutMs ?? 10_000
  const batchSize = options.batchSize ?? 500
  const now = options.now ?? (() => performance.now())
  const listeners = new Set<LiveListener>()

  let floor = 0
  /** Sequence numbers above `floor` already delivered. */
  const seen = new Set<number>()
  /** When the hole just above `floor` was first noticed. */
  let holeSince: number | null = null
  let timer: NodeJS.Timeout | null = null
  let polling: Promise<void> | null = null
  let starting: Promise<void> | null = null
  let closed = false

  function emit(event: LiveEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(event)
      } catch (error) {
        options.log?.(`live listener failed: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  }

  function advanceFloor(): void {
    for (;;) {
      if (seen.has(floor + 1)) {
        seen.delete(floor + 1)
        floor += 1
        holeSince = null
        continue
      }
      if (seen.size === 0) {
        holeSince = null
        return
      }
      // a hole below events already seen: wait for it a while, then give up on it
      holeSince ??= now()
      if (now() - holeSince < gapTimeoutMs) return
      floor = Math.min(...seen) - 1
      holeSince = null
    }
  }

  async function poll(): Promise<void> {
    const events = await source.after(floor, batchSize)
    for (const event of events) {
      if (event.seq <= floor || seen.has(event.seq)) continue
      seen.add(event.seq)
      emit(event)
    }
    advanceFloor()
  }

  function schedule(): void {
    if (closed || listeners.size === 0) return
    timer = setTimeout(() => {
      timer = null
      polling = poll()
        .catch((error: unknown) =>
          options.log?.(`live poll failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => {
          polling = null
          schedule()
        })
    }, intervalMs)
  }

  async function start(): Promise<void> {
    floor = await source.latest()
    seen.clear()
    holeSince = null
    schedule()
  }

  return {
    /**
     * Adds a listener; the first one starts the poller at the newest announcement. Resolves once the
     * listener is live (anything written after this is delivered to it). Returns the unsubscribe function.
     */
    async subscribe(listener: LiveListener): Promise<() => void> {
      if (closed) throw new Error('the live hub is closed')
      const first = listeners.size === 0 && timer === null && polling === null && starting === null
      listeners.add(listener)
      if (first) starting = start().finally(() => (starting = null))
      await starting
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0 && timer !== null) {
          clearTimeout(timer)
          timer = null
        }
      }
    },
    /** Announcements after `seq` that the table still holds (a resuming client's backlog), in order. */
    async replay(seq: number, limit = batchSize): Promise<LiveEvent[]> {
      return source.after(seq, limit)
    },
    /** Polls once now, outside the timer (tests). */
    tick: (): Promise<void> => poll(),
    /** How many listeners are connected (tests, metrics). */
    get listenerCount(): number {
      return listeners.size
    },
    /** Stops polling and drops every listener; waits for a poll in flight. */
    async close(): Promise<void> {
      closed = true
      listeners.clear()
      if (timer !== null) clearTimeout(timer)
      timer = null
      await starting?.catch(() => {})
      await polling
    },
  }
}

export type LiveHub = ReturnType<typeof createLiveHub>
