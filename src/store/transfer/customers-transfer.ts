import { newId } from '../../core/index.js'
import { mergeAttributes, validateAttributes } from '../../crm/attributes.js'
import type { Attributes } from '../../crm/common.js'
import { customerPatchSchema, type Customer } from '../../crm/customers.js'
import { normalizeEmail, normalizePhone } from '../../crm/identity.js'
import type { z } from 'zod'
import { customersTable, identitiesTable } from '../crm/tables.js'
import type { ExportSpec } from './export-spec.js'
import { RowReader, type ColumnSet } from './fields.js'
import {
  distinct,
  addGivenKeys,
  recordProblems,
  type ChunkResult,
  type EntityImport,
  type ParsedRow,
} from './importer.js'
import { auditChunk, insertRows, selectIn, upsertRows } from './sql.js'

type Patch = z.output<typeof customerPatchSchema>

/** A checked customer row: API patch fields (email and phone normalised) plus the company's external id. */
export interface CustomerImportRow {
  readonly patch: Patch
  readonly companyExternalId: string | null | undefined
}

const columns: ColumnSet = {
  columns: [
    'externalId',
    'name',
    'email',
    'phone',
    'locale',
    'companyExternalId',
    'tier',
    'lifecycleStage',
    'acquisitionSource',
    'firstSeenAt',
    'tags',
  ],
  readOnly: ['id', 'createdAt', 'updatedAt'],
  required: [],
  attributes: true,
}

/** The API's customer patch, less what an import row reads itself. */
const rowSchema = customerPatchSchema.omit({
  firstSeenAt: true,
  lastSeenAt: true,
  companyId: true,
  ownerId: true,
})

/** NOT NULL columns: an empty cell keeps the current value (or the default for a new customer). */
const KEEP_WHEN_EMPTY = new Set(['locale', 'tier', 'lifecycleStage', 'firstSeenAt'])

type Target = { readonly id: string; row: Record<string, unknown>; readonly isNew: boolean }

/**
 * Customers: upsert by external id (rows without one are inserted), email and phone normalised like the API,
 * one identity per email/phone kept in step; an address that belongs to another customer rejects the row.
 */
