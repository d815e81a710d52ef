import { z } from 'zod'
import { idSchema, messageTextSchema } from '../../crm/index.js'
import type { App } from '../../app.js'
import { requestIdempotencyKey } from './action-requests.js'
import { idParams, type ApiServer } from './types.js'

const tags = ['takeover']

/** Email-style headers an API caller can pass with a message so the automatic-mail guard can read them. */
const headersSchema = z
  .record(
    z.string().min(1).max(100),
    z.union([z.string().max(2_000), z.array(z.string().max(2_000)).max(20)]),
  )
  .refine((headers) => Object.keys(headers).length <= 100, 'at most 100 headers')

/**
 * Human takeover and the agent acting on a message: take a conversation over, give it back, reply as a
 * person, run the agent on an inbound message and apply its decision, and the AI's reply limits.
 */
export function takeoverRoutes(server: ApiServer, app: App): void {
  server.post(
    '/api/v1/conversations/:id/takeover',
    {
      schema: {
        tags,
        summary:
          'Take a conversation over: its handler becomes human (the AI only drafts from now on), assigned to you or to assigneeId',
        params: idParams,
        body: z.strictObject({ assigneeId: idSchema.nullable().optional() }).nullish(),
      },
      config: { minRole: 'agent' },
    },
    async (request) => {
      const result = await app.actions.takeOver(request.params.id, request.body?.assigneeId, request.actor)
      return { conversation: await app.crm.conversations.get(request.params.id), result }
    },
  )

  server.post(
    '/api/v1/conversations/:id/give-back',
    {
      schema: {
        tags,
        summary: 'Give a conversation back to the AI: its handler becomes ai and the assignee is cleared',
        params: idParams,
      },
      config: { minRole: 'agent' },
    },
    async (request) => {
      const result = await app.actions.giveBack(request.params.id, request.actor)
      return { conversation: await app.crm.conversations.get(request.params.id), result }
    },
  )

  server.post(
    '/api/v1/conversations/:id/reply',
    {
      schema: {
        tags,
        summary:
          'Reply as a person: an outbound message and its outbox row in one transaction; the conversation becomes human (and yours if unassigned). Send an Idempotency-Key header to retry safely',
        params: idParams,
        body: z.strictObject({ text: messageTextSchema }),
      },
      config: { minRole: 'agent' },
    },
    async (request, reply) => {
      const result = await app.actions.reply(request.params.id, request.body.text, request.actor, {
        idempotencyKey: requestIdempotencyKey(request, 'reply'),
      })
      const messageId = result.effects.find((effect) => effect.kind === 'message')?.id
      reply.status(result.replayed ? 200 : 201)
      return {
        message: messageId === undefined ? null : await app.crm.messages.get(messageId),
        replayed: result.replayed,
      }
    },
  )

  server.post(
    '/api/v1/messages/:id/apply',
    {
      schema: {
        tags,
        summary:
          "Run the agent on an inbound message and act on its decision: reply, draft for approval or hand off — a draft only while a person handles the conversation, nothing for automatic mail (pass the message's headers)",
        params: idParams,
        body: z
          .strictObject({ headers: headersSchema.optional(), from: z.string().max(320).optional() })
          .nullish(),
      },
      config: { minRole: 'agent' },
    },
    async (request) =>
      app.actions.applyDecision(request.params.id, {
        actor: request.actor,
        headers: request.body?.headers ?? null,
        from: request.body?.from ?? null,
      }),
  )

  server.get(
    '/api/v1/actions/settings',
    {
      schema: { tags, summary: "The executor's limits: AI replies per conversation per hour" },
      config: { minRole: 'viewer' },
    },
    async () => app.actions.repository.limits(),
  )

  server.put(
    '/api/v1/actions/settings',
    {
      schema: {
        tags,
        summary:
          'Set the AI replies allowed per conversation per hour (default 5; beyond it a person gets the conversation; 0: the AI never sends on its own — a person gets each conversation with the draft ready)',
        body: z.strictObject({ aiRepliesPerHour: z.number().int().min(0).max(1_000) }),
      },
      config: { minRole: 'admin' },
    },
    async (request) => app.actions.repository.saveLimits(request.body, request.actor),
  )

  server.get(
    '/api/v1/actions/assignment-rules',
    {
      schema: { tags, summary: 'Who gets a conversation handed off to nobody in particular' },
      config: { minRole: 'viewer' },
    },
    async () => app.actions.repository.assignmentRules(),
  )

  server.put(
    '/api/v1/actions/assignment-rules',
    {
      schema: {
        tags,
        summary:
          'Replace the assignment rules: the first enabled rule whose condition (the condition language over channel, reason, tags and customer.tier/tags/locale) holds gives the conversation to the person in its assignTo with the fewest open conversations; no rule: the unassigned queue',
        body: z.strictObject({ rules: z.array(z.unknown()).max(100) }),
      },
      config: { minRole: 'admin' },
    },
    async (request) => app.actions.repository.saveAssignmentRules(request.body, request.actor),
  )
}
