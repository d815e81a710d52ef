import { AppError, type Clock } from '../../core/index.js'

/** At most `max` hits per key within `windowMs`. */
export interface RateLimit {
  readonly max: number
  readonly windowMs: number
}

/**
 * Sliding-window counters kept in this process (each API process counts its own; behind a load balancer
 * the effective limit is per process). `hit` records one request or refuses it with 429
 * `CHANNEL_WIDGET_RATE_LIMITED`, naming when to retry. At most `maxKeys` keys are remembered.
 *
 * @example
 *   const limiter = createRateLimiter({ clock })
 *   limiter.hit(`visitor:${visitorId}`, { max: 20, windowMs: 60_000 }, 'messages from this visitor')
 */
export function createRateLimiter(options: { clock: Clock; maxKeys?: number }) {
  const maxKeys = options.maxKeys ?? 50_000
  const hits = new Map<string, number[]>()
  return {
    hit(key: string, limit: RateLimit, what: string): void {
      const now = options.clock.now().getTime()
      const recent = (hits.get(key) ?? []).filter((at) => at > now - limit.windowMs)
      if (recent.length >= limit.max) {
        const retryAfterSeconds = Math.max(1, Math.ceil((recent[0] + limit.windowMs - now) / 1000))
        hits.set(key, recent)
        throw new AppError(
          'CHANNEL_WIDGET_RATE_LIMITED',
          `too many ${what}: at most ${limit.max} per ${Math.round(limit.windowMs / 1000)} seconds; try again in ${retryAfterSeconds} seconds`,
          { details: { limit: limit.max, windowSeconds: limit.windowMs / 1000, retryAfterSeconds } },
        )
      }
      recent.push(now)
      hits.delete(key)
      hits.set(key, recent)
      if (hits.size > maxKeys) hits.delete(hits.keys().next().value as string)
    },
  }
}

export type RateLimiter = ReturnType<typeof createRateLimiter>