export const customersImport: EntityImport<CustomerImportRow> = {
  columns,
  attributes: 'customer',
  parser: (context) => {
    const definitions = [...context.definitions.values()]
    function parse(record: Readonly<Record<string, unknown>>) {
      const problems = recordProblems(record, columns, context.csv)
      if (problems.length > 0) return { errors: problems }
      const r = new RowReader(record, context.csv)
      const candidate = {
        externalId: r.text('externalId'),
        name: r.text('name'),
        email: r.text('email'),
        phone: r.text('phone'),
        locale: r.text('locale'),
        tier: r.text('tier'),
        lifecycleStage: r.text('lifecycleStage'),
        acquisitionSource: r.text('acquisitionSource'),
        tags: r.list('tags'),
        attributes: r.attributes(context.definitions),
      }
      const companyExternalId = r.text('companyExternalId')
      // Read (and normalised) here already; the schema's ISO check would parse it a second time.
      const firstSeenAt = r.time('firstSeenAt')
      if (r.errors.length > 0) return { errors: r.errors }
      // Required columns: an empty cell keeps the current value (the default for a new customer).
      for (const key of KEEP_WHEN_EMPTY) {
        if ((candidate as Record<string, unknown>)[key] === null)
          (candidate as Record<string, unknown>)[key] = undefined
      }
      const parsed = rowSchema.safeParse(candidate)
      if (!parsed.success) {
        r.zodIssues(parsed.error)
        return { errors: r.errors }
      }
      const patch: Patch = parsed.data
      if (firstSeenAt) patch.firstSeenAt = firstSeenAt
      if (typeof patch.email === 'string') {
        const email = normalizeEmail(patch.email)
        if (email === null) r.fail('email', `"${patch.email}" is not an email address`)
        else patch.email = email
      }
      if (typeof patch.phone === 'string') {
        const phone = normalizePhone(patch.phone, context.defaultRegion)
        if (phone === null) {
          r.fail(
            'phone',
            `"${patch.phone}" is not a phone number; write it with a country code (+86 138 0013 8000) or as a ${context.defaultRegion} number`,
          )
        } else patch.phone = phone
      }
      if (patch.attributes) {
        try {
          validateAttributes('customer', definitions, patch.attributes)
        } catch (error) {
          r.errors.push(`attributes: ${(error as Error).message}`)
        }
      }
      if (r.errors.length > 0) return { errors: r.errors }
      return { value: { patch, companyExternalId } }
    }

    return parse
  },
  writer: (context) => {
    const { store, dryRun } = context
    const codec = store.codec
    // A dry run writes nothing, so later chunks see earlier ones through these (keys and owners only).
    const virtualCustomers = new Map<string, { id: string; email: string | null; phone: string | null }>()
    const virtualOwners = new Map<string, string | null>()
    const virtualExternalIds = new Map<string, string>()

    async function importChunk(rows: readonly ParsedRow<CustomerImportRow>[]): Promise<ChunkResult> {
      const now = context.now()
      const at = now.toISOString()
      const result: ChunkResult = { inserted: 0, updated: 0, rejected: [] }

      const targets = new Map<string, Target>()
      const externalIds = distinct(rows.map((row) => row.value.patch.externalId))
      for (const row of await selectIn(store, 'customers', 'externalId', externalIds)) {
        const customer = codec.decode<Record<string, unknown>>(customersTable.columns, row)
        targets.set(String(customer.externalId), { id: String(customer.id), row: customer, isNew: false })
      }
      if (dryRun) {
        for (const externalId of externalIds) {
          const virtual = virtualCustomers.get(externalId)
          if (virtual && !targets.has(externalId)) {
            targets.set(externalId, { id: virtual.id, row: { ...virtual, externalId }, isNew: false })
          }
        }
      }

      const companyIds = new Map<string, string>()
      const companyKeys = distinct(rows.map((row) => row.value.companyExternalId))
      for (const row of await selectIn(store, 'companies', 'externalId', companyKeys, ['id', 'externalId'])) {
        companyIds.set(String(row.externalId), String(row.id))
      }

      // Owners of every address a row names or a matched customer holds now.
      const addresses = { email: new Set<string>(), phone: new Set<string>() }
      for (const row of rows) {
        if (row.value.patch.email) addresses.email.add(row.value.patch.email)
        if (row.value.patch.phone) addresses.phone.add(row.value.patch.phone)
      }
      for (const target of targets.values()) {
        if (typeof target.row.email === 'string') addresses.email.add(target.row.email)
        if (typeof target.row.phone === 'string') addresses.phone.add(target.row.phone)
      }
      const initial = new Map<string, { id: string | null; customerId: string | null }>()
      for (const kind of ['email', 'phone'] as const) {
        const list = [...addresses[kind]]
        const found = await selectIn(store, 'identities', 'address', list, ['id', 'customerId', 'address'], {
          kind,
        })
        for (const identity of found) {
          initial.set(`${kind}:${String(identity.address)}`, {
            id: String(identity.id),
            customerId: String(identity.customerId),
          })
        }
        if (dryRun) {
          for (const address of list) {
            const key = `${kind}:${address}`
            if (virtualOwners.has(key))
              initial.set(key, { id: null, customerId: virtualOwners.get(key) ?? null })
          }
        }
      }
      const owners = new Map<string, string | null>()
      const ownerOf = (key: string) =>
        owners.has(key) ? owners.get(key)! : (initial.get(key)?.customerId ?? null)

      const inserts = new Map<string, Record<string, unknown>>()
      const updates = new Map<string, Record<string, unknown>>()
      const fields = new Set<string>()
      const conflicts: (Conflict & { errors: string[] })[] = []

      for (const { line, value } of rows) {
        const { patch, companyExternalId } = value
        const errors: string[] = []
        const existing = patch.externalId ? targets.get(patch.externalId) : undefined
        if (existing?.row.erasedAt) {
          errors.push(`external_id: customer ${existing.id} was erased and cannot be changed`)
        } else if (existing?.row.mergedIntoId) {
          errors.push(
            `external_id: customer ${existing.id} was merged into ${String(existing.row.mergedIntoId)}; update that customer instead`,
          )
        }
        let companyId: string | null | undefined = companyExternalId === null ? null : undefined
        if (typeof companyExternalId === 'string') {
          companyId = companyIds.get(companyExternalId)
          if (companyId === undefined) {
            errors.push(`company_external_id: no company has the external id "${companyExternalId}"`)
          }
        }
        const id = existing?.id ?? newId('customer', now.getTime())
        const changes: { kind: 'email' | 'phone'; previous: string | null; next: string | null }[] = []
        const taken: Conflict[] = []
        for (const kind of ['email', 'phone'] as const) {
          const next = patch[kind]
          const previous = (existing?.row[kind] as string | null | undefined) ?? null
          if (next === undefined || next === previous) continue
          if (next !== null) {
            const owner = ownerOf(`${kind}:${next}`)
            if (owner !== null && owner !== id) taken.push({ kind, address: next, owner })
          }
          changes.push({ kind, previous, next })
        }
        if (errors.length > 0 || taken.length > 0) {
          const rejection = { line, errors }
          for (const conflict of taken) conflicts.push({ ...conflict, errors })
          result.rejected.push(rejection)
          continue
        }

        for (const change of changes) {
          const previousKey = `${change.kind}:${change.previous}`
          if (change.previous !== null && ownerOf(previousKey) === id) owners.set(previousKey, null)
          if (change.next !== null) owners.set(`${change.kind}:${change.next}`, id)
        }
        const target: Target = existing ?? { id, row: newRow(id, at), isNew: true }
        applyPatch(target.row, patch, companyId, at)
        addGivenKeys(fields, patch)
        if (companyId !== undefined) fields.add('companyId')
        if (target.isNew && !inserts.has(id)) {
          inserts.set(id, target.row)
          result.inserted++
        } else {
          if (!target.isNew) updates.set(id, target.row)
          result.updated++
        }
        if (patch.externalId && !existing) targets.set(patch.externalId, target)
      }

      if (conflicts.length > 0) await describeConflicts(conflicts, targets)

      const deletes: string[] = []
      const identities: Record<string, unknown>[] = []
      for (const [key, owner] of owners) {
        const before = initial.get(key)
        if (before?.customerId === owner) continue
        if (before?.id && before.customerId !== null) deletes.push(before.id)
        if (owner !== null) {
          const separator = key.indexOf(':')
          identities.push({
            id: newId('identity', now.getTime()),
            customerId: owner,
            kind: key.slice(0, separator),
            address: key.slice(separator + 1),
            verified: false,
            createdAt: at,
          })
        }
      }

      if (dryRun) {
        for (const row of [...inserts.values(), ...updates.values()]) {
          if (typeof row.externalId === 'string') {
            virtualExternalIds.set(String(row.id), row.externalId)
            virtualCustomers.set(row.externalId, {
              id: String(row.id),
              email: (row.email as string | null) ?? null,
              phone: (row.phone as string | null) ?? null,
            })
          }
        }
        for (const [key, owner] of owners) virtualOwners.set(key, owner)
        return result
      }
      if (inserts.size === 0 && updates.size === 0) return result
      await store.db.transaction().execute(async (trx) => {
        if (deletes.length > 0) await trx.deleteFrom('identities').where('id', 'in', deletes).execute()
        await insertRows(store, trx, 'customers', customersTable.columns, [...inserts.values()])
        await upsertRows(store, trx, 'customers', customersTable.columns, [...updates.values()])
        await insertRows(store, trx, 'identities', identitiesTable.columns, identities)
        await auditChunk(
          trx,
          store,
          context.actor,
          {
            entity: 'customer',
            fields,
            inserted: result.inserted,
            updated: result.updated,
            firstLine: rows[0].line,
            lastLine: rows[rows.length - 1].line,
          },
          now,
        )
      })
      return result
    }

    /**
     * Writes the errors of rows whose email or phone belongs to another customer, naming that customer by
     * external id when it has one (so a dry run and the real run word them alike), else by id.
     */
    async function describeConflicts(
      conflicts: (Conflict & { errors: string[] })[],
      targets: Map<string, Target>,
    ) {
      const labels = new Map<string, string>()
      for (const target of targets.values()) {
        if (typeof target.row.externalId === 'string') labels.set(target.id, target.row.externalId)
      }
      for (const { owner } of conflicts) {
        const externalId = virtualExternalIds.get(owner)
        if (externalId !== undefined) labels.set(owner, externalId)
      }
      const unknown = distinct(
        conflicts.map((conflict) => conflict.owner).filter((owner) => !labels.has(owner)),
      )
      for (const row of await selectIn(store, 'customers', 'id', unknown, ['id', 'externalId'])) {
        if (typeof row.externalId === 'string') labels.set(String(row.id), row.externalId)
      }
      for (const { kind, address, owner, errors } of conflicts) {
        const label = labels.has(owner)
          ? `the customer with external id "${labels.get(owner)}"`
          : `customer ${owner}`
        errors.push(
          `${kind}: ${kind === 'email' ? `"${address}"` : 'the number'} already belongs to ${label}; merge the two customers or leave it out`,
        )
      }
    }

    return importChunk
  },
}

