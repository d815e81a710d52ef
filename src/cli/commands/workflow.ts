import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import type { Command } from 'commander'
import { AppError, isAppError } from '../../core/index.js'
import { cliActor } from '../../crm/index.js'
import type { StoredWorkflow } from '../../store/index.js'
import {
  parseWorkflowFile,
  workflowEdges,
  workflowInvalidError,
  type WorkflowDefinition,
  type WorkflowFileFormat,
  type WorkflowIssue,
  type WorkflowTrigger,
} from '../../workflow/index.js'
import { withApp } from '../context.js'
import { createOutput, reportFailure } from '../output.js'

/** `.json` is JSON, `.yaml`/`.yml` YAML; anything else is read as JSON when it starts with `{`. */
function formatOf(path: string, text: string): WorkflowFileFormat {
  const extension = extname(path).toLowerCase()
  if (extension === '.json') return 'json'
  if (extension === '.yaml' || extension === '.yml') return 'yaml'
  return text.trimStart().startsWith('{') ? 'json' : 'yaml'
}

/** Reads and validates a workflow file; `WORKFLOW_INVALID` with every issue, or the definition. */
export function readWorkflowFile(path: string): WorkflowDefinition {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new AppError(
      'WORKFLOW_FILE_UNREADABLE',
      code === 'ENOENT'
        ? `"${path}" does not exist`
        : code === 'EISDIR'
          ? `"${path}" is a folder; give a .json or .yaml file`
          : `"${path}" is not UTF-8 text: save it as UTF-8`,
      { cause: error, details: { path } },
    )
  }
  const result = parseWorkflowFile(text, formatOf(path, text))
  if (!result.ok) throw workflowInvalidError(result.issues, path)
  return result.workflow
}

function describeTrigger(trigger: WorkflowTrigger): string {
  switch (trigger.type) {
    case 'schedule':
      return `schedule "${trigger.cron}"${trigger.timeZone ? ` ${trigger.timeZone}` : ''}${trigger.forEach ? ` for each ${trigger.forEach.entity}` : ''}`
    case 'event.tracked':
      return trigger.eventName ? `event.tracked "${trigger.eventName}"` : 'event.tracked'
    case 'manual':
      return trigger.subject ? `manual (${trigger.subject})` : 'manual'
    default:
      return trigger.type
  }
}

/** The row `workflow list --json` prints (CONTRACTS: `[{id, key, name, version, enabled, trigger}]`). */
function listRow(workflow: StoredWorkflow) {
  return {
    id: workflow.id,
    key: workflow.key,
    name: workflow.name,
    version: workflow.version,
    enabled: workflow.enabled,
    trigger: workflow.trigger,
  }
}

/** Prints every issue of an invalid file on standard error (the error line shows only the first three). */
function failure(error: unknown, json: boolean): number {
  const code = reportFailure(error, json)
  if (!json && isAppError(error) && error.code === 'WORKFLOW_INVALID') {
    const { issues } = error.details as { issues: WorkflowIssue[] }
    for (const issue of issues) process.stderr.write(`  ${issue.path || '(file)'}: ${issue.message}\n`)
  }
  return code
}

