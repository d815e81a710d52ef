import { z } from 'zod'
import { AppError } from '../../core/index.js'
import { cleanText } from '../../crm/index.js'
import { NLU_TASKS } from '../../learning/index.js'
import type { App } from '../../app.js'
import type { ApiServer } from './types.js'

const tags = ['nlu']
const taskParams = z.strictObject({ task: z.enum(NLU_TASKS) })

/** Perception, the model registry (promote, rollback) and corrections that become training examples. */
export function nluRoutes(server: ApiServer, app: App): void {
  server.post(
    '/api/v1/nlu/perceive',
    {
      schema: {
        tags,
        summary:
          'Perceive a text: language, intent, sentiment, entities, redacted text, urgency (no side effects)',
        body: z.strictObject({ text: cleanText(65_536).min(1), customerId: z.string().max(200).optional() }),
      },
      config: { minRole: 'viewer' },
    },
    async (request) => {
      const customer = request.body.customerId ? await app.crm.customers.get(request.body.customerId) : null
      return app.nlu.perceive(request.body.text, { customerName: customer?.name ?? undefined })
    },
  )

  server.get(
    '/api/v1/nlu/models',
    {
      schema: {
        tags,
        summary: 'Model versions per task with their metrics',
        querystring: z.strictObject({ task: z.enum(NLU_TASKS).optional() }),
      },
      config: { minRole: 'viewer' },
    },
    async (request) => ({ items: await app.models.list(request.query.task), nextCursor: null }),
  )

  server.post(
    '/api/v1/nlu/models/:task/:version/promote',
    {
      schema: {
        tags,
        summary: 'Make a model version the active one of its task',
        params: z.strictObject({ task: z.enum(NLU_TASKS), version: z.coerce.number().int().min(1) }),
      },
      config: { minRole: 'admin' },
    },
    async (request) => {
      const promoted = await app.models.promote(request.params.task, request.params.version, request.actor)
      await app.nlu.refresh(true)
      return promoted
    },
  )

  server.post(
    '/api/v1/nlu/models/:task/rollback',
    {
      schema: { tags, summary: 'Re-activate the previously promoted version', params: taskParams },
      config: { minRole: 'admin' },
    },
    async (request) => {
      const active = await app.models.rollback(request.params.task, request.actor)
      await app.nlu.refresh(true)
      return active
    },
  )

  server.post(
    '/api/v1/messages/:id/labels',
    {
      schema: {
        tags,
        summary: "Correct the intent or sentiment of a customer's message; it becomes a training example",
        params: z.strictObject({ id: z.string().min(1).max(200) }),
        body: z.strictObject({ task: z.enum(NLU_TASKS), label: z.string().trim().min(1).max(100) }),
      },
      config: { minRole: 'agent' },
    },
    async (request, reply) => {
      const message = await app.crm.messages.get(request.params.id)
      if (message.direction !== 'inbound') {
        throw new AppError('CORE_VALIDATION_FAILED', 'only customer (inbound) messages can be labelled', {
          details: { field: 'id' },
        })
      }
      const models = await app.models.list(request.body.task)
      const labels = new Set(models.flatMap((m) => m.labels))
      if (labels.size > 0 && !labels.has(request.body.label)) {
        throw new AppError(
          'CORE_VALIDATION_FAILED',
          `"${request.body.label}" is not a ${request.body.task} label; known: ${[...labels].sort().join(', ')}`,
          { details: { field: 'label' } },
        )
      }
      reply.status(201)
      return app.models.addExample(
        {
          task: request.body.task,
          text: message.text,
          label: request.body.label,
          source: 'correction',
          messageId: message.id,
          customerId: message.customerId,
        },
        request.actor,
      )
    },
  )
}