interface Conflict {
  readonly kind: 'email' | 'phone'
  readonly address: string
  readonly owner: string
}

function newRow(id: string, at: string): Record<string, unknown> {
  return {
    id,
    externalId: null,
    name: null,
    email: null,
    phone: null,
    locale: 'zh-CN',
    companyId: null,
    tier: 'standard',
    lifecycleStage: 'customer',
    acquisitionSource: null,
    firstSeenAt: at,
    lastSeenAt: null,
    ownerId: null,
    tags: [],
    attributes: {},
    archivedAt: null,
    erasedAt: null,
    mergedIntoId: null,
    createdAt: at,
    updatedAt: at,
  }
}

function applyPatch(
  row: Record<string, unknown>,
  patch: Patch,
  companyId: string | null | undefined,
  at: string,
) {
  for (const key in patch) {
    const value = patch[key as keyof Patch]
    if (value === undefined || key === 'tags' || key === 'attributes') continue
    if (value === null && KEEP_WHEN_EMPTY.has(key)) continue
    row[key] = value
  }
  if (companyId !== undefined) row.companyId = companyId
  if (patch.tags !== undefined) row.tags = patch.tags === null ? [] : [...new Set(patch.tags)]
  if (patch.attributes !== undefined) {
    row.attributes =
      patch.attributes === null ? {} : mergeAttributes((row.attributes ?? {}) as Attributes, patch.attributes)
  }
  row.updatedAt = at
}

