import { AppError, type Clock } from '../core/index.js'
import type { ChannelInbox, DeliveryReceipt, OutboundMessage } from './channel.js'
import { signedHeaders } from './signature.js'

const TIMEOUT_MS = 10_000

/**
 * Delivers an outbound message by POSTing it to the inbox's `settings.outboundUrl` (SMS and phone providers
 * reached through an HTTP bridge), signed like our inbound webhooks with the inbox's secret:
 * `{ to, text, messageId, conversationId }` with `Idempotency-Key`. A 2xx is delivered; 408, 429 and 5xx
 * or a network failure are retried; other 4xx are refused for good.
 */
export async function postToOutboundWebhook(input: {
  readonly inbox: ChannelInbox
  readonly secret: string
  readonly message: OutboundMessage
  readonly to: string | null
  readonly clock: Clock
  readonly fetch: typeof fetch
  readonly signal?: AbortSignal
}): Promise<DeliveryReceipt> {
  const { inbox, message } = input
  const url = inbox.settings.outboundUrl
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    throw new AppError(
      'CHANNEL_NOT_CONFIGURED',
      `${inbox.channel} inbox ${inbox.id} has no outbound webhook: set settings.outboundUrl to the provider's http(s) URL`,
      { details: { inboxId: inbox.id, setting: 'outboundUrl' } },
    )
  }
  if (input.to === null) {
    throw new AppError(
      'CHANNEL_NOT_CONFIGURED',
      `the customer of conversation ${message.conversationId} has no phone number to send the ${inbox.channel} message to`,
      { details: { conversationId: message.conversationId } },
    )
  }
  const body = JSON.stringify({
    to: input.to,
    from: inbox.address,
    text: message.text,
    messageId: message.id,
    conversationId: message.conversationId,
  })
  const signals = [AbortSignal.timeout(TIMEOUT_MS), ...(input.signal ? [input.signal] : [])]
  let response: Response
  try {
    response = await input.fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': message.idempotencyKey,
        ...signedHeaders(input.secret, body, input.clock.now()),
      },
      body,
      signal: AbortSignal.any(signals),
    })
  } catch (error) {
    throw new AppError(
      'CHANNEL_DELIVERY_FAILED',
      `the ${inbox.channel} webhook ${new URL(url).host} did not answer`,
      {
        cause: error,
      },
    )
  }
  const answer = await response.text().catch(() => '')
  if (response.ok) {
    let providerMessageId: string | null = null
    try {
      const parsed = JSON.parse(answer) as { id?: unknown; messageId?: unknown }
      const id = parsed.id ?? parsed.messageId
      providerMessageId = typeof id === 'string' ? id : null
    } catch {
      // a provider may answer with no body
    }
    return { providerMessageId }
  }
  const retryable = response.status === 408 || response.status === 429 || response.status >= 500
  throw new AppError(
    retryable ? 'CHANNEL_DELIVERY_FAILED' : 'CHANNEL_DELIVERY_REFUSED',
    `the ${inbox.channel} webhook answered ${response.status}: ${answer.slice(0, 200)}`,
    { details: { status: response.status } },
  )
}
