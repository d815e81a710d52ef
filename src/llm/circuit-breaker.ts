import type { Clock } from '../core/index.js'

export type CircuitState = 'closed' | 'open' | 'half-open'

export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the circuit. Default 5. */
  readonly failureThreshold?: number
  /** How long an open circuit refuses calls before it lets one trial call through. Default 30,000 ms. */
  readonly cooldownMs?: number
  readonly clock: Clock
}

export interface CircuitBreaker {
  /** The state now (an open circuit whose cooldown has passed reads `half-open`). */
  state(): CircuitState
  /**
   * Asks to make a call: true when it may go ahead. While half-open, only one trial call is let through
   * until it reports back.
   */
  tryAcquire(): boolean
  /** Milliseconds until an open circuit lets a trial through; 0 otherwise. */
  retryInMs(): number
  recordSuccess(): void
  recordFailure(): void
  /** A call that ended without saying anything about the provider's health (the caller aborted it). */
  release(): void
}

/**
 * A circuit breaker over whole calls: after `failureThreshold` consecutive failures it opens and refuses
 * calls for `cooldownMs`; then one trial call goes through (half-open), and its outcome closes the circuit
 * or opens it for another cooldown. Time comes from the injected clock.
 *
 * @example
 *   const breaker = createCircuitBreaker({ failureThreshold: 5, cooldownMs: 30_000, clock: systemClock })
 *   if (!breaker.tryAcquire()) throw new AppError('LLM_CIRCUIT_OPEN', '…')
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const failureThreshold = Math.max(1, options.failureThreshold ?? 5)
  const cooldownMs = Math.max(0, options.cooldownMs ?? 30_000)
  const { clock } = options
  let failures = 0
  let openedAt: number | null = null
  let trialInFlight = false

  const state = (): CircuitState => {
    if (openedAt === null) return 'closed'
    return clock.now().getTime() - openedAt >= cooldownMs ? 'half-open' : 'open'
  }
  return {
    state,
    tryAcquire() {
      const current = state()
      if (current === 'closed') return true
      if (current === 'open' || trialInFlight) return false
      trialInFlight = true
      return true
    },
    retryInMs() {
      if (openedAt === null) return 0
      return Math.max(0, openedAt + cooldownMs - clock.now().getTime())
    },
    recordSuccess() {
      failures = 0
      openedAt = null
      trialInFlight = false
    },
    recordFailure() {
      failures += 1
      if (trialInFlight || failures >= failureThreshold) openedAt = clock.now().getTime()
      trialInFlight = false
    },
    release() {
      trialInFlight = false
    },
  }
}