export function registerWorkflowCommands(program: Command): void {
  const workflow = program
    .command('workflow')
    .description('workflows as data: list, show, validate, import, enable, disable, run')

  workflow
    .command('list')
    .description('every workflow with its version, whether it is enabled, and its trigger')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const workflows = await withApp({}, (app) => app.workflows.repository.all())
        out.result(workflows.map(listRow), () =>
          workflows.length === 0
            ? 'no workflows'
            : workflows
                .map(
                  (w) =>
                    `${w.key.padEnd(24)} v${String(w.version).padEnd(3)} ${(w.enabled ? 'enabled' : 'disabled').padEnd(9)} ${describeTrigger(w.trigger).padEnd(28)} ${w.name}`,
                )
                .join('\n'),
        )
      } catch (error) {
        process.exitCode = failure(error, out.json)
      }
    })

  workflow
    .command('show')
    .description('one workflow (by key or id): its definition, version and graph')
    .argument('<key>', 'workflow key or id')
    .option('--json', 'machine-readable output')
    .action(async (key: string, options: { json?: boolean }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const found = await withApp({}, (app) => app.workflows.repository.get(key))
        const edges = workflowEdges(found.definition)
        out.result({ ...found, edges }, () =>
          [
            `${found.key} — ${found.name} (v${found.version}, ${found.enabled ? 'enabled' : 'disabled'}, ${found.source})`,
            ...(found.description ? [found.description] : []),
            `trigger: ${describeTrigger(found.trigger)}`,
            'steps:',
            ...found.definition.steps.map((step) => {
              const what = step.type === 'action' ? `action ${step.action}` : step.type
              const to = edges
                .filter((edge) => edge.from === step.id)
                .map((edge) => (edge.via === 'next' ? edge.to : `${edge.via} ${edge.to}`))
              if (step.type === 'branch' && step.else === undefined) to.push('else (end)')
              return `  ${step.id}: ${what}${to.length > 0 ? ` → ${to.join(', ')}` : ' (end)'}`
            }),
          ].join('\n'),
        )
      } catch (error) {
        process.exitCode = failure(error, out.json)
      }
    })

  workflow
    .command('validate')
    .description(
      'check a workflow file (JSON or YAML) without touching the database; exit 1 lists every problem',
    )
    .argument('<file>', 'a .json or .yaml workflow definition')
    .option('--json', 'machine-readable output')
    .action((file: string, options: { json?: boolean }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const definition = readWorkflowFile(file)
        out.result(
          {
            valid: true,
            key: definition.key,
            name: definition.name,
            trigger: definition.trigger,
            steps: definition.steps.length,
          },
          () => `${file}: valid workflow "${definition.key}" (${definition.steps.length} steps)`,
        )
      } catch (error) {
        process.exitCode = failure(error, out.json)
      }
    })

  workflow
    .command('import')
    .description(
      'create or update the workflow with the file’s key (a change is a new version; a new workflow starts disabled)',
    )
    .argument('<file>', 'a .json or .yaml workflow definition')
    .option('--json', 'machine-readable output')
    .action(async (file: string, options: { json?: boolean }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const definition = readWorkflowFile(file)
        const { workflow: saved, outcome } = await withApp({}, (app) =>
          app.workflows.repository.save(definition, 'file', cliActor),
        )
        out.result(
          { id: saved.id, key: saved.key, version: saved.version, enabled: saved.enabled, outcome },
          () =>
            `${saved.key}: ${outcome} (v${saved.version}, ${saved.enabled ? 'enabled' : `disabled — run \`agentcrm workflow enable ${saved.key}\` to start it`})`,
        )
      } catch (error) {
        process.exitCode = failure(error, out.json)
      }
    })

  for (const enabled of [true, false]) {
    const verb = enabled ? 'enable' : 'disable'
    workflow
      .command(verb)
      .description(
        enabled ? 'start running a workflow on its trigger' : 'stop starting new runs of a workflow',
      )
      .argument('<key>', 'workflow key or id')
      .option('--json', 'machine-readable output')
      .action(async (key: string, options: { json?: boolean }) => {
        const out = createOutput(Boolean(options.json))
        try {
          const saved = await withApp({}, (app) =>
            app.workflows.repository.setEnabled(key, enabled, cliActor),
          )
          out.result(
            { id: saved.id, key: saved.key, version: saved.version, enabled: saved.enabled },
            () => `${saved.key}: ${saved.enabled ? 'enabled' : 'disabled'}`,
          )
        } catch (error) {
          process.exitCode = failure(error, out.json)
        }
      })
  }

  workflow
    .command('run')
    .description(
      'start a run by hand about a message, conversation, customer or order; in embedded mode it is processed here until it finishes or waits',
    )
    .argument('<key>', 'workflow key or id')
    .option('--message <id>', 'the message the run is about')
    .option('--conversation <id>', 'the conversation the run is about')
    .option('--customer <id>', 'the customer the run is about')
    .option('--order <id>', 'the order the run is about')
    .option('--timeout <seconds>', 'how long to process the run here (embedded mode)', '60')
    .option('--json', 'machine-readable output: the run and its steps')
    .action(
      async (
        key: string,
        options: {
          message?: string
          conversation?: string
          customer?: string
          order?: string
          timeout: string
          json?: boolean
        },
      ) => {
        const out = createOutput(Boolean(options.json))
        try {
          const seconds = Number(options.timeout)
          if (!(seconds > 0 && seconds <= 3600))
            throw new AppError('CORE_USAGE', `--timeout "${options.timeout}" must be 1 to 3600 seconds`)
          const result = await withApp({}, async (app) => {
            await app.ensureBuiltinModels((message) => process.stderr.write(`${message}\n`))
            const run = await app.workflows.engine.runManually(key, {
              messageId: options.message,
              conversationId: options.conversation,
              customerId: options.customer,
              orderId: options.order,
            })
            if (app.config.redisUrl === null) {
              const worker = app.queue().work(app.workflows.engine.handle, { pollMs: 20 })
              const deadline = Date.now() + seconds * 1000
              for (;;) {
                const current = await app.workflows.runs.get(run.id)
                if (!current || current.status !== 'running' || Date.now() > deadline) break
                await new Promise((resolve) => setTimeout(resolve, 50))
              }
              await worker.stop()
            }
            const { definition: _definition, ...current } = await app.workflows.runs.require(run.id)
            return { ...current, steps: await app.workflows.runs.steps(run.id) }
          })
          out.result(result, () =>
            [
              `run ${result.id} of ${result.workflowKey}: ${result.status}${result.error ? ` (${result.error})` : ''}`,
              ...result.steps.map(
                (step) => `  ${step.stepId} ${step.status}${step.error ? `: ${step.error}` : ''}`,
              ),
            ].join('\n'),
          )
          if (result.status === 'failed') process.exitCode = 1
        } catch (error) {
          process.exitCode = failure(error, out.json)
        }
      },
    )
}
