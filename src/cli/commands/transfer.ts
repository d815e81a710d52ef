import type { Command } from 'commander'

/** `import` and `export` (filled in by the import/export module). */
export function registerTransferCommands(_program: Command): void {}
