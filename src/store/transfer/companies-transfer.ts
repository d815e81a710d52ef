import { companiesTable } from '../crm/tables.js'
import type { ExportSpec } from './export-spec.js'

/** Companies are export-only: the columns a customer's `company_external_id` refers to. */
export const companiesExport: ExportSpec = {
  table: 'companies',
  kinds: companiesTable.columns,
  attributesEntity: 'company',
  columns: ['id', 'externalId', 'name', 'domain', 'industry', 'createdAt', 'updatedAt'],
  async resolve(_store, rows) {
    return rows.map((row) => ({
      id: row.id,
      externalId: row.externalId,
      name: row.name,
      domain: row.domain,
      industry: row.industry,
      attributes: row.attributes,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    }))
  },
}
