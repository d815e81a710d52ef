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
})

/**
 * Signed third-party webhooks (CONTRACTS): SMS, phone transcripts and inbound email, one URL per inbox.
 * They authenticate by signature, not a token, so the route is `public` and keeps its body raw (a
 * route-level content-type parser in its own scope; every other route parses JSON as before). Refusals:
 * 401 (signature missing, wrong or stale) → 404 (unknown channel or inbox) → 409 (replay) → 400 (payload).
 */
export async function channelWebhookRoutes(server: ApiServer, app: App): Promise<void> {
  await server.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/channels/:kind/webhook/:inboxId',
      {
        schema: {
          tags: ['channels'],
          summary:
            'Deliver a signed SMS (`{from, text, messageId}`), call transcript (`{from, transcript, callId, durationSeconds?}`) or email (`{from, fromName?, subject?, text, messageId, headers?}`) to an inbox (202). Sign with X-AgentCRM-Timestamp (Unix seconds) and X-AgentCRM-Signature: v1=<hex hmac_sha256(inbox secret, timestamp + "." + body)>',
          params: paramsSchema,
          response: { 202: receiptSchema },
        },
        config: { minRole: 'public' },
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
          const receipt = await app.crm.inbound.receive(
            {
              inboxId,
              channel: inbox.channel,
              from: message.from,
              text: message.text,
              messageId: message.messageId,
              subject: message.subject,
              ...(message.sentAt ? { sentAt: message.sentAt } : {}),
              ...(message.optOut
                ? { consentWithdrawal: { purpose: 'marketing', channel: 'sms', source: `${kind} reply` } }
                : {}),
            },
            request.actor,
          )
          // An opt-out is not a question, and an auto-reply must never be answered (loops).
          const skippedReason = message.optOut
            ? 'opt_out'
            : message.automatic !== null
              ? `automatic: ${message.automatic}`
              : null
          if (skippedReason === null) {
            await app.workflows.engine.trigger(
              'message.received',
              {
                messageId: receipt.messageId,
                conversationId: receipt.conversationId,
                customerId: receipt.customerId,
              },
              `message:${receipt.messageId}`,
            )
          }
          reply.status(202)
          return {
            ...receipt,
            workflow: skippedReason === null ? ('started' as const) : ('skipped' as const),
            skippedReason,
          }
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
