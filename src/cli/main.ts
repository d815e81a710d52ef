import { Command, CommanderError, Option } from 'commander'
import { registerAccessCommands } from './commands/access.js'
import { registerDbCommands } from './commands/db.js'
import { registerDemoCommands } from './commands/demo.js'
import { registerNluCommands } from './commands/nlu.js'
import { registerKbCommands } from './commands/kb.js'
import { registerAgentCommands } from './commands/agent.js'
import { registerServeCommands } from './commands/serve.js'
import { registerTransferCommands } from './commands/transfer.js'
import { registerWorkflowCommands } from './commands/workflow.js'
import { registerChannelCommands } from './commands/channel.js'
import { reportFailure, UsageError } from './output.js'

/** Builds the `agentcrm` command tree. Each command sets `process.exitCode`. */
export function buildProgram(): Command {
  const program = new Command('agentcrm')
    .description('AgentCRM — a self-hosted CRM run by an explainable, offline-first AI agent')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
  registerServeCommands(program)
  registerDbCommands(program)
  registerDemoCommands(program)
  registerAccessCommands(program)
  registerTransferCommands(program)
  registerNluCommands(program)
  registerKbCommands(program)
  registerAgentCommands(program)
  registerWorkflowCommands(program)
  registerChannelCommands(program)
  return program
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 failure, 2 usage). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram()
  const json = argv.includes('--json')
  try {
    await program.parseAsync([...argv])
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0
      if (json)
        process.stdout.write(
          `${JSON.stringify({ error: { code: 'CORE_USAGE', message: error.message, details: null } })}\n`,
        )
      return 2
    }
    return reportFailure(error, json)
  }
}

export { Option, UsageError }
