import { noteCreateSchema, noteListQuerySchema, notePatchSchema } from '../../crm/index.js'
import type { App } from '../../app.js'
import { crudRoutes } from './crud.js'
import type { ApiServer } from './types.js'

/** Internal notes on customers and conversations. */
export function noteRoutes(server: ApiServer, app: App): void {
  crudRoutes(server, app.crm.notes, {
    path: '/api/v1/notes',
    tag: 'notes',
    noun: 'note',
    listQuery: noteListQuerySchema,
    create: noteCreateSchema,
    patch: notePatchSchema,
    roles: { delete: 'admin' },
  })
}
