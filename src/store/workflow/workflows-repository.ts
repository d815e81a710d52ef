import { AppError, newId } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import {
  validateWorkflow,
  workflowInvalidError,
  type TriggerType,
  type WorkflowDefinition,
  type WorkflowTrigger,
} from '../../workflow/index.js'
import { writeAudit } from '../audit.js'
import type { Db } from '../database.js'
import { inTransaction, type RepositoryContext } from '../crm/context.js'
import { listRows, type EntityTable, type ListQuery, type Page } from '../entity-table.js'

/** Where a workflow's current version came from. */
export const WORKFLOW_SOURCES = ['builtin', 'file', 'api'] as const
export type WorkflowSource = (typeof WORKFLOW_SOURCES)[number]

/** A stored workflow: its current definition and version, whether it runs, where it came from. */
export interface StoredWorkflow {
  id: string
  key: string
  name: string
  description: string | null
  version: number
  enabled: boolean
  triggerType: TriggerType
  trigger: WorkflowTrigger
  definition: WorkflowDefinition
  source: WorkflowSource
  createdAt: string
  updatedAt: string
}

/** One version of a workflow's definition. */
export interface WorkflowVersion {
  id: string
  workflowId: string
  version: number
  definition: WorkflowDefinition
  /** The user or token that saved it; null for built-ins and the CLI. */
  createdBy: string | null
  createdAt: string
}

export type WorkflowSaveOutcome = 'inserted' | 'updated' | 'unchanged'

export const workflowsTable: EntityTable = {
  entity: 'workflow',
  table: 'workflows',
  idKind: 'workflow',
  notFound: 'WORKFLOW_NOT_FOUND',
  columns: { enabled: 'bool', trigger: 'json', definition: 'json', createdAt: 'time', updatedAt: 'time' },
  sortable: ['key', 'name', 'createdAt', 'updatedAt', 'id'],
  defaultSort: ['key'],
  filters: { enabled: 'bool', triggerType: 'text', source: 'text', key: 'text' },
  search: ['key', 'name', 'description'],
  references: [],
}

const versionColumns = { definition: 'json', createdAt: 'time' } as const

/**
 * JSON with object keys sorted, so two definitions that differ only in key order are the same version.
 * Arrays keep their order: the order of steps is meaningful (the first is the entry).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(
          Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : item,
  )
}

/**
 * Workflow definitions and their versions. Saving validates the definition again (the store is the last
 * gate), keys a workflow by its `key`, and writes a new version only when the definition changed.
 */
