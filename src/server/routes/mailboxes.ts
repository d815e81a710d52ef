import { z } from 'zod'
import { AppError } from '../../core/index.js'
import { imapSettingsOf } from '../../crm/index.js'
import type { App } from '../../app.js'
import { idParams, type ApiServer } from './types.js'

const mailboxSchema = z.object({
  inboxId: z.string(),
  /** The IMAP settings as stored; the password never: only whether its environment variable is set. */
  imap: z
    .object({
      host: z.string(),
      port: z.number(),
      tls: z.boolean(),
      user: z.string(),
      mailbox: z.string(),
      passwordEnv: z.string(),
      passwordSet: z.boolean(),
      pollSeconds: z.number(),
    })
    .nullable(),
  status: z.enum(['idle', 'ok', 'error']),
  lastError: z.string().nullable(),
  failures: z.number(),
  uidValidity: z.string().nullable(),
  lastUid: z.number(),
  lastPolledAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  nextPollAt: z.string().nullable(),
})

const pollReportSchema = z.object({
  inboxId: z.string(),
  status: z.enum(['ok', 'error', 'busy', 'not_due']),
  fetched: z.number(),
  filed: z.number(),
  duplicates: z.number(),
  rejected: z.array(z.object({ uid: z.number(), code: z.string(), message: z.string() })),
  error: z.string().nullable(),
  nextPollAt: z.string().nullable(),
})

async function emailInbox(app: App, id: string) {
  const inbox = await app.crm.inboxes.get(id)
  if (inbox.channel !== 'email') {
    throw new AppError(
      'CRM_INBOX_NOT_FOUND',
      `inbox "${id}" is an ${inbox.channel} inbox; mailboxes belong to email inboxes`,
      { details: { id } },
    )
  }
  return inbox
}

/** The IMAP mailbox of an email inbox: its polling status, and a poll now. */
export function mailboxRoutes(server: ApiServer, app: App): void {
  server.get(
    '/api/v1/inboxes/:id/mailbox',
    {
      schema: {
        tags: ['channels'],
        summary:
          "An email inbox's IMAP polling status: idle, ok or error (with the reason: authentication, network), the last UID filed, the next poll",
        params: idParams,
        response: { 200: mailboxSchema },
      },
      config: { minRole: 'viewer' },
    },
    async (request) => {
      const inbox = await emailInbox(app, request.params.id)
      const imap = imapSettingsOf(inbox.settings)
      const state = await app.channels.mailboxes.status(inbox.id)
      return {
        inboxId: inbox.id,
        imap:
          imap === null
            ? null
            : {
                host: imap.host,
                port: imap.port,
                tls: imap.tls,
                user: imap.user,
                mailbox: imap.mailbox,
                passwordEnv: imap.passwordEnv,
                passwordSet: app.config.imapPasswords[imap.passwordEnv] !== undefined,
                pollSeconds: imap.pollSeconds ?? app.config.imapPollSeconds,
              },
        status: state?.status ?? 'idle',
        lastError: state?.lastError ?? null,
        failures: state?.failures ?? 0,
        uidValidity: state?.uidValidity ?? null,
        lastUid: state?.lastUid ?? 0,
        lastPolledAt: state?.lastPolledAt ?? null,
        lastSuccessAt: state?.lastSuccessAt ?? null,
        nextPollAt: state?.nextPollAt ?? null,
      }
    },
  )

  server.post(
    '/api/v1/inboxes/:id/mailbox/poll',
    {
      schema: {
        tags: ['channels'],
        summary:
          "Poll an email inbox's IMAP mailbox now (even when not due); 409 while another process polls it. A failed poll answers 200 with status error and the reason",
        params: idParams,
        response: { 200: pollReportSchema },
      },
      config: { minRole: 'admin' },
    },
    async (request) => {
      const inbox = await emailInbox(app, request.params.id)
      if (imapSettingsOf(inbox.settings) === null) {
        throw new AppError(
          'CHANNEL_NOT_CONFIGURED',
          `inbox ${inbox.id} has no settings.imap; set host, port, tls, user and passwordEnv to poll it`,
          { details: { inboxId: inbox.id } },
        )
      }
      const report = await app.channels.imap.pollInbox(inbox, { force: true })
      if (report.status === 'busy') {
        throw new AppError(
          'CHANNEL_POLL_BUSY',
          `another process is polling inbox ${inbox.id} right now; try again in a moment`,
          { details: { inboxId: inbox.id } },
        )
      }
      return { ...report, rejected: [...report.rejected] }
    },
  )
}
