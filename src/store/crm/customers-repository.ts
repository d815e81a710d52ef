import { AppError, newId } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import { mergeAttributes } from '../../crm/attributes.js'
import type { Attributes } from '../../crm/common.js'
import type { customerCreateSchema, customerPatchSchema } from '../../crm/customers.js'
import {
  currentConsent,
  type ConsentEvent,
  type Customer,
  type CustomerListQuery,
  type Identity,
} from '../../crm/customers.js'
import { normalizeEmail, normalizeIdentity, requirePhone, type IdentityKind } from '../../crm/identity.js'
import type { z } from 'zod'
import { sql, type SqlBool } from 'kysely'
import { writeAudit } from '../audit.js'
import type { Db } from '../database.js'
import { containsText, getRow, listRows, translateConstraintError, type Page } from '../entity-table.js'
import { assertExists, checkAttributes, inTransaction, type RepositoryContext } from './context.js'
import { consentEventsTable, customersTable, identitiesTable } from './tables.js'

type CreateInput = z.output<typeof customerCreateSchema>
type PatchInput = z.output<typeof customerPatchSchema>

/** Customers and their identities and consent. Every write is one transaction with its audit entry. */
export function createCustomersRepository(context: RepositoryContext) {
  const { store, clock } = context
  const codec = store.codec

  function normalizedContact(input: { email?: string | null; phone?: string | null }) {
    const email =
      input.email === undefined || input.email === null
        ? input.email
        : (normalizeEmail(input.email) ??
          (() => {
            throw new AppError('CORE_VALIDATION_FAILED', `"${input.email}" is not an email address`, {
              details: { field: 'email', value: input.email },
            })
          })())
    const phone =
      input.phone === undefined || input.phone === null
        ? input.phone
        : requirePhone(input.phone, context.defaultRegion)
    return { email, phone }
  }

  async function claimIdentity(db: Db, customerId: string, kind: IdentityKind, address: string, at: string) {
    const existing = await db
      .selectFrom('identities')
      .select(['id', 'customerId'])
      .where('kind', '=', kind)
      .where('address', '=', address)
      .executeTakeFirst()
    if (existing !== undefined) {
      if (existing.customerId === customerId) return
      throw new AppError(
        'CRM_DUPLICATE',
        `the ${kind} ${kind === 'email' ? address : '(number)'} already belongs to customer ${String(existing.customerId)}; merge the two customers instead`,
        { details: { field: kind, customerId: existing.customerId } },
      )
    }
    await db
      .insertInto('identities')
      .values(
        codec.encode(identitiesTable.columns, {
          id: newId('identity'),
          customerId,
          kind,
          address,
          verified: false,
          createdAt: at,
        }),
      )
      .execute()
  }

  async function get(id: string, db: Db = store.db): Promise<Customer> {
    return getRow<Customer>(store, customersTable, id, db)
  }

  async function list(query: CustomerListQuery): Promise<Page<Customer>> {
    const { limit, cursor, sort, q, archived, ...filters } = query
    return listRows<Customer>(
      store,
      customersTable,
      { limit, cursor, sort, q, filters },
      (qb) => {
        let scoped = qb.where('mergedIntoId', 'is', null)
        if (archived === 'false') scoped = scoped.where('archivedAt', 'is', null)
        if (archived === 'true') scoped = scoped.where('archivedAt', 'is not', null)
        return scoped
      },
      (eb, text) => {
        // Phones are stored in E.164; match what a person types (138 0013 8000) by its digits.
        const digits = text.replace(/\D/g, '')
        return digits.length >= 4 && digits.length !== text.length
          ? containsText(eb, store.dialect, 'phone', digits)
          : sql<SqlBool>`1 = 0`
      },
    )
  }

  async function create(input: CreateInput, actor: Actor): Promise<Customer> {
    const now = clock.now()
    const at = now.toISOString()
    const { email, phone } = normalizedContact(input)
    const id = newId('customer', now.getTime())
    try {
      await inTransaction(store, async (db) => {
        await assertExists(db, 'companies', input.companyId, 'companyId')
        await assertExists(db, 'users', input.ownerId, 'ownerId')
        const attributes = await checkAttributes(context, db, 'customer', input.attributes)
        await db
          .insertInto('customers')
          .values(
            codec.encode(customersTable.columns, {
              id,
              externalId: input.externalId ?? null,
              name: input.name ?? null,
              email: email ?? null,
              phone: phone ?? null,
              locale: input.locale,
              companyId: input.companyId ?? null,
              tier: input.tier,
              lifecycleStage: input.lifecycleStage,
              acquisitionSource: input.acquisitionSource ?? null,
              firstSeenAt: input.firstSeenAt ?? at,
              lastSeenAt: input.lastSeenAt ?? null,
              ownerId: input.ownerId ?? null,
              tags: [...new Set(input.tags)],
              attributes,
              createdAt: at,
              updatedAt: at,
            }),
          )
          .execute()
        if (email) await claimIdentity(db, id, 'email', email, at)
        if (phone) await claimIdentity(db, id, 'phone', phone, at)
        await writeAudit(
          db,
          codec,
          actor,
          { action: 'customer.create', targetType: 'customer', targetId: id, fields: Object.keys(input) },
          now,
        )
      })
    } catch (error) {
      translateConstraintError(error, 'customer')
    }
    return get(id)
  }

  async function update(id: string, patch: PatchInput, actor: Actor): Promise<Customer> {
    const now = clock.now()
    const at = now.toISOString()
    const { email, phone } = normalizedContact(patch)
    try {
      await inTransaction(store, async (db) => {
        const current = await get(id, db)
        if (current.erasedAt !== null) {
          throw new AppError('CRM_CUSTOMER_ERASED', `customer "${id}" was erased and cannot be changed`)
        }
        await assertExists(db, 'companies', patch.companyId, 'companyId')
        await assertExists(db, 'users', patch.ownerId, 'ownerId')
        const attributes =
          patch.attributes === undefined
            ? undefined
            : patch.attributes === null
              ? {}
              : mergeAttributes(
                  current.attributes,
                  await checkAttributes(context, db, 'customer', patch.attributes as Attributes),
                )
        const values: Record<string, unknown> = {
          ...patch,
          email,
          phone,
          tags: patch.tags === undefined ? undefined : patch.tags === null ? [] : [...new Set(patch.tags)],
          attributes,
          updatedAt: at,
        }
        // `tier`, `locale`, … are NOT NULL: null means "clear", which for them is refused.
        for (const key of ['locale', 'tier', 'lifecycleStage'] as const) {
          if (values[key] === null) {
            throw new AppError('CORE_VALIDATION_FAILED', `${key} cannot be cleared; give a value`, {
              details: { field: key },
            })
          }
        }
        await db
          .updateTable('customers')
          .set(codec.encode(customersTable.columns, values))
          .where('id', '=', id)
          .execute()
        for (const [kind, next, previous] of [
          ['email', email, current.email],
          ['phone', phone, current.phone],
        ] as const) {
          if (next === undefined || next === previous) continue
          if (previous !== null) {
            await db
              .deleteFrom('identities')
              .where('customerId', '=', id)
              .where('kind', '=', kind)
              .where('address', '=', previous)
              .execute()
          }
          if (next !== null) await claimIdentity(db, id, kind, next, at)
        }
        await writeAudit(
          db,
          codec,
          actor,
          { action: 'customer.update', targetType: 'customer', targetId: id, fields: Object.keys(patch) },
          now,
        )
      })
    } catch (error) {
      translateConstraintError(error, 'customer')
    }
    return get(id)
  }

  async function setArchived(id: string, archived: boolean, actor: Actor): Promise<Customer> {
    const now = clock.now()
    await inTransaction(store, async (db) => {
      await get(id, db)
      await db
        .updateTable('customers')
        .set(codec.encode(customersTable.columns, { archivedAt: archived ? now : null, updatedAt: now }))
        .where('id', '=', id)
        .execute()
      await writeAudit(
        db,
        codec,
        actor,
        { action: archived ? 'customer.archive' : 'customer.restore', targetType: 'customer', targetId: id },
        now,
      )
    })
    return get(id)
  }

  async function listIdentities(customerId: string): Promise<Identity[]> {
    await get(customerId)
    const rows = await store.db
      .selectFrom('identities')
      .selectAll()
      .where('customerId', '=', customerId)
      .orderBy('createdAt')
      .orderBy('id')
      .execute()
    return rows.map((row) => codec.decode<Identity>(identitiesTable.columns, row))
  }

  async function addIdentity(
    customerId: string,
    input: { kind: IdentityKind; address: string; verified: boolean },
    actor: Actor,
  ): Promise<Identity> {
    const now = clock.now()
    const address = normalizeIdentity(input.kind, input.address, context.defaultRegion)
    await inTransaction(store, async (db) => {
      await get(customerId, db)
      await claimIdentity(db, customerId, input.kind, address, now.toISOString())
      if (input.verified) {
        await db
          .updateTable('identities')
          .set({ verified: codec.bool(true) })
          .where('kind', '=', input.kind)
          .where('address', '=', address)
          .execute()
      }
      await writeAudit(
        db,
        codec,
        actor,
        {
          action: 'identity.create',
          targetType: 'customer',
          targetId: customerId,
          fields: ['kind', 'address'],
        },
        now,
      )
    })
    const row = await store.db
      .selectFrom('identities')
      .selectAll()
      .where('kind', '=', input.kind)
      .where('address', '=', address)
      .executeTakeFirstOrThrow()
    return codec.decode<Identity>(identitiesTable.columns, row)
  }

  async function removeIdentity(identityId: string, actor: Actor): Promise<void> {
    const now = clock.now()
    await inTransaction(store, async (db) => {
      const identity = await getRow<Identity>(store, identitiesTable, identityId, db)
      await db.deleteFrom('identities').where('id', '=', identityId).execute()
      await writeAudit(
        db,
        codec,
        actor,
        { action: 'identity.delete', targetType: 'customer', targetId: identity.customerId },
        now,
      )
    })
  }

  /** Finds the customer behind a channel address (email, phone, chat id), or null. */
  async function findByIdentity(kind: IdentityKind, address: string): Promise<Customer | null> {
    let normalized: string
    try {
      normalized = normalizeIdentity(kind, address, context.defaultRegion)
    } catch {
      return null
    }
    const row = await store.db
      .selectFrom('identities')
      .select('customerId')
      .where('kind', '=', kind)
      .where('address', '=', normalized)
      .executeTakeFirst()
    return row ? get(String(row.customerId)) : null
  }

  async function consent(customerId: string): Promise<{ current: ConsentEvent[]; events: ConsentEvent[] }> {
    await get(customerId)
    const rows = await store.db
      .selectFrom('consent_events')
      .selectAll()
      .where('customerId', '=', customerId)
      .orderBy('at')
      .orderBy('id')
      .execute()
    const events = rows.map((row) => codec.decode<ConsentEvent>(consentEventsTable.columns, row))
    return { current: currentConsent(events), events }
  }

  async function recordConsent(
    customerId: string,
    input: {
      purpose: ConsentEvent['purpose']
      channel: string
      status: ConsentEvent['status']
      source: string
      at?: string
    },
    actor: Actor,
  ): Promise<ConsentEvent> {
    const now = clock.now()
    const id = newId('consent', now.getTime())
    await inTransaction(store, async (db) => {
      const customer = await get(customerId, db)
      if (customer.erasedAt !== null) {
        throw new AppError('CRM_CUSTOMER_ERASED', `customer "${customerId}" was erased`)
      }
      await db
        .insertInto('consent_events')
        .values(
          codec.encode(consentEventsTable.columns, {
            id,
            customerId,
            purpose: input.purpose,
            channel: input.channel,
            status: input.status,
            source: input.source,
            at: input.at ?? now.toISOString(),
            recordedBy: actor.id,
          }),
        )
        .execute()
      await writeAudit(
        db,
        codec,
        actor,
        {
          action: `consent.${input.status}`,
          targetType: 'customer',
          targetId: customerId,
          fields: ['purpose', 'channel', 'status', 'source'],
        },
        now,
      )
    })
    return getRow<ConsentEvent>(store, consentEventsTable, id)
  }

  return {
    get,
    list,
    create,
    update,
    archive: (id: string, actor: Actor) => setArchived(id, true, actor),
    restore: (id: string, actor: Actor) => setArchived(id, false, actor),
    listIdentities,
    addIdentity,
    removeIdentity,
    findByIdentity,
    consent,
    recordConsent,
  }
}

export type CustomersRepository = ReturnType<typeof createCustomersRepository>
