/** A source of the current time, injected so that tests and pure functions never read the wall clock. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock that stands still until moved; for tests. */
export function fixedClock(
  start: Date | string,
): Clock & { advance(ms: number): void; set(date: Date | string): void } {
  let current = new Date(start)
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current = new Date(current.getTime() + ms)
    },
    set(date: Date | string) {
      current = new Date(date)
    },
  }
}
