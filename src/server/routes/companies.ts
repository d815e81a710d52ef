import { z } from 'zod'
import {
  ATTRIBUTE_ENTITIES,
  attributeDefinitionCreateSchema,
  attributeDefinitionPatchSchema,
  companyCreateSchema,
  companyListQuerySchema,
  companyPatchSchema,
  listQueryBase,
} from '../../crm/index.js'
import type { App } from '../../app.js'
import { crudRoutes } from './crud.js'
import type { ApiServer } from './types.js'

/** Companies and the definitions of custom attributes. */
export function companyRoutes(server: ApiServer, app: App): void {
  crudRoutes(server, app.crm.companies, {
    path: '/api/v1/companies',
    tag: 'companies',
    noun: 'company',
    listQuery: companyListQuerySchema,
    create: companyCreateSchema,
    patch: companyPatchSchema,
  })
  crudRoutes(server, app.crm.attributeDefinitions, {
    path: '/api/v1/attribute-definitions',
    tag: 'attribute definitions',
    noun: 'attribute definition',
    listQuery: z.strictObject({ ...listQueryBase, entity: z.enum(ATTRIBUTE_ENTITIES).optional() }),
    create: attributeDefinitionCreateSchema,
    patch: attributeDefinitionPatchSchema,
    roles: { write: 'admin' },
  })
}
