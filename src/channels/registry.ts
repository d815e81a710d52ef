import nodemailer, { type Transporter } from 'nodemailer'
import type { Clock } from '../core/index.js'
import { createConversationChannel } from './api/api-channel.js'
import { createChatChannel, type VisitorLookup } from './chat/chat-channel.js'
import type { Channel, ChannelInbox } from './channel.js'
import { createEmailChannel } from './email/email-channel.js'
import type { MimeLimits } from './email/mime.js'
import { createPhoneChannel } from './phone/phone-channel.js'
import { inboxSecret } from './signature.js'
import { createSmsChannel } from './sms/sms-channel.js'

export interface ChannelsOptions {
  /** The workspace secret (`app.secret`); each inbox's webhook secret is derived from it. */
  readonly workspaceSecret: string
  readonly clock: Clock
  /** `AGENTCRM_SMTP_URL`, or null: email replies then fail with a clear error. */
  readonly smtpUrl: string | null
  readonly fetch?: typeof fetch
  /** Chat widget visitors by token (the `chat` adapter authenticates with it). */
  readonly visitors?: VisitorLookup
  /** Caps on raw email (default 10 MiB per message, 5 MiB per attachment). */
  readonly emailLimits?: MimeLimits
}

const DEFAULT_EMAIL_LIMITS: MimeLimits = { maxBytes: 10 * 1024 * 1024, attachmentMaxBytes: 5 * 1024 * 1024 }

/**
 * The channel adapters of an install: `forInbox` gives the adapter of one inbox (its secret, address and
 * settings bound in). The SMTP transport is created on first use and shared.
 *
 * @example
 *   const channels = createChannels({ workspaceSecret: app.secret, clock, smtpUrl: config.smtpUrl })
 *   const [message] = await channels.forInbox(inbox).receive({ headers, rawBody })
 */
export function createChannels(options: ChannelsOptions) {
  let transport: Transporter | null = null
  const smtp = () => {
    if (options.smtpUrl === null) return null
    transport ??= nodemailer.createTransport(options.smtpUrl)
    return transport
  }
  const secretFor = (inboxId: string) => inboxSecret(options.workspaceSecret, inboxId)
  return {
    secretFor,
    emailLimits: options.emailLimits ?? DEFAULT_EMAIL_LIMITS,
    /** The shared SMTP transport (created on first use), or null without `AGENTCRM_SMTP_URL`. */
    smtp,
    forInbox(inbox: ChannelInbox): Channel {
      const common = { inbox, secret: secretFor(inbox.id), clock: options.clock, fetch: options.fetch }
      switch (inbox.channel) {
        case 'sms':
          return createSmsChannel(common)
        case 'phone':
          return createPhoneChannel(common)
        case 'email':
          return createEmailChannel({
            ...common,
            transport: smtp(),
            limits: options.emailLimits ?? DEFAULT_EMAIL_LIMITS,
          })
        case 'chat':
          if (options.visitors) return createChatChannel({ inbox, visitors: options.visitors })
          return createConversationChannel(inbox.channel)
        case 'api':
          return createConversationChannel(inbox.channel)
      }
    },
    close(): void {
      transport?.close()
      transport = null
    },
  }
}

export type Channels = ReturnType<typeof createChannels>