/** Customers as exported: the import columns (so an export re-imports cleanly) plus id and times. */
export const customersExport: ExportSpec = {
  table: 'customers',
  kinds: customersTable.columns,
  attributesEntity: 'customer',
  scope: (qb) => qb.where('mergedIntoId', 'is', null).where('erasedAt', 'is', null),
  columns: ['id', ...columns.columns, 'createdAt', 'updatedAt'],
  async resolve(store, rows) {
    const companies = distinct(rows.map((row) => row.companyId as string | null))
    const externalIds = new Map<string, string | null>()
    for (const row of await selectIn(store, 'companies', 'id', companies, ['id', 'externalId'])) {
      externalIds.set(String(row.id), (row.externalId as string | null) ?? null)
    }
    return rows.map((row) => {
      const customer = row as unknown as Customer
      return {
        id: customer.id,
        externalId: customer.externalId,
        name: customer.name,
        email: customer.email,
        phone: customer.phone,
        locale: customer.locale,
        companyExternalId: customer.companyId ? (externalIds.get(customer.companyId) ?? null) : null,
        tier: customer.tier,
        lifecycleStage: customer.lifecycleStage,
        acquisitionSource: customer.acquisitionSource,
        firstSeenAt: customer.firstSeenAt,
        tags: customer.tags,
        attributes: customer.attributes,
        createdAt: customer.createdAt,
        updatedAt: customer.updatedAt,
      }
    })
  },
  toCsv(record) {
    return { ...record, tags: (record.tags as string[]).join('|') }
  },
}
