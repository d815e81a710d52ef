import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * Starts a worker thread on a module of ours. When running from TypeScript sources (tsx), the worker first
 * registers tsx's loader in its own thread and then imports the module, so it can import `.ts` files.
 * (`execArgv: ['--import', 'tsx']` is not enough: Node 20 does not apply loader hooks from a worker's
 * execArgv to the worker's entry module.)
 */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  const fromSources = url.pathname.endsWith('.ts')
  if (!fromSources) return new Worker(url, options)
  const tsx = import.meta.resolve('tsx/esm/api')
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}) })`
  return new Worker(bootstrap, { ...options, eval: true })
}
