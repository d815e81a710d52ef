/** Seeds the benchmark database off the main thread: 100k customers and 1M events by default. */
import { parentPort, workerData } from 'node:worker_threads'
import { systemClock } from '../../src/core/index.js'
import { systemActor } from '../../src/crm/index.js'
import { migrateToLatest, openStore } from '../../src/store/index.js'
import { seedDemo } from '../../src/store/demo/seed-demo.js'

const { url, schema, customers, events } = workerData as {
  url: string
  schema?: string
  customers: number
  events: number
}
const store = await openStore({ url, schema })
const migrated = await migrateToLatest(store)
if (migrated.error) throw migrated.error
const result = await seedDemo(store, systemClock, systemActor, {
  customers,
  events,
  seed: 7,
  reset: true,
  onProgress: (done, total, phase) => parentPort?.postMessage({ type: 'progress', done, total, phase }),
})
await store.close()
parentPort?.postMessage({ type: 'done', result })
