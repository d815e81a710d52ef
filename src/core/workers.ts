import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * Starts a worker thread on a module of ours. When running from TypeScript sources (tsx), the worker gets the
 * same loader so it can import `.ts` files.
 */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  const fromSources = url.pathname.endsWith('.ts')
  const execArgv = fromSources ? [...new Set([...process.execArgv, '--import', 'tsx'])] : process.execArgv
  return new Worker(url, { ...options, execArgv })
}
