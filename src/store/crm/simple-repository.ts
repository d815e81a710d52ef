import { AppError, newId } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import { mergeAttributes, type AttributeEntity } from '../../crm/attributes.js'
import type { Attributes } from '../../crm/common.js'
import { writeAudit } from '../audit.js'
import type { Db } from '../database.js'
import {
  assertUnreferenced,
  getRow,
  listRows,
  translateConstraintError,
  type EntityTable,
  type ListQuery,
  type Page,
  type Scope,
} from '../entity-table.js'
import { assertExists, checkAttributes, inTransaction, type RepositoryContext } from './context.js'

export interface SimpleRepositoryOptions<T, Create, Patch> {
  readonly spec: EntityTable
  /** Body fields that hold ids of other rows: field → table. Checked before writing (400 naming the field). */
  readonly references?: Readonly<Record<string, string>>
  /** When set, `attributes` is checked against the definitions of this entity. */
  readonly attributesEntity?: AttributeEntity
  /** Columns that cannot be cleared with null. */
  readonly required?: readonly string[]
  /** Maps validated create input to a row (camelCase columns), without id/createdAt/updatedAt. */
  readonly toRow?: (input: Create, db: Db) => Record<string, unknown> | Promise<Record<string, unknown>>
  /** Maps a validated patch to changed columns; defaults to the patch itself. */
  readonly patchToRow?: (
    patch: Patch,
    current: T,
    db: Db,
  ) => Record<string, unknown> | Promise<Record<string, unknown>>
  /** Maps a decoded row to the API shape; defaults to the row. */
  readonly fromRow?: (row: Record<string, unknown>) => T
  /** False for append-only tables whose rows have no `updatedAt`. */
  readonly hasUpdatedAt?: boolean
  readonly scope?: Scope
}

/**
 * A repository for the plain CRUD entities: list (cursor, sort, filters, q), get, create, patch (merge; null
 * clears), delete (409 naming references). Every write is one transaction with its audit entry.
 */
export function createSimpleRepository<T extends { id: string }, Create extends object, Patch extends object>(
  context: RepositoryContext,
  options: SimpleRepositoryOptions<T, Create, Patch>,
) {
  const { store, clock } = context
  const { spec } = options
  const codec = store.codec
  const fromRow = options.fromRow ?? ((row: Record<string, unknown>) => row as unknown as T)
  const hasUpdatedAt = options.hasUpdatedAt ?? true

  async function get(id: string, db: Db = store.db): Promise<T> {
    return fromRow(await getRow<Record<string, unknown>>(store, spec, id, db))
  }

  async function list(query: ListQuery): Promise<Page<T>> {
    const page = await listRows<Record<string, unknown>>(store, spec, query, options.scope)
    return { items: page.items.map(fromRow), nextCursor: page.nextCursor }
  }

  async function checkReferences(db: Db, input: Record<string, unknown>): Promise<void> {
    for (const [field, table] of Object.entries(options.references ?? {})) {
      const value = input[field]
      if (typeof value === 'string') await assertExists(db, table, value, field)
    }
  }

  async function create(input: Create, actor: Actor): Promise<T> {
    const now = clock.now()
    const id = newId(spec.idKind, now.getTime())
    try {
      await inTransaction(store, async (db) => {
        await checkReferences(db, input as Record<string, unknown>)
        const row = options.toRow ? await options.toRow(input, db) : { ...(input as Record<string, unknown>) }
        if (options.attributesEntity && row.attributes !== undefined) {
          row.attributes = await checkAttributes(
            context,
            db,
            options.attributesEntity,
            row.attributes as Attributes,
          )
        }
        await db
          .insertInto(spec.table)
          .values(
            codec.encode(spec.columns, {
              ...row,
              id,
              createdAt: now,
              ...(hasUpdatedAt ? { updatedAt: now } : {}),
            }),
          )
          .execute()
        await writeAudit(
          db,
          codec,
          actor,
          {
            action: `${spec.idKind}.create`,
            targetType: spec.idKind,
            targetId: id,
            fields: Object.keys(input),
          },
          now,
        )
      })
    } catch (error) {
      translateConstraintError(error, spec.entity)
    }
    return get(id)
  }

  async function update(id: string, patch: Patch, actor: Actor): Promise<T> {
    const now = clock.now()
    try {
      await inTransaction(store, async (db) => {
        const current = await get(id, db)
        for (const field of options.required ?? []) {
          if ((patch as Record<string, unknown>)[field] === null) {
            throw new AppError('CORE_VALIDATION_FAILED', `${field} cannot be cleared; give a value`, {
              details: { field },
            })
          }
        }
        await checkReferences(db, patch as Record<string, unknown>)
        const row = options.patchToRow
          ? await options.patchToRow(patch, current, db)
          : { ...(patch as Record<string, unknown>) }
        if (options.attributesEntity && row.attributes !== undefined) {
          row.attributes =
            row.attributes === null
              ? {}
              : mergeAttributes(
                  ((current as Record<string, unknown>).attributes ?? {}) as Attributes,
                  await checkAttributes(context, db, options.attributesEntity, row.attributes as Attributes),
                )
        }
        const values = codec.encode(spec.columns, { ...row, ...(hasUpdatedAt ? { updatedAt: now } : {}) })
        if (Object.keys(values).length > 0) {
          await db.updateTable(spec.table).set(values).where('id', '=', id).execute()
        }
        await writeAudit(
          db,
          codec,
          actor,
          {
            action: `${spec.idKind}.update`,
            targetType: spec.idKind,
            targetId: id,
            fields: Object.keys(patch),
          },
          now,
        )
      })
    } catch (error) {
      translateConstraintError(error, spec.entity)
    }
    return get(id)
  }

  async function remove(id: string, actor: Actor): Promise<void> {
    const now = clock.now()
    await inTransaction(store, async (db) => {
      await get(id, db)
      await assertUnreferenced(db, spec, id)
      await db.deleteFrom(spec.table).where('id', '=', id).execute()
      await writeAudit(
        db,
        codec,
        actor,
        { action: `${spec.idKind}.delete`, targetType: spec.idKind, targetId: id },
        now,
      )
    })
  }

  return { get, list, create, update, remove }
}

export type SimpleRepository<
  T extends { id: string },
  Create extends object,
  Patch extends object,
> = ReturnType<typeof createSimpleRepository<T, Create, Patch>>
