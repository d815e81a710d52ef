/** A one-line progress bar on a TTY (standard error); silent when output is not a terminal or with --json. */
export function createProgress(stream: NodeJS.WriteStream | null) {
  const tty = stream !== null && stream.isTTY
  let last = 0
  return {
    update(done: number, total: number, phase: string) {
      if (!tty || !stream) return
      const now = Date.now()
      if (now - last < 100 && done < total) return
      last = now
      const fraction = total > 0 ? Math.min(1, done / total) : 1
      const width = 30
      const filled = Math.round(fraction * width)
      stream.write(
        `\r${phase.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`,
      )
    },
    done() {
      if (tty && stream) stream.write('\n')
    },
  }
}
