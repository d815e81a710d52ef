import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { createApp } from '../../app.js'
import { AppError } from '../../core/index.js'
import { generatePassword } from '../../auth/index.js'
import { cliActor } from '../../crm/index.js'
import { buildServer } from '../../server/http.js'
import { configFrom } from '../context.js'
import { UsageError, createOutput, reportFailure } from '../output.js'

function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port "${value}" is not a port (0–65535)`)
  return port
}

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description(
      'run the API and console (never seeds data); creates and prints an admin login on first start',
    )
    .option('--port <n>', 'port to listen on (AGENTCRM_PORT, default 3000)')
    .option('--host <h>', 'address to listen on (AGENTCRM_HOST, default 127.0.0.1)')
    .action(async (options: { port?: string; host?: string }) => {
      const config = configFrom({
        ...(options.port !== undefined ? { port: parsePort(options.port) } : {}),
        ...(options.host !== undefined ? { host: options.host } : {}),
      })
      const app = await createApp(config)
      // Listen only once the models are ready: the built-in ones are trained on first start (seconds).
      await app.ensureBuiltinModels((message) => process.stderr.write(`${message}\n`))
      // the knowledge index is built before the first request, not by it
      await app.knowledge.ensureCurrent(true)
      await app.nlu.refresh(true)
      // training jobs left queued or running by a stopped server are marked failed (embedded: all of them)
      await app.training.jobs.recover(config.redisUrl === null)
      if ((await app.access.countUsers()) === 0) {
        const email = 'admin@agentcrm.local'
        const password = generatePassword()
        await app.access.createUser({ email, password, role: 'admin', name: 'Administrator' }, cliActor)
        mkdirSync(config.dataDir, { recursive: true })
        const file = join(config.dataDir, 'initial-admin.txt')
        writeFileSync(file, `email: ${email}\npassword: ${password}\n`, { mode: 0o600 })
        chmodSync(file, 0o600)
        process.stdout.write(
          `\n  First start: an admin was created.\n    email:    ${email}\n    password: ${password}\n  (also saved in ${file}; change it after signing in)\n\n`,
        )
      }
      const server = await buildServer(app, {
        logger:
          config.logLevel === 'silent'
            ? false
            : { level: config.logLevel === 'info' ? 'warn' : config.logLevel },
      })
      let address: string
      try {
        address = await server.listen({ port: config.port, host: config.host })
      } catch (error) {
        await server.close()
        await app.close()
        const code = (error as { code?: string }).code
        if (code === 'EADDRINUSE' || code === 'EACCES') {
          throw new AppError(
            'CORE_PORT_IN_USE',
            `cannot listen on ${config.host}:${config.port} (${code === 'EADDRINUSE' ? 'already in use' : 'permission denied'}); stop the other process or choose another port with --port or AGENTCRM_PORT`,
            { cause: error },
          )
        }
        throw error
      }
      process.stdout.write(
        `AgentCRM is running at ${address.replace('127.0.0.1', 'localhost')}  (API docs: ${address}/api/docs)\n`,
      )
      // embedded mode: workflow runs are processed in this process (queue mode: `agentcrm worker`)
      const workers =
        config.redisUrl === null ? app.queue().work(app.workflows.engine.handle, { concurrency: 2 }) : null
      // schedule triggers tick where workers run; the queue's idempotency keys keep one tick per slot
      const ticks = config.redisUrl === null ? app.workflows.scheduler.start() : null
      // runs whose job was lost are re-enqueued, old run data pruned, where workers run
      const sweeps = config.redisUrl === null ? app.workflows.sweeper.start() : null
      // the outbox deliverer runs where workflow workers run (queue mode: in `agentcrm worker`)
      const deliveries = config.redisUrl === null ? app.channels.deliverer.start() : null
      const notices = config.redisUrl === null ? app.channels.notifier.start() : null
      // email inboxes with IMAP settings are polled where workers run; a lease keeps one poller per mailbox
      const mail = config.redisUrl === null ? app.channels.imap.start() : null
      const stop = async (signal: string) => {
        process.stderr.write(`${signal}: shutting down\n`)
        await ticks?.stop()
        await sweeps?.stop()
        await deliveries?.stop()
        await notices?.stop()
        await mail?.stop()
        await workers?.stop()
        await server.close()
        await app.close()
        process.exit(0)
      }
      process.once('SIGINT', () => void stop('SIGINT'))
      process.once('SIGTERM', () => void stop('SIGTERM'))
      await new Promise(() => {})
    })

  program
    .command('worker')
    .description(
      'run workflow workers (queue mode, with AGENTCRM_REDIS_URL); in embedded mode `serve` runs them',
    )
    .option('--concurrency <n>', 'jobs run at once by this worker', '4')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean; concurrency?: string }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const config = configFrom()
        if (config.redisUrl === null) {
          out.result(
            { mode: 'embedded', running: false },
            () =>
              'embedded mode: `agentcrm serve` runs the workers in-process; set AGENTCRM_REDIS_URL for queue mode',
          )
          return
        }
        const app = await createApp(config)
        await app.ensureBuiltinModels((message) => process.stderr.write(`${message}\n`))
        await app.knowledge.ensureCurrent(true)
        const concurrency = Number(options.concurrency ?? '4')
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
          throw new UsageError(`--concurrency "${options.concurrency}" must be a whole number from 1 to 64`)
        const worker = app.queue().work(app.workflows.engine.handle, { concurrency })
        const ticks = app.workflows.scheduler.start()
        const sweeps = app.workflows.sweeper.start()
        const deliveries = app.channels.deliverer.start()
        const notices = app.channels.notifier.start()
        const mail = app.channels.imap.start()
        process.stderr.write(`worker: processing workflow jobs from Redis (concurrency ${concurrency})\n`)
        const stop = async (signal: string) => {
          process.stderr.write(`${signal}: finishing running jobs\n`)
          await ticks.stop()
          await sweeps.stop()
          await deliveries.stop()
          await notices.stop()
          await mail.stop()
          await worker.stop()
          await app.close()
          process.exit(0)
        }
        process.once('SIGINT', () => void stop('SIGINT'))
        process.once('SIGTERM', () => void stop('SIGTERM'))
        await new Promise(() => {})
      } catch (error) {
        process.exitCode = reportFailure(error, out.json)
      }
    })
}
