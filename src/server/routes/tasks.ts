import { taskCreateSchema, taskListQuerySchema, taskPatchSchema } from '../../crm/index.js'
import type { App } from '../../app.js'
import { crudRoutes } from './crud.js'
import type { ApiServer } from './types.js'

/** Tasks for people, on customers and conversations. */
export function taskRoutes(server: ApiServer, app: App): void {
  crudRoutes(server, app.crm.tasks, {
    path: '/api/v1/tasks',
    tag: 'tasks',
    noun: 'task',
    listQuery: taskListQuerySchema,
    create: taskCreateSchema,
    patch: taskPatchSchema,
    roles: { delete: 'admin' },
  })
}
