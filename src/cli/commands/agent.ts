import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import { AppError } from '../../core/index.js'
import { cliActor } from '../../crm/index.js'
import {
  DEFAULT_POLICY_SET,
  calibrateAgent,
  evaluateScenarios,
  parsePolicyFile,
  parseScenarios,
  policyFieldCatalogue,
  type Scenario,
  type ScenarioOutcome,
} from '../../agent/index.js'
import type { App } from '../../app.js'
import { withApp } from '../context.js'
import { UsageError, createOutput, reportFailure } from '../output.js'

/** The project's labelled scenario set (tune and test parts). */
export const DEFAULT_SCENARIOS = fileURLToPath(
  new URL('../../../data/agent/scenarios.jsonl', import.meta.url),
)

function readUtf8(path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new AppError(
      'AGENT_INVALID_SCENARIOS',
      code === 'ENOENT' ? `"${path}" does not exist` : `"${path}" is not UTF-8 text`,
    )
  }
}

/** Below this calibrated confidence a would-be answer is handed off rather than drafted for approval. */
const APPROVAL_FLOOR = 0.3

function split(scenarios: Scenario[], which: string): Scenario[] {
  if (which === 'all') return scenarios
  if (which !== 'test' && which !== 'tune')
    throw new UsageError(`--split "${which}" must be test, tune or all`)
  // A file without splits is all test data.
  const hasSplits = scenarios.some((s) => s.split !== undefined)
  return hasSplits ? scenarios.filter((s) => s.split === which) : which === 'test' ? scenarios : []
}

/**
 * Runs the agent on scenarios. `atZero` decides with both thresholds at 0 and the built-in confidence
 * model: what calibration needs (every message with a good passage comes back as an answer).
 */
async function run(app: App, scenarios: Scenario[], atZero = false): Promise<ScenarioOutcome[]> {
  await app.ensureBuiltinModels((m) => process.stderr.write(`${m}\n`))
  const base = await app.agent.thresholds()
  const outcomes: ScenarioOutcome[] = []
  for (const scenario of scenarios) {
    const { decision } = await app.agent.respond(
      { text: scenario.text },
      atZero ? { thresholds: { ...base, answer: 0, approval: 0, confidenceModel: undefined } } : {},
    )
    outcomes.push({ scenario, decision })
  }
  return outcomes
}

