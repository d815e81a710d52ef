import type { Command } from 'commander'
import { AppError } from '../../core/index.js'
import { cliActor, ROLES, USER_ROLES, type Role, type UserRole } from '../../crm/index.js'
import { generatePassword, parseDuration } from '../../auth/index.js'
import { withApp } from '../context.js'
import { UsageError, createOutput, reportFailure } from '../output.js'

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

function run(json: boolean, work: (out: ReturnType<typeof createOutput>) => Promise<void>) {
  const out = createOutput(json)
  return work(out).catch((error: unknown) => {
    process.exitCode = reportFailure(error, json)
  })
}

export function registerAccessCommands(program: Command): void {
  const user = program.command('user').description('console users')
  user
    .command('create')
    .description('create a user')
    .requiredOption('--email <email>', 'sign-in email')
    .option('--password <password>', 'password (10+ characters)')
    .option('--password-stdin', 'read the password from standard input')
    .requiredOption('--role <role>', `one of ${USER_ROLES.join(', ')}`)
    .option('--name <name>', 'display name')
    .option('--json', 'machine-readable output')
    .action(
      (options: {
        email: string
        password?: string
        passwordStdin?: boolean
        role: string
        name?: string
        json?: boolean
      }) =>
        run(Boolean(options.json), async (out) => {
          if (!(USER_ROLES as readonly string[]).includes(options.role)) {
            throw new UsageError(`unknown role "${options.role}"; known: ${USER_ROLES.join(', ')}`)
          }
          if ((options.password === undefined) === !options.passwordStdin) {
            throw new UsageError('give exactly one of --password or --password-stdin')
          }
          const password = options.password ?? (await readStdin())
          const created = await withApp({}, (app) =>
            app.access.createUser(
              { email: options.email, password, role: options.role as UserRole, name: options.name },
              cliActor,
            ),
          )
          out.result(created, () => `created ${created.role} ${created.email} (${created.id})`)
        }),
    )
  user
    .command('deactivate')
    .description('deactivate a user and end their sessions')
    .argument('<email>')
    .option('--json', 'machine-readable output')
    .action((email: string, options: { json?: boolean }) =>
      run(Boolean(options.json), async (out) => {
        const updated = await withApp({}, (app) => app.access.setUserActive(email, false, cliActor))
        out.result(updated, () => `deactivated ${updated.email}`)
      }),
    )
  user
    .command('reset-password')
    .description('set a new random password (printed once) and end the user’s sessions')
    .argument('<email>')
    .option('--json', 'machine-readable output')
    .action((email: string, options: { json?: boolean }) =>
      run(Boolean(options.json), async (out) => {
        const password = generatePassword()
        const updated = await withApp({}, (app) => app.access.setPassword(email, password, cliActor))
        out.result({ email: updated.email, password }, () => `new password for ${updated.email}: ${password}`)
      }),
    )

  const token = program.command('token').description('API tokens')
  token
    .command('create')
    .description('create an API token (shown once)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--name <name>', 'what the token is for')
    .option('--expires <duration>', 'lifetime such as 90d, 12h, 1y')
    .option('--json', 'machine-readable output')
    .action((options: { role: string; name?: string; expires?: string; json?: boolean }) =>
      run(Boolean(options.json), async (out) => {
        if (!(ROLES as readonly string[]).includes(options.role)) {
          throw new UsageError(`unknown role "${options.role}"; known: ${ROLES.join(', ')}`)
        }
        const ms = options.expires === undefined ? null : parseDuration(options.expires)
        if (options.expires !== undefined && ms === null) {
          throw new UsageError(`--expires "${options.expires}" is not a duration; use e.g. 90d, 12h, 1y`)
        }
        const created = await withApp({}, (app) =>
          app.access.createToken(
            {
              role: options.role as Role,
              name: options.name ?? null,
              expiresAt: ms === null ? null : new Date(app.clock.now().getTime() + ms),
            },
            cliActor,
          ),
        )
        out.result(
          created,
          () => `${created.token}\n(id ${created.id}, role ${created.role}; this token is shown only once)`,
        )
      }),
    )
  token
    .command('list')
    .description('list API tokens (never their secret)')
    .option('--json', 'machine-readable output')
    .action((options: { json?: boolean }) =>
      run(Boolean(options.json), async (out) => {
        const tokens = await withApp({}, (app) => app.access.listTokens())
        out.result(
          tokens,
          () =>
            tokens
              .map(
                (t) =>
                  `${t.id}  ${t.role.padEnd(11)} ${t.prefix}…  ${t.name ?? ''}${t.revokedAt ? '  (revoked)' : ''}`,
              )
              .join('\n') || '(no tokens)',
        )
      }),
    )
  token
    .command('revoke')
    .description('revoke an API token')
    .argument('<id>')
    .option('--json', 'machine-readable output')
    .action((id: string, options: { json?: boolean }) =>
      run(Boolean(options.json), async (out) => {
        await withApp({}, (app) => app.access.revokeToken(id, cliActor))
        out.result({ id, revoked: true }, () => `revoked ${id}`)
      }),
    )
}

export { AppError }