export function createWorkflowsRepository(context: RepositoryContext) {
  const { store, clock } = context
  const codec = store.codec

  function notFound(idOrKey: string): AppError {
    return new AppError(
      'WORKFLOW_NOT_FOUND',
      `workflow "${idOrKey}" does not exist; \`workflow list\` shows the keys`,
      {
        details: { id: idOrKey },
      },
    )
  }

  async function findBy(column: 'id' | 'key', value: string, db: Db): Promise<StoredWorkflow | null> {
    if (value.includes('\u0000')) return null
    const row = await db.selectFrom('workflows').selectAll().where(column, '=', value).executeTakeFirst()
    return row ? codec.decode<StoredWorkflow>(workflowsTable.columns, row) : null
  }

  /** By id (`wfl_…`), then by key; null when neither matches. */
  async function find(idOrKey: string, db: Db = store.db): Promise<StoredWorkflow | null> {
    return (await findBy('id', idOrKey, db)) ?? (await findBy('key', idOrKey, db))
  }

  /** By id or key; `WORKFLOW_NOT_FOUND` (404) otherwise. */
  async function get(idOrKey: string, db: Db = store.db): Promise<StoredWorkflow> {
    const workflow = await find(idOrKey, db)
    if (!workflow) throw notFound(idOrKey)
    return workflow
  }

  /** A page of workflows (`?enabled=`, `?triggerType=`, `?source=`, `?key=`, `q`), by key by default. */
  async function list(query: ListQuery = {}): Promise<Page<StoredWorkflow>> {
    return listRows<StoredWorkflow>(store, workflowsTable, query)
  }

  /** Every workflow, by key (there are few); with `enabled`, only those. */
  async function all(
    options: { enabled?: boolean; triggerType?: TriggerType } = {},
  ): Promise<StoredWorkflow[]> {
    let query = store.db.selectFrom('workflows').selectAll()
    if (options.enabled !== undefined) query = query.where('enabled', '=', codec.bool(options.enabled))
    if (options.triggerType !== undefined) query = query.where('triggerType', '=', options.triggerType)
    const rows = await query.orderBy('key').execute()
    return rows.map((row) => codec.decode<StoredWorkflow>(workflowsTable.columns, row))
  }

  /**
   * Creates or updates the workflow with the definition's key. A changed definition becomes the next
   * version (with the source it came from); an unchanged one writes nothing. A new workflow starts
   * disabled: it runs once someone enables it. Throws `WORKFLOW_INVALID` with every issue.
   */
  async function save(
    definition: unknown,
    source: WorkflowSource,
    actor: Actor,
  ): Promise<{ workflow: StoredWorkflow; outcome: WorkflowSaveOutcome }> {
    const checked = validateWorkflow(definition)
    if (!checked.ok) throw workflowInvalidError(checked.issues)
    const next = checked.workflow
    return inTransaction(store, async (db) => {
      const current = await findBy('key', next.key, db)
      if (current && canonicalJson(current.definition) === canonicalJson(next)) {
        return { workflow: current, outcome: 'unchanged' as const }
      }
      const now = clock.now()
      const at = now.toISOString()
      const id = current?.id ?? newId('workflow', now.getTime())
      const version = (current?.version ?? 0) + 1
      const row = {
        name: next.name,
        description: next.description ?? null,
        version,
        triggerType: next.trigger.type,
        trigger: codec.json(next.trigger),
        definition: codec.json(next),
        source,
        updatedAt: at,
      }
      if (current) await db.updateTable('workflows').set(row).where('id', '=', id).execute()
      else
        await db
          .insertInto('workflows')
          .values({ id, key: next.key, ...row, enabled: codec.bool(false), createdAt: at })
          .execute()
      await db
        .insertInto('workflow_versions')
        .values({
          id: newId('workflowVersion', now.getTime()),
          workflowId: id,
          version,
          definition: codec.json(next),
          createdBy: actor.id,
          createdAt: at,
        })
        .execute()
      await writeAudit(
        db,
        codec,
        actor,
        {
          action: current ? 'workflow.update' : 'workflow.create',
          targetType: 'workflow',
          targetId: id,
          fields: Object.keys(row),
          details: { key: next.key, version, source },
        },
        now,
      )
      return { workflow: await get(id, db), outcome: current ? ('updated' as const) : ('inserted' as const) }
    })
  }

  /** Turns a workflow on or off (no new version); setting the state it has already writes nothing. */
  async function setEnabled(idOrKey: string, enabled: boolean, actor: Actor): Promise<StoredWorkflow> {
    return inTransaction(store, async (db) => {
      const workflow = await get(idOrKey, db)
      if (workflow.enabled === enabled) return workflow
      const now = clock.now()
      await db
        .updateTable('workflows')
        .set({ enabled: codec.bool(enabled), updatedAt: now.toISOString() })
        .where('id', '=', workflow.id)
        .execute()
      await writeAudit(
        db,
        codec,
        actor,
        {
          action: enabled ? 'workflow.enable' : 'workflow.disable',
          targetType: 'workflow',
          targetId: workflow.id,
          fields: ['enabled'],
          details: { key: workflow.key },
        },
        now,
      )
      return get(workflow.id, db)
    })
  }

  /** Every version of a workflow, newest first. */
  async function versions(idOrKey: string): Promise<WorkflowVersion[]> {
    const workflow = await get(idOrKey)
    const rows = await store.db
      .selectFrom('workflow_versions')
      .selectAll()
      .where('workflowId', '=', workflow.id)
      .orderBy('version', 'desc')
      .execute()
    return rows.map((row) => codec.decode<WorkflowVersion>(versionColumns, row))
  }

  return { find, get, list, all, save, setEnabled, versions }
}

export type WorkflowsRepository = ReturnType<typeof createWorkflowsRepository>
