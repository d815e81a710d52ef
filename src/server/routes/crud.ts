import type { z } from 'zod'
import type { Actor, MinRole } from '../../crm/index.js'
import type { ListQuery, Page } from '../../store/index.js'
import { idParams, type ApiServer } from './types.js'

export interface CrudService<T, Create, Patch> {
  list(query: ListQuery): Promise<Page<T>>
  get(id: string): Promise<T>
  create(input: Create, actor: Actor): Promise<T>
  /** Optional for entities without PATCH (immutable events); then `without` must include `'patch'`. */
  update?(id: string, patch: Patch, actor: Actor): Promise<T>
  remove(id: string, actor: Actor): Promise<void>
}

export interface CrudRouteOptions {
  /** e.g. `/api/v1/companies` */
  readonly path: string
  readonly tag: string
  readonly noun: string
  readonly listQuery: z.ZodType
  readonly create: z.ZodType
  /** Required unless `without` includes `'patch'`. */
  readonly patch?: z.ZodType
  readonly roles?: Partial<Record<'read' | 'write' | 'delete', MinRole>>
  /** Leave out operations an entity does not have (events cannot be patched, …). */
  readonly without?: readonly ('create' | 'patch' | 'delete')[]
}

/** Registers list/get/create/patch/delete for one entity, each with its minimum role. */
export function crudRoutes<T, Create, Patch>(
  server: ApiServer,
  service: CrudService<T, Create, Patch>,
  options: CrudRouteOptions,
): void {
  const tags = [options.tag]
  const read = options.roles?.read ?? 'viewer'
  const write = options.roles?.write ?? 'agent'
  const remove = options.roles?.delete ?? write
  const without = new Set(options.without ?? [])
  server.get(
    options.path,
    {
      schema: { tags, summary: `List ${options.noun}s`, querystring: options.listQuery },
      config: { minRole: read },
    },
    async (request) => {
      const { limit, cursor, sort, q, ...filters } = request.query as Record<string, unknown>
      return service.list({
        limit: limit as number | undefined,
        cursor: cursor as string | undefined,
        sort: sort as string | undefined,
        q: q as string | undefined,
        filters: filters as ListQuery['filters'],
      })
    },
  )
  if (!without.has('create')) {
    server.post(
      options.path,
      {
        schema: { tags, summary: `Create a ${options.noun}`, body: options.create },
        config: { minRole: write },
      },
      async (request, reply) => {
        reply.status(201)
        return service.create(request.body as Create, request.actor)
      },
    )
  }
  server.get(
    `${options.path}/:id`,
    { schema: { tags, summary: `Get a ${options.noun}`, params: idParams }, config: { minRole: read } },
    async (request) => service.get(request.params.id),
  )
  const update = service.update?.bind(service)
  if (!without.has('patch')) {
    if (update === undefined || options.patch === undefined) {
      throw new Error(
        `${options.path}: PATCH needs service.update and a patch schema; or add 'patch' to without`,
      )
    }
    server.patch(
      `${options.path}/:id`,
      {
        schema: {
          tags,
          summary: `Update a ${options.noun} (merge; null clears)`,
          params: idParams,
          body: options.patch,
        },
        config: { minRole: write },
      },
      async (request) => update(request.params.id, request.body as Patch, request.actor),
    )
  }
  if (!without.has('delete')) {
    server.delete(
      `${options.path}/:id`,
      {
        schema: { tags, summary: `Delete a ${options.noun} (409 while referenced)`, params: idParams },
        config: { minRole: remove },
      },
      async (request, reply) => {
        await service.remove(request.params.id, request.actor)
        reply.status(204)
      },
    )
  }
}
