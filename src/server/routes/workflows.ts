import { z } from 'zod'
import { listQueryBase } from '../../crm/index.js'
import { TRIGGER_TYPES, workflowShapeSchema } from '../../workflow/index.js'
import type { App } from '../../app.js'
import { idParams, type ApiServer } from './types.js'

const tags = ['workflows']
const listQuery = z.strictObject({
  ...listQueryBase,
  enabled: z.stringbool().optional(),
  triggerType: z.enum(TRIGGER_TYPES).optional(),
  source: z.enum(['builtin', 'file', 'api']).optional(),
  key: z.string().max(64).optional(),
})

/**
 * Workflows as data: list, read, create or update by key (validated: every problem with its path), enable,
 * disable, and the version history.
 */
export function workflowRoutes(server: ApiServer, app: App): void {
  const repository = app.workflows.repository

  server.get(
    '/api/v1/workflows',
    {
      schema: {
        tags,
        summary: 'List workflows (filters: enabled, triggerType, source, key; q)',
        querystring: listQuery,
      },
      config: { minRole: 'viewer' },
    },
    async (request) => {
      const { limit, cursor, sort, q, ...filters } = request.query
      return repository.list({ limit, cursor, sort, q, filters })
    },
  )

  server.post(
    '/api/v1/workflows',
    {
      schema: {
        tags,
        summary:
          'Create a workflow, or update the one with the same key (a changed definition is a new version; a new workflow starts disabled)',
        description:
          'The body is a workflow definition (docs/decisions/2026-11-25-workflow-definitions.md). An invalid one is answered 400 WORKFLOW_INVALID with every problem in details.issues as {path, message}, e.g. {"path": "steps[2].input.template", …}.',
        body: workflowShapeSchema,
      },
      config: { minRole: 'admin' },
      // The schema documents the body; validateWorkflow (in save) checks it, so that every problem is
      // reported in one answer with paths such as steps[2].next — not the first few in zod's words.
      validatorCompiler: () => (data: unknown) => ({ value: data }),
    },
    async (request, reply) => {
      const { workflow, outcome } = await repository.save(request.body as unknown, 'api', request.actor)
      reply.code(outcome === 'inserted' ? 201 : 200)
      return workflow
    },
  )

  server.get(
    '/api/v1/workflows/:id',
    {
      schema: { tags, summary: 'Get a workflow by id or key', params: idParams },
      config: { minRole: 'viewer' },
    },
    async (request) => repository.get(request.params.id),
  )

  server.get(
    '/api/v1/workflows/:id/versions',
    {
      schema: { tags, summary: 'Every version of a workflow’s definition, newest first', params: idParams },
      config: { minRole: 'viewer' },
    },
    async (request) => ({ items: await repository.versions(request.params.id), nextCursor: null }),
  )

  for (const enabled of [true, false]) {
    server.post(
      `/api/v1/workflows/:id/${enabled ? 'enable' : 'disable'}`,
      {
        schema: {
          tags,
          summary: enabled
            ? 'Enable a workflow: its trigger starts runs'
            : 'Disable a workflow: its trigger starts no new runs',
          params: idParams,
        },
        config: { minRole: 'admin' },
      },
      async (request) => repository.setEnabled(request.params.id, enabled, request.actor),
    )
  }
}
