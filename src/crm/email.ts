import { z } from 'zod'
import { AppError } from '../core/index.js'

/**
 * What an inbound email carried besides its text (the `email_messages` row): the Message-ID and the
 * threading headers, the addresses, the header lines, the text before quoted history was stripped, and why
 * a program sent it. Filed together with the message, in its transaction.
 */
export interface EmailEnvelope {
  /** The `Message-ID` with its angle brackets (`<abc@example.com>`); also the message's channel id. */
  readonly internetMessageId: string
  readonly inReplyTo: string | null
  /** `References`, oldest first. */
  readonly references: readonly string[]
  /** The `From` header as written (`王芳 <wang@example.com>`). */
  readonly fromHeader: string | null
  readonly to: readonly string[]
  readonly cc: readonly string[]
  /** Every header line as `[name, value]` (names lower-cased), bounded in size. */
  readonly headers: readonly (readonly [string, string])[]
  /** The text as it arrived when quoted history was stripped from it; null when nothing was. */
  readonly originalText: string | null
  /** Why a program sent it (`Auto-Submitted: auto-replied`, `bounce from mailer-daemon`); null for a person. */
  readonly automatic: string | null
  /** Attachments that were not stored, and why (over the size cap). */
  readonly skippedAttachments: readonly SkippedAttachment[]
  /** `webhook` or `imap`. */
  readonly receivedVia: 'webhook' | 'imap'
}

/** An attachment of an inbound message, decoded, checked and ready to store. */
export interface InboundAttachment {
  readonly filename: string
  readonly contentType: string
  readonly content: Uint8Array
}

export interface SkippedAttachment {
  readonly filename: string
  readonly contentType: string
  readonly size: number
  readonly reason: string
}

/** Where `passwordEnv` may point: `AGENTCRM_IMAP_PASSWORD_<NAME>`. */
export const IMAP_PASSWORD_ENV_PREFIX = 'AGENTCRM_IMAP_PASSWORD_'

/**
 * `settings.imap` of an email inbox: the mailbox AgentCRM polls. The password is never stored: it is read
 * from the environment variable `passwordEnv` names, so the API can never return it.
 *
 * @example
 *   { "imap": { "host": "imap.example.com", "port": 993, "tls": true, "user": "support@example.com",
 *               "passwordEnv": "AGENTCRM_IMAP_PASSWORD_SUPPORT", "mailbox": "INBOX", "pollSeconds": 60 } }
 */
export const imapSettingsSchema = z.strictObject({
  host: z.string().trim().min(1).max(253),
  port: z.number().int().min(1).max(65535).default(993),
  /** Implicit TLS (port 993); false: plain (with STARTTLS when the server offers it). */
  tls: z.boolean().default(true),
  user: z.string().min(1).max(254),
  passwordEnv: z
    .string()
    .regex(
      /^AGENTCRM_IMAP_PASSWORD_[A-Z0-9_]+$/,
      `the name of an environment variable starting with ${IMAP_PASSWORD_ENV_PREFIX} (for example AGENTCRM_IMAP_PASSWORD_SUPPORT)`,
    ),
  mailbox: z.string().min(1).max(200).default('INBOX'),
  /** How often to poll; the workspace default (`AGENTCRM_IMAP_POLL_SECONDS`) when absent. */
  pollSeconds: z.number().int().min(10).max(86_400).optional(),
})
export type ImapSettings = z.output<typeof imapSettingsSchema>

/**
 * The IMAP settings of an email inbox, validated; null when it has none. A `password` written into the
 * settings is refused with the way to do it instead, so a secret never lands in the database or the API.
 */
export function imapSettingsOf(
  settings: Readonly<Record<string, unknown>> | null | undefined,
): ImapSettings | null {
  const raw = settings?.imap
  if (raw === undefined || raw === null) return null
  if (typeof raw === 'object' && raw !== null && 'password' in raw) {
    throw new AppError(
      'CORE_VALIDATION_FAILED',
      `settings.imap.password is not stored: put the password in an environment variable named ${IMAP_PASSWORD_ENV_PREFIX}<NAME> and set settings.imap.passwordEnv to that name`,
      { details: { field: 'settings.imap.password' } },
    )
  }
  const parsed = imapSettingsSchema.safeParse(raw)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: ['settings', 'imap', ...issue.path].join('.'),
      message: issue.message,
    }))
    throw new AppError(
      'CORE_VALIDATION_FAILED',
      `invalid IMAP settings: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      { details: { issues } },
    )
  }
  return parsed.data
}
