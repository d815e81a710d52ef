import { z } from 'zod'
import { listQueryBase } from '../../crm/index.js'
import { NLU_TASKS } from '../../learning/index.js'
import type { App } from '../../app.js'
import { idParams, type ApiServer } from './types.js'

const tags = ['nlu']

/**
 * Training jobs (retrain a task on its corpus plus corrections, with progress) and the evaluation report of
 * a model version (per-label table, confusion matrix, reliability bins, worst errors on the frozen test set).
 */
export function trainingRoutes(server: ApiServer, app: App): void {
  server.post(
    '/api/v1/nlu/training-jobs',
    {
      schema: {
        tags,
        summary:
          'Start retraining a task on its corpus plus people’s corrections: 202 with a job to poll; the new version is promoted only when not worse on the frozen test set; 409 while one runs for the task',
        body: z.strictObject({ task: z.enum(NLU_TASKS) }),
      },
      config: { minRole: 'admin' },
    },
    async (request, reply) => {
      const job = await app.training.jobs.start(request.body.task, request.actor)
      reply.status(202)
      return job
    },
  )

  server.get(
    '/api/v1/nlu/training-jobs',
    {
      schema: {
        tags,
        summary: 'Training jobs, newest first (filter by task and status)',
        querystring: z.strictObject({
          limit: listQueryBase.limit,
          cursor: listQueryBase.cursor,
          task: z.enum(NLU_TASKS).optional(),
          status: z.enum(['queued', 'running', 'succeeded', 'failed']).optional(),
        }),
      },
      config: { minRole: 'viewer' },
    },
    async (request) => app.training.jobs.list(request.query),
  )

  server.get(
    '/api/v1/nlu/training-jobs/:id',
    {
      schema: {
        tags,
        summary:
          'A training job: status (queued, running, succeeded, failed), progress 0–1, phase, message, and the model version it made',
        params: idParams,
      },
      config: { minRole: 'viewer' },
    },
    async (request) => app.training.jobs.get(request.params.id),
  )

  server.get(
    '/api/v1/nlu/models/:task/:version/report',
    {
      schema: {
        tags,
        summary:
          'The evaluation report of a model version on its task’s frozen test set: per-label precision/recall/F1, confusion matrix, reliability bins, worst errors',
        params: z.strictObject({ task: z.enum(NLU_TASKS), version: z.coerce.number().int().min(1) }),
      },
      config: { minRole: 'viewer' },
    },
    async (request) => app.training.report(request.params.task, request.params.version),
  )
}
