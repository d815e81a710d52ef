import { companiesExport } from './companies-transfer.js'
import { customersExport, customersImport } from './customers-transfer.js'
import { eventsExport, eventsImport } from './events-transfer.js'
import type { ExportSpec } from './export-spec.js'
import type { EntityImport, ImportEntity } from './importer.js'
import { ordersExport, ordersImport } from './orders-transfer.js'
import { productsExport, productsImport } from './products-transfer.js'

/** The import of each entity `import` takes. */
export const IMPORTS: Record<ImportEntity, EntityImport<unknown>> = {
  customers: customersImport as EntityImport<unknown>,
  products: productsImport as EntityImport<unknown>,
  orders: ordersImport as EntityImport<unknown>,
  events: eventsImport as EntityImport<unknown>,
}

export const EXPORT_ENTITIES = ['customers', 'products', 'orders', 'events', 'companies'] as const
export type ExportEntity = (typeof EXPORT_ENTITIES)[number]

/** How each entity `export` takes is written out. */
export const EXPORTS: Record<ExportEntity, ExportSpec> = {
  customers: customersExport,
  products: productsExport,
  orders: ordersExport,
  events: eventsExport,
  companies: companiesExport,
}
