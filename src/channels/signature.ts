import { createHmac, timingSafeEqual } from 'node:crypto'
import { AppError, type Clock } from '../core/index.js'

/** The headers of a signed webhook (CONTRACTS: third-party webhooks). */
export const TIMESTAMP_HEADER = 'x-agentcrm-timestamp'
export const SIGNATURE_HEADER = 'x-agentcrm-signature'

/** How far a timestamp may be from our clock, either way. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000

/** Request headers as Node or Fastify hand them over; names are matched in lower case. */
export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>

/**
 * The signing secret of one inbox: HMAC-SHA256(workspace secret, `webhook:<inboxId>`) in hex. Each inbox
 * gets its own, so a leaked provider secret opens one inbox, and rotating the workspace secret rotates all.
 *
 * @example
 *   inboxSecret(app.secret, 'inb_01JD…') // → '3f9a…' (64 hex characters)
 */
export function inboxSecret(workspaceSecret: string, inboxId: string): string {
  return createHmac('sha256', workspaceSecret).update(`webhook:${inboxId}`).digest('hex')
}

/**
 * `v1=<hex hmac_sha256(secret, timestamp + "." + rawBody)>` (CONTRACTS). The timestamp is Unix seconds.
 *
 * @example
 *   const timestamp = String(Math.floor(Date.now() / 1000))
 *   headers['X-AgentCRM-Signature'] = signWebhook(secret, timestamp, body)
 */
export function signWebhook(secret: string, timestamp: string, rawBody: Uint8Array | string): string {
  const mac = createHmac('sha256', secret)
  mac.update(`${timestamp}.`)
  mac.update(rawBody)
  return `v1=${mac.digest('hex')}`
}

/** The two headers a sender adds, for a body signed now. */
export function signedHeaders(
  secret: string,
  rawBody: Uint8Array | string,
  now: Date,
): { 'x-agentcrm-timestamp': string; 'x-agentcrm-signature': string } {
  const timestamp = String(Math.floor(now.getTime() / 1000))
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signWebhook(secret, timestamp, rawBody) }
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue
    return typeof value === 'string' ? value : value[0]
  }
  return undefined
}

/** A verified delivery: the signature (the replay key) and when the sender signed it. */
export interface VerifiedWebhook {
  readonly signature: string
  readonly signedAt: Date
}

/**
 * Checks a webhook's signature and timestamp; throws `CHANNEL_SIGNATURE_MISSING`, `_INVALID` or `_EXPIRED`
 * (all 401). The MAC is compared in constant time. Replays are the caller's second check (see
 * `ReplayGuard`): a valid signature is exactly what a replayer has.
 */
export function verifyWebhook(input: {
  readonly secret: string
  readonly headers: WebhookHeaders
  readonly rawBody: Uint8Array
  readonly clock: Clock
  readonly windowMs?: number
}): VerifiedWebhook {
  const timestamp = header(input.headers, TIMESTAMP_HEADER)?.trim()
  const signature = header(input.headers, SIGNATURE_HEADER)?.trim()
  if (!timestamp || !signature) {
    throw new AppError(
      'CHANNEL_SIGNATURE_MISSING',
      'sign the webhook: send X-AgentCRM-Timestamp (Unix seconds) and X-AgentCRM-Signature: v1=<hex hmac_sha256(secret, timestamp + "." + body)>',
      {
        details: {
          missing: [!timestamp && 'X-AgentCRM-Timestamp', !signature && 'X-AgentCRM-Signature'].filter(
            Boolean,
          ),
        },
      },
    )
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new AppError(
      'CHANNEL_SIGNATURE_INVALID',
      `X-AgentCRM-Timestamp "${timestamp.slice(0, 40)}" is not Unix seconds`,
    )
  }
  // Any v1= entry may match (a sender rotating secrets sends two, comma-separated).
  const candidates = signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3).toLowerCase())
  const expected = Buffer.from(signWebhook(input.secret, timestamp, input.rawBody).slice(3), 'hex')
  const matched = candidates.find((candidate) => {
    if (!/^[0-9a-f]{64}$/.test(candidate)) return false
    return timingSafeEqual(Buffer.from(candidate, 'hex'), expected)
  })
  if (matched === undefined) {
    throw new AppError(
      'CHANNEL_SIGNATURE_INVALID',
      'X-AgentCRM-Signature does not match the body: sign the exact bytes sent, with this inbox’s secret',
    )
  }
  const signedAt = new Date(Number(timestamp) * 1000)
  const windowMs = input.windowMs ?? SIGNATURE_WINDOW_MS
  const skew = Math.abs(input.clock.now().getTime() - signedAt.getTime())
  if (skew > windowMs) {
    throw new AppError(
      'CHANNEL_SIGNATURE_EXPIRED',
      `the webhook was signed at ${signedAt.toISOString()}, more than ${windowMs / 60_000} minutes from now; sign each delivery when sending it`,
      { details: { signedAt: signedAt.toISOString(), windowSeconds: windowMs / 1000 } },
    )
  }
  return { signature: `v1=${matched}`, signedAt }
}

/**
 * Remembers the signatures accepted within the window. `claim` records one and answers false when it was
 * seen before (a replay); `release` forgets it again when the delivery could not be filed, so the sender's
 * retry is not refused as a replay.
 */
export interface ReplayGuard {
  claim(inboxId: string, signature: string, at: Date): Promise<boolean>
  release(inboxId: string, signature: string): Promise<void>
}

/**
 * Verifies a delivery and claims its signature: 401 for a missing, wrong or stale signature, 409
 * `CHANNEL_REPLAYED` for one already accepted.
 */
export async function acceptWebhook(input: {
  readonly inboxId: string
  readonly secret: string
  readonly headers: WebhookHeaders
  readonly rawBody: Uint8Array
  readonly clock: Clock
  readonly replays: ReplayGuard
}): Promise<VerifiedWebhook> {
  const verified = verifyWebhook(input)
  const fresh = await input.replays.claim(input.inboxId, verified.signature, input.clock.now())
  if (!fresh) {
    throw new AppError(
      'CHANNEL_REPLAYED',
      'this signed delivery was already received; sign every delivery (a retry included) with a new timestamp',
      { details: { inboxId: input.inboxId } },
    )
  }
  return verified
}
