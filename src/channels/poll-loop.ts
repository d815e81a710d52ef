/**
 * Runs `pass` every `intervalMs`, and again at once while a pass reports a full batch, until `stop()`;
 * a failed pass is logged and the loop goes on. `stop()` waits for the pass in flight. Shared by the
 * outbox deliverer and the notifier.
 */
export function startPollLoop(
  pass: (signal: AbortSignal) => Promise<{ full: boolean }>,
  options: { readonly intervalMs: number; readonly name: string; readonly log?: (message: string) => void },
) {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | null = null
  let running: Promise<void> = Promise.resolve()
  const tick = () => {
    running = (async () => {
      let full = false
      try {
        full = (await pass(controller.signal)).full
      } catch (error) {
        options.log?.(`${options.name}: ${error instanceof Error ? error.message : String(error)}`)
      }
      if (!controller.signal.aborted) timer = setTimeout(tick, full ? 0 : options.intervalMs)
    })()
  }
  tick()
  return {
    async stop(): Promise<void> {
      controller.abort()
      if (timer !== null) clearTimeout(timer)
      await running
    },
  }
}