export function registerAgentCommands(program: Command): void {
  const agent = program
    .command('agent')
    .description('the reasoning agent: try it, evaluate it, tune it, set its policies')

  agent
    .command('respond')
    .description('what the agent would do with a message (no side effects)')
    .argument('<text...>', 'the message')
    .option('--customer <id>', 'answer as to this customer (their orders and tier)')
    .option('--channel <kind>', 'chat, email, sms, phone or api', 'api')
    .option('--json', 'machine-readable output: {decision, record}')
    .action(async (words: string[], options: { customer?: string; channel: string; json?: boolean }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const result = await withApp({}, async (app) => {
          await app.ensureBuiltinModels((m) => process.stderr.write(`${m}\n`))
          return app.agent.respond({
            text: words.join(' '),
            customerId: options.customer,
            channel: options.channel,
          })
        })
        out.result(result, () =>
          [
            `${result.decision.action} (confidence ${result.decision.confidence.toFixed(2)})${result.decision.handOffReason ? ` — ${result.decision.handOffReason}` : ''}`,
            result.decision.reply ? `reply: ${result.decision.reply}` : '',
            ...result.decision.citations.map(
              (c, i) => `[${i + 1}] ${c.title} (${c.externalId ?? c.articleId}, ${c.score.toFixed(2)})`,
            ),
            `why: ${result.decision.explanation}`,
          ]
            .filter(Boolean)
            .join('\n'),
        )
      } catch (error) {
        process.exitCode = reportFailure(error, out.json)
      }
    })

  agent
    .command('evaluate')
    .description(
      'answer precision, auto-resolution and hand-off recall on labelled scenarios (default: the frozen test part of data/agent/scenarios.jsonl)',
    )
    .option(
      '--data <file>',
      'JSONL: text, expected_action, expected_article, handoff_reason, split',
      DEFAULT_SCENARIOS,
    )
    .option('--split <part>', 'test, tune or all', 'test')
    .option('--json', 'machine-readable output')
    .action(async (options: { data: string; split: string; json?: boolean }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const scenarios = split(parseScenarios(readUtf8(options.data), options.data), options.split)
        if (scenarios.length === 0) throw new UsageError(`no ${options.split} scenarios in ${options.data}`)
        const report = await withApp({}, async (app) => evaluateScenarios(await run(app, scenarios)))
        const { errors, ...metrics } = report
        out.result({ ...metrics, errors: errors.slice(0, 50) }, () =>
          [
            `n ${report.n}: auto-resolution ${(100 * report.auto_resolution).toFixed(1)}%, answer precision ${(100 * report.answer_precision).toFixed(1)}%, hand-off recall ${(100 * report.handoff_recall).toFixed(1)}%, person requests handed off ${(100 * report.person_request_recall).toFixed(1)}%, unanswerable answered ${report.unanswerable_answered}`,
            `actions: ${JSON.stringify(report.actions)}`,
            ...errors
              .slice(0, 15)
              .map(
                (e) =>
                  `  ${e.id} expected ${e.expected}, got ${e.got}${e.primary ? ` [${e.primary}]` : ''}: ${e.text}`,
              ),
          ].join('\n'),
        )
      } catch (error) {
        process.exitCode = reportFailure(error, out.json)
      }
    })

  agent
    .command('calibrate')
    .description(
      'tune the answer threshold on the tuning scenarios to a target answer precision, and store it',
    )
    .option('--data <file>', 'JSONL scenarios', DEFAULT_SCENARIOS)
    .option('--target <precision>', 'answer precision to reach, 0–1', '0.95')
    .option('--dry-run', 'report the threshold without storing it')
    .option('--json', 'machine-readable output')
    .action(async (options: { data: string; target: string; dryRun?: boolean; json?: boolean }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const target = Number(options.target)
        if (!(target > 0 && target <= 1))
          throw new UsageError(`--target "${options.target}" must be a number in (0, 1]`)
        const scenarios = split(parseScenarios(readUtf8(options.data), options.data), 'tune')
        if (scenarios.length === 0)
          throw new UsageError(`no tune scenarios in ${options.data}: mark some with "split": "tune"`)
        const result = await withApp({}, async (app) => {
          const calibration = calibrateAgent(await run(app, scenarios, true), target)
          const current = await app.agent.thresholds()
          const thresholds = {
            ...current,
            answer: calibration.answer,
            approval: Math.min(APPROVAL_FLOOR, calibration.answer),
            confidenceModel: calibration.confidenceModel,
          }
          if (!options.dryRun) await app.agent.repository.saveSetting('thresholds', thresholds, cliActor)
          return { ...calibration, thresholds, stored: !options.dryRun }
        })
        out.result(
          result,
          () =>
            `answer threshold ${result.answer} (tune: precision ${(100 * result.tune.answer_precision).toFixed(1)}%, auto-resolution ${(100 * result.tune.auto_resolution).toFixed(1)}% on ${result.tune.n}; cross-validated: precision ${(100 * result.cross_validated.answer_precision).toFixed(1)}%, auto-resolution ${(100 * result.cross_validated.auto_resolution).toFixed(1)}%)${result.stored ? ', stored' : ' (dry run)'}`,
        )
      } catch (error) {
        process.exitCode = reportFailure(error, out.json)
      }
    })

  const policies = agent
    .command('policies')
    .description('the rules that override the agent (hand off, approval, no reply)')
  policies
    .command('import')
    .description('validate a JSON or YAML policy file and make it the active policy set')
    .argument('<file>', '.json, .yaml or .yml')
    .option('--json', 'machine-readable output')
    .action(async (file: string, options: { json?: boolean }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const extension = extname(file).toLowerCase()
        const format =
          extension === '.json' ? 'json' : extension === '.yaml' || extension === '.yml' ? 'yaml' : null
        if (!format) throw new UsageError(`"${file}": give a .json, .yaml or .yml policy file`)
        const text = readUtf8(file)
        const stored = await withApp({}, async (app) => {
          const definitions = await app.crm.attributeDefinitions.list({ limit: 200 })
          const set = parsePolicyFile(text, format, policyFieldCatalogue(definitions.items))
          return app.agent.repository.savePolicySet(set, file, cliActor)
        })
        out.result(
          { version: stored.version, rules: (stored.document as { rules: unknown[] }).rules.length },
          () => `policy set version ${stored.version} is active`,
        )
      } catch (error) {
        process.exitCode = reportFailure(error, out.json)
      }
    })
  policies
    .command('show')
    .description('the active policy set (the built-in one until a set is imported)')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const active = await withApp({}, (app) => app.agent.repository.activePolicySet())
        const document = active?.document ?? DEFAULT_POLICY_SET
        out.result({ version: active?.version ?? null, builtIn: !active, document }, () =>
          JSON.stringify(document, null, 2),
        )
      } catch (error) {
        process.exitCode = reportFailure(error, out.json)
      }
    })
}
