import { AppError } from '../../core/index.js'
import type { BehaviourEvent, EventCreate } from '../../crm/events.js'
import type { RepositoryContext } from './context.js'
import { createSimpleRepository } from './simple-repository.js'
import { eventsTable } from './tables.js'

/**
 * Behaviour events: append-only facts (no update). A `sku` resolves to the catalogue product; an unknown SKU is
 * kept under `properties.sku` with `productId` null, so the fact is not lost.
 */
export function createEventsRepository(context: RepositoryContext) {
  const { clock } = context
  const repository = createSimpleRepository<BehaviourEvent, EventCreate, Record<string, never>>(context, {
    spec: eventsTable,
    hasUpdatedAt: false,
    references: { customerId: 'customers', productId: 'products' },
    toRow: async (input, db) => {
      const { sku, ...event } = input
      let productId = input.productId ?? null
      let properties = input.properties
      if (sku !== undefined) {
        const product = await db
          .selectFrom('products')
          .select(['id'])
          .where('sku', '=', sku)
          .executeTakeFirst()
        if (product !== undefined && productId !== null && product.id !== productId) {
          throw new AppError(
            'CORE_VALIDATION_FAILED',
            `sku "${sku}" is product ${String(product.id)}, not productId "${productId}"; give one of them`,
            { details: { field: 'sku' } },
          )
        }
        if (product !== undefined) productId = product.id as string
        else properties = { sku, ...properties }
      }
      return {
        ...event,
        customerId: input.customerId ?? null,
        anonymousId: input.anonymousId ?? null,
        sessionId: input.sessionId ?? null,
        productId,
        properties,
        occurredAt: input.occurredAt ?? clock.now().toISOString(),
      }
    },
  })
  const { get, list, create, remove } = repository
  return { get, list, create, remove }
}

export type EventsRepository = ReturnType<typeof createEventsRepository>
