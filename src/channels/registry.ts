import nodemailer, { type Transporter } from 'nodemailer'
import type { Clock } from '../core/index.js'
import { createConversationChannel } from './api/api-channel.js'
import type { Channel, ChannelInbox } from './channel.js'
import { createEmailChannel } from './email/email-channel.js'
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
}

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
          return createEmailChannel({ ...common, transport: smtp() })
        case 'api':
        case 'chat':
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
