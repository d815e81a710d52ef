import type { ChannelKind, EmailEnvelope, InboundAttachment } from '../crm/index.js'
import type { WebhookHeaders } from './signature.js'

/**
 * One message from outside in our standard shape, whichever channel it came through. Adapters map their
 * provider's payload onto it; the inbound store files it and the route decides whether to start workflows.
 */
export interface InboundMessage {
  readonly channel: ChannelKind
  /** The sender's own id for the message: redelivery of the same id is idempotent per inbox. */
  readonly messageId: string
  readonly from: {
    readonly email?: string
    readonly phone?: string
    readonly name?: string
    /** The chat widget's visitor (`vis_…`), authenticated by its token: the identity that finds the customer. */
    readonly visitorId?: string
  }
  /** What perception reads (for email: quoted history stripped). */
  readonly text: string
  /** The text as it arrived, when `text` differs from it; null otherwise. */
  readonly originalText: string | null
  readonly subject: string | null
  readonly sentAt?: string
  /** The whole message asks to stop marketing messages (SMS `退订`, `TD`, `STOP`, …). */
  readonly optOut: boolean
  /** Why a program, not a person, sent it (auto-reply, bounce, list); null for a person's message. */
  readonly automatic: string | null
  /** Email only: the envelope and headers filed with the message (threading, erasure). */
  readonly email?: EmailEnvelope
  /** Attachments to store with the message (email). */
  readonly attachments?: readonly InboundAttachment[]
}

/** A reply waiting in the outbox, with what each channel needs to address it. */
export interface OutboundMessage {
  /** The outbound message's id (`msg_…`). */
  readonly id: string
  /** The outbox row's idempotency key: providers that deduplicate receive it. */
  readonly idempotencyKey: string
  readonly conversationId: string
  readonly authorKind: 'customer' | 'agent' | 'ai' | 'system'
  readonly text: string
  readonly to: { readonly email: string | null; readonly phone: string | null; readonly name: string | null }
  readonly subject: string | null
  /** The channel's id of the message answered (email `In-Reply-To`), when known. */
  readonly inReplyTo: string | null
  /** Email: the `References` of the message answered, oldest first (the reply's References end with `inReplyTo`). */
  readonly references?: readonly string[]
}

export interface DeliveryReceipt {
  readonly providerMessageId: string | null
}

/**
 * A channel adapter (STYLE.md): `receive` verifies a request and maps it to our shape; `send` delivers one
 * outbound message. `send` throws an `AppError`: of kind `operational` when a retry may succeed (a network
 * or provider failure), of kind `user` when it cannot (missing configuration, a refused recipient).
 */
export interface Channel {
  readonly kind: ChannelKind
  receive(request: { headers: WebhookHeaders; rawBody: Uint8Array }): Promise<InboundMessage[]>
  send(message: OutboundMessage, signal?: AbortSignal): Promise<DeliveryReceipt>
}

/** The inbox a channel adapter serves: its address and settings (`outboundUrl`, `from`, …). */
export interface ChannelInbox {
  readonly id: string
  readonly channel: ChannelKind
  readonly address: string | null
  readonly settings: Readonly<Record<string, unknown>>
}
