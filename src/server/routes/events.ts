import { eventCreateSchema, eventListQuerySchema } from '../../crm/index.js'
import type { App } from '../../app.js'
import { crudRoutes } from './crud.js'
import type { ApiServer } from './types.js'

/** Behaviour events: immutable facts, so there is no PATCH. */
export function eventRoutes(server: ApiServer, app: App): void {
  crudRoutes(server, app.crm.events, {
    path: '/api/v1/events',
    tag: 'events',
    noun: 'event',
    listQuery: eventListQuerySchema,
    create: eventCreateSchema,
    roles: { delete: 'admin' },
    without: ['patch'],
  })
}
