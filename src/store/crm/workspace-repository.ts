import { randomBytes } from 'node:crypto'
import { AppError, newId } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import type { Workspace, WorkspacePatch } from '../../crm/workspace.js'
import { DEFAULT_WORKSPACE } from '../../crm/workspace.js'
import { writeAudit } from '../audit.js'
import type { ColumnKinds } from '../codec.js'
import type { Db } from '../database.js'
import { inTransaction, type RepositoryContext } from './context.js'

/** How long a process reuses the workspace settings it read (see `get`). */
const SETTINGS_CACHE_MS = 1000

const columns: ColumnKinds = { businessHours: 'json', createdAt: 'time', updatedAt: 'time' }

/** The one workspace of this install (one install = one company; see docs/decisions). */
export function createWorkspaceRepository(context: RepositoryContext) {
  const { store, clock } = context
  const codec = store.codec

  /** Creates the workspace row and the install secret on first start; idempotent. */
  async function ensure(): Promise<Workspace> {
    const existing = await store.db.selectFrom('workspace').selectAll().executeTakeFirst()
    if (existing) return codec.decode<Workspace>(columns, existing)
    const now = clock.now()
    await inTransaction(store, async (db) => {
      const again = await db.selectFrom('workspace').select('id').executeTakeFirst()
      if (again) return
      await db
        .insertInto('workspace')
        .values(
          codec.encode(columns, {
            id: newId('workspace', now.getTime()),
            ...DEFAULT_WORKSPACE,
            createdAt: now,
            updatedAt: now,
          }),
        )
        .execute()
    })
    return get()
  }

  async function get(db: Db = store.db): Promise<Workspace> {
    const row = await db.selectFrom('workspace').selectAll().executeTakeFirst()
    if (!row)
      throw new AppError('CORE_NOT_READY', 'the workspace is not set up yet; run `agentcrm db migrate`')
    return codec.decode<Workspace>(columns, row)
  }

  async function update(patch: WorkspacePatch, actor: Actor): Promise<Workspace> {
    const now = clock.now()
    await inTransaction(store, async (db) => {
      const current = await get(db)
      await db
        .updateTable('workspace')
        .set(codec.encode(columns, { ...patch, updatedAt: now }))
        .where('id', '=', current.id)
        .execute()
      await writeAudit(
        db,
        codec,
        actor,
        {
          action: 'workspace.update',
          targetType: 'workspace',
          targetId: current.id,
          fields: Object.keys(patch),
        },
        now,
      )
    })
    return get()
  }

  /** The install secret: AGENTCRM_SECRET when given, else generated once and kept in the database. */
  async function secret(configured: string | null): Promise<string> {
    if (configured) return configured
    const row = await store.db
      .selectFrom('system_settings')
      .select('value')
      .where('key', '=', 'secret')
      .executeTakeFirst()
    if (row) return String(row.value)
    const value = randomBytes(32).toString('base64url')
    await store.db
      .insertInto('system_settings')
      .values({ key: 'secret', value })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute()
    const stored = await store.db
      .selectFrom('system_settings')
      .select('value')
      .where('key', '=', 'secret')
      .executeTakeFirstOrThrow()
    return String(stored.value)
  }

  // Perceive, reason, branch conditions and actions each read the settings: a message read them ~9 times.
  // Within a process an update is seen at once; another process's update within `SETTINGS_CACHE_MS`.
  let cached: { at: number; workspace: Workspace } | null = null
  async function current(): Promise<Workspace> {
    const now = Date.now()
    if (cached && now - cached.at < SETTINGS_CACHE_MS) return cached.workspace
    const workspace = await get()
    cached = { at: now, workspace }
    return workspace
  }
  async function updated(patch: WorkspacePatch, actor: Actor): Promise<Workspace> {
    cached = null
    const workspace = await update(patch, actor)
    cached = null
    return workspace
  }

  return { ensure, get: current, update: updated, secret }
}

export type WorkspaceRepository = ReturnType<typeof createWorkspaceRepository>
