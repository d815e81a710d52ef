import { z } from 'zod'
import { AppError } from '../../core/index.js'
import { listQueryBase } from '../../crm/index.js'
import type { App } from '../../app.js'
import type { ApiServer } from './types.js'

const tags = ['workflows']
const idParams = z.strictObject({ id: z.string().min(1).max(200) })

/** Workflow runs: history with step logs, failed runs, cancel and retry, manual runs. */
export function workflowRunRoutes(server: ApiServer, app: App): void {
  server.get(
    '/api/v1/workflow-runs',
    {
      schema: {
        tags,
        summary:
          'Workflow runs, newest first (filter by status — failed runs are status=failed — workflow, customer, conversation)',
        querystring: z.strictObject({
          ...listQueryBase,
          status: z.enum(['running', 'waiting', 'done', 'failed', 'cancelled']).optional(),
          workflowKey: z.string().max(200).optional(),
          customerId: z.string().max(64).optional(),
          conversationId: z.string().max(64).optional(),
          messageId: z.string().max(64).optional(),
        }),
      },
      config: { minRole: 'viewer' },
    },
    async (request) => {
      const { limit, cursor, sort, q, ...filters } = request.query
      return app.workflows.runs.list({ limit, cursor, sort, q, filters })
    },
  )

  server.get(
    '/api/v1/workflow-runs/:id',
    {
      schema: {
        tags,
        summary: 'A run with its step log (every attempt, its output or error)',
        params: idParams,
      },
      config: { minRole: 'viewer' },
    },
    async (request) => {
      const { definition: _definition, ...run } = await app.workflows.runs.require(request.params.id)
      return { ...run, steps: await app.workflows.runs.steps(request.params.id) }
    },
  )

  server.post(
    '/api/v1/workflow-runs/:id/cancel',
    {
      schema: { tags, summary: 'Cancel a running, waiting or failed run', params: idParams },
      config: { minRole: 'agent' },
    },
    async (request) => {
      const run = await app.workflows.runs.require(request.params.id)
      if (!(await app.workflows.engine.cancel(run.id))) {
        throw new AppError(
          'WORKFLOW_RUN_NOT_ACTIVE',
          `run ${run.id} is ${run.status}: only running, waiting or failed runs can be cancelled`,
        )
      }
      return app.workflows.runs.require(run.id)
    },
  )

  server.post(
    '/api/v1/workflow-runs/:id/retry',
    {
      schema: { tags, summary: 'Retry a failed run from the step that failed', params: idParams },
      config: { minRole: 'agent' },
    },
    async (request) => {
      const run = await app.workflows.runs.require(request.params.id)
      if (!(await app.workflows.engine.retry(run.id))) {
        throw new AppError(
          'WORKFLOW_RUN_NOT_ACTIVE',
          `run ${run.id} is ${run.status}: only failed runs can be retried`,
        )
      }
      return app.workflows.runs.require(run.id)
    },
  )

  server.post(
    '/api/v1/workflows/:id/run',
    {
      schema: {
        tags,
        summary: 'Start a run of a workflow by hand, about a message, conversation, customer or order',
        params: idParams,
        body: z.strictObject({
          messageId: z.string().min(1).max(64).optional(),
          conversationId: z.string().min(1).max(64).optional(),
          customerId: z.string().min(1).max(64).optional(),
          orderId: z.string().min(1).max(64).optional(),
        }),
      },
      config: { minRole: 'admin' },
    },
    async (request, reply) => {
      const run = await app.workflows.engine.runManually(request.params.id, request.body)
      reply.code(202)
      const { definition: _definition, ...rest } = run
      return rest
    },
  )
}
