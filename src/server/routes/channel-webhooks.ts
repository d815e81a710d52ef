import { z } from 'zod'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { verifyWebhook } from '../../channels/index.js'
import { AppError } from '../../core/index.js'
import type { Inbox } from '../../crm/index.js'
import type { App } from '../../app.js'
import type { ApiServer } from './types.js'

/** The channels that take signed third-party webhooks. */
const WEBHOOK_KINDS = ['sms', 'phone', 'email'] as const
type WebhookKind = (typeof WEBHOOK_KINDS)[number]

const paramsSchema = z.strictObject({
  kind: z.string().min(1).max(40),
  inboxId: z.string().min(1).max(200),
})

const receiptSchema = z.object({
  messageId: z.string(),
  conversationId: z.string(),
  customerId: z.string(),
  duplicate: z.boolean(),
  /** `started`, or `skipped` with the reason: an opt-out (`退订`) or mail a program sent. */
  workflow: z.enum(['started', 'skipped']),
  skippedReason: z.string().nullable(),
  /** Attachments stored with the message (email). */
  attachmentIds: z.array(z.string()),
})

/**
 * Signed third-party webhooks (CONTRACTS): SMS, phone transcripts and inbound email, one URL per inbox.
 * They authenticate by signature, not a token, so the route is `public` and keeps its body raw (a
 * route-level content-type parser in its own scope; every other route parses JSON as before). Refusals:
 * 401 (signature missing, wrong or stale) → 404 (unknown channel or inbox) → 409 (replay) → 400 (payload).
 */
export async function channelWebhookRoutes(server: ApiServer, app: App): Promise<void> {
  // raw email may be larger than other requests (AGENTCRM_EMAIL_MAX_BYTES); other kinds keep the usual cap
  const bodyLimit = Math.max(app.config.bodyLimitBytes, app.config.emailMaxBytes)
  await server.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/channels/:kind/webhook/:inboxId',
      {
        schema: {
          tags: ['channels'],
          summary:
            'Deliver a signed SMS (`{from, text, messageId}`), call transcript (`{from, transcript, callId, durationSeconds?}`) or email (the raw RFC 5322 message as `message/rfc822`, or `{from, fromName?, subject?, text, messageId, headers?}` as JSON) to an inbox (202). Sign with X-AgentCRM-Timestamp (Unix seconds) and X-AgentCRM-Signature: v1=<hex hmac_sha256(inbox secret, timestamp + "." + body)>',
          params: paramsSchema,
          response: { 202: receiptSchema },
        },
        config: { minRole: 'public' },
        bodyLimit,
        // refused before the body is read: the size is declared, and nobody should have to upload 1 GB to hear no
        onRequest: async (request) => {
          const declared = Number(request.headers['content-length'] ?? 0)
          const email = (request.params as { kind?: string }).kind === 'email'
          const limit = email ? app.config.emailMaxBytes : app.config.bodyLimitBytes
          if (declared > limit) {
            throw new AppError(
              email ? 'CHANNEL_EMAIL_TOO_LARGE' : 'CORE_BODY_TOO_LARGE',
              email
                ? `the email is ${declared} bytes; at most ${limit} are accepted (AGENTCRM_EMAIL_MAX_BYTES)`
                : `the request body is ${declared} bytes; send at most ${limit} per request`,
              { details: { size: declared, limit } },
            )
          }
        },
      },
      async (request, reply) => {
        const { kind, inboxId } = request.params
        if (!(WEBHOOK_KINDS as readonly string[]).includes(kind)) {
          throw new AppError(
            'CHANNEL_NOT_FOUND',
            `unknown webhook channel "${kind.slice(0, 40)}"; signed webhooks exist for ${WEBHOOK_KINDS.join(', ')}`,
            { details: { kind, known: WEBHOOK_KINDS } },
          )
        }
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
        // The secret derives from the inbox id, so a signature is checked before the inbox is looked up.
        const secret = app.channels.adapters.secretFor(inboxId)
        const verified = verifyWebhook({ secret, headers: request.headers, rawBody, clock: app.clock })
        const inbox = await webhookInbox(app, inboxId, kind as WebhookKind)
        if (!(await app.channels.replays.claim(inboxId, verified.signature, app.clock.now()))) {
          throw new AppError(
            'CHANNEL_REPLAYED',
            'this signed delivery was already received; sign every delivery (a retry included) with a new timestamp',
            { details: { inboxId } },
          )
        }
        try {
          const [message] = await app.channels.adapters
            .forInbox(inbox)
            .receive({ headers: request.headers, rawBody })
          // one path with IMAP: filed with identity, envelope and attachments, then the runs (or skipped)
          const receipt = await app.channels.ingest.file(inbox, message, request.actor)
          reply.status(202)
          return { ...receipt, attachmentIds: receipt.attachmentIds ?? [] }
        } catch (error) {
          // Not filed: forget the signature so the sender's retry is not refused as a replay.
          await app.channels.replays.release(inboxId, verified.signature)
          throw error
        }
      },
    )
  })
}

async function webhookInbox(app: App, inboxId: string, kind: WebhookKind): Promise<Inbox> {
  let inbox: Inbox | null = null
  try {
    inbox = await app.crm.inboxes.get(inboxId)
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'CRM_INBOX_NOT_FOUND') throw error
  }
  if (inbox === null || inbox.channel !== kind || !inbox.active) {
    throw new AppError(
      'CRM_INBOX_NOT_FOUND',
      inbox === null
        ? `inbox "${inboxId}" does not exist`
        : inbox.channel !== kind
          ? `inbox "${inboxId}" is an ${inbox.channel} inbox, not ${kind}; post to /api/v1/channels/${inbox.channel}/webhook/${inboxId}`
          : `inbox "${inboxId}" is inactive; activate it to receive messages`,
      { details: { id: inboxId } },
    )
  }
  return inbox
}
