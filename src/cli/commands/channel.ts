import type { Command } from 'commander'
import { AppError } from '../../core/index.js'
import { imapSettingsOf } from '../../crm/index.js'
import { withApp } from '../context.js'
import { createOutput, reportFailure } from '../output.js'

/** `agentcrm channel …`: one-off work on channels (today: poll an email inbox's IMAP mailbox now). */
export function registerChannelCommands(program: Command): void {
  const channel = program.command('channel').description('channels: poll an email inbox’s IMAP mailbox')
  channel
    .command('poll <inboxId>')
    .description(
      'poll the IMAP mailbox of an email inbox now (its settings.imap; the password from the variable settings.imap.passwordEnv names)',
    )
    .option('--json', 'machine-readable output')
    .action(async (inboxId: string, options: { json?: boolean }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const report = await withApp({}, async (app) => {
          const inbox = await app.crm.inboxes.get(inboxId)
          if (inbox.channel !== 'email' || imapSettingsOf(inbox.settings) === null) {
            throw new AppError(
              'CHANNEL_NOT_CONFIGURED',
              inbox.channel !== 'email'
                ? `inbox ${inboxId} is an ${inbox.channel} inbox; only email inboxes have a mailbox to poll`
                : `inbox ${inboxId} has no settings.imap; set host, port, tls, user and passwordEnv to poll it`,
              { details: { inboxId } },
            )
          }
          return app.channels.imap.pollInbox(inbox, { force: true })
        })
        if (report.status === 'busy') {
          throw new AppError(
            'CHANNEL_POLL_BUSY',
            `another process is polling inbox ${inboxId} right now; try again in a moment`,
            { details: { inboxId } },
          )
        }
        out.result(report, () =>
          [
            `${inboxId}: ${report.status}${report.error ? ` — ${report.error}` : ''}`,
            `  new ${report.fetched}, filed ${report.filed}, duplicates ${report.duplicates}, skipped ${report.rejected.length}`,
            ...report.rejected.map((item) => `  UID ${item.uid}: ${item.code}: ${item.message}`),
          ].join('\n'),
        )
        if (report.status === 'error') process.exitCode = 1
      } catch (error) {
        process.exitCode = reportFailure(error, out.json)
      }
    })
}
