import { join } from 'node:path'
import type { Command } from 'commander'
import { cliActor } from '../../crm/index.js'
import { DEMO_KNOWLEDGE_DIR, importKnowledgePath } from '../../knowledge/index.js'
import { countCustomers, seedDemo } from '../../store/demo/seed-demo.js'
import { withApp } from '../context.js'
import { UsageError, createOutput, reportFailure } from '../output.js'
import { createProgress } from '../progress.js'

function positiveInteger(name: string, value: string, max: number): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number < 0 || number > max) {
    throw new UsageError(`${name} "${value}" must be a whole number from 0 to ${max}`)
  }
  return number
}

export function registerDemoCommands(program: Command): void {
  const demo = program.command('demo').description('the demo company')
  demo
    .command('seed')
    .description(
      'fill an empty database with the demo shop (customers, catalogue, orders, events, conversations, knowledge base)',
    )
    .option('--customers <n>', 'number of customers', '500')
    .option('--events <n>', 'number of behaviour events (default 20 per customer)')
    .option('--seed <s>', 'random seed (same seed, same data)', '42')
    .option('--reset', 'delete existing CRM data first')
    .option('--if-empty', 'do nothing (exit 0) when the database already has customers')
    .option('--json', 'machine-readable output')
    .action(
      async (options: {
        customers: string
        events?: string
        seed: string
        reset?: boolean
        ifEmpty?: boolean
        json?: boolean
      }) => {
        const out = createOutput(Boolean(options.json))
        try {
          if (options.reset && options.ifEmpty) throw new UsageError('give --reset or --if-empty, not both')
          const customers = positiveInteger('--customers', options.customers, 2_000_000)
          const seed = positiveInteger('--seed', options.seed, 2 ** 31)
          const events =
            options.events === undefined ? undefined : positiveInteger('--events', options.events, 50_000_000)
          const result = await withApp({}, async (app, config) => {
            const existing = await countCustomers(app.store)
            if (existing > 0 && options.ifEmpty) {
              return { seeded: false, customers: existing, reason: 'the database already has customers' }
            }
            const progress = createProgress(out.json ? null : process.stderr)
            const seeded = await seedDemo(app.store, app.clock, cliActor, {
              customers,
              seed,
              events,
              reset: options.reset,
              labelsFile: join(config.dataDir, 'demo-labels.jsonl'),
              onProgress: (done, total, phase) => progress.update(done, total, phase),
            })
            progress.done()
            const knowledge = await importKnowledgePath(DEMO_KNOWLEDGE_DIR, app.knowledge, cliActor)
            return {
              ...seeded,
              knowledge: {
                inserted: knowledge.inserted,
                updated: knowledge.updated,
                rejected: knowledge.rejected.length,
              },
            }
          })
          out.result(result, () =>
            result.seeded
              ? `seeded the demo shop: ${JSON.stringify(result)}`
              : `demo seed skipped: ${'reason' in result ? result.reason : ''} (${result.customers} customers)`,
          )
        } catch (error) {
          process.exitCode = reportFailure(error, out.json)
        }
      },
    )
}
