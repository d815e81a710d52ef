/** Timing helpers of the NLU benchmark: wall and CPU time, single-core throughput, peak memory. */

export function cpuSeconds(): number {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1e6
}

export interface Throughput {
  /** Messages per second of wall-clock time. */
  readonly wall: number
  /** Messages per second of this process's CPU time (robust when other processes share the cores). */
  readonly cpu: number
  readonly messages: number
}

/**
 * Throughput of `run` over `texts`: one warm-up pass, then passes until at least `seconds` of wall time;
 * each pass is text in, label out, on this thread (one core).
 */
export function throughput(
  texts: readonly string[],
  run: (batch: readonly string[]) => unknown,
  seconds = 2,
): Throughput {
  run(texts)
  let messages = 0
  const wallStart = performance.now()
  const cpuStart = cpuSeconds()
  while (performance.now() - wallStart < seconds * 1000) {
    run(texts)
    messages += texts.length
  }
  const wall = (performance.now() - wallStart) / 1000
  const cpu = cpuSeconds() - cpuStart
  return { wall: Math.round(messages / wall), cpu: Math.round(messages / cpu), messages }
}

/** Peak resident set size of this process so far, in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024
}
