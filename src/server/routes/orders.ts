import { orderCreateSchema, orderListQuerySchema, orderPatchSchema } from '../../crm/index.js'
import type { App } from '../../app.js'
import { crudRoutes } from './crud.js'
import type { ApiServer } from './types.js'

/** Orders with their items; amounts are checked and totals computed on every write. */
export function orderRoutes(server: ApiServer, app: App): void {
  crudRoutes(server, app.crm.orders, {
    path: '/api/v1/orders',
    tag: 'orders',
    noun: 'order',
    listQuery: orderListQuerySchema,
    create: orderCreateSchema,
    patch: orderPatchSchema,
    roles: { delete: 'admin' },
  })
}
