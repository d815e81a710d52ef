import { productCreateSchema, productListQuerySchema, productPatchSchema } from '../../crm/index.js'
import type { App } from '../../app.js'
import { crudRoutes } from './crud.js'
import type { ApiServer } from './types.js'

/** The product catalogue; `q` searches SKU, both names and category. */
export function productRoutes(server: ApiServer, app: App): void {
  crudRoutes(server, app.crm.products, {
    path: '/api/v1/products',
    tag: 'products',
    noun: 'product',
    listQuery: productListQuerySchema,
    create: productCreateSchema,
    patch: productPatchSchema,
    roles: { delete: 'admin' },
  })
}
