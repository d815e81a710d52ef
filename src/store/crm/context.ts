import { AppError, type Clock } from '../../core/index.js'
import type { AttributeDefinition, AttributeEntity } from '../../crm/attributes.js'
import { validateAttributes } from '../../crm/attributes.js'
import type { Attributes } from '../../crm/common.js'
import type { Db, Store } from '../database.js'
import { attributeDefinitionsTable } from './tables.js'

/** What every repository needs: the store, an injected clock, and workspace settings. */
export interface RepositoryContext {
  readonly store: Store
  readonly clock: Clock
  readonly defaultRegion: string
}

export async function checkAttributes(
  context: RepositoryContext,
  db: Db,
  entity: AttributeEntity,
  attributes: Attributes,
): Promise<Attributes> {
  if (Object.keys(attributes).length === 0) return attributes
  const rows = await db.selectFrom('attribute_definitions').selectAll().where('entity', '=', entity).execute()
  const definitions = rows.map((row) =>
    context.store.codec.decode<AttributeDefinition>(attributeDefinitionsTable.columns, row),
  )
  return validateAttributes(entity, definitions, attributes)
}

/** Checks that an id in a request body points at an existing row; a clear 400 naming the field otherwise. */
export async function assertExists(
  db: Db,
  table: string,
  id: string | null | undefined,
  field: string,
): Promise<void> {
  if (id === null || id === undefined) return
  const row = await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()
  if (row === undefined) {
    throw new AppError('CRM_INVALID_REFERENCE', `${field} "${id}" does not exist`, { details: { field, id } })
  }
}

/**
 * Runs `work` in a transaction; the callback gets the transaction handle. A store bound to an open
 * transaction (an action's unit of work, see store/actions) runs `work` in that one, so repositories compose
 * into one commit.
 */
export function inTransaction<T>(store: Store, work: (db: Db) => Promise<T>): Promise<T> {
  if (store.db.isTransaction) return work(store.db)
  return store.db.transaction().execute((trx) => work(trx))
}
