import type { Kysely, Migration } from 'kysely'
import { newId } from '../../core/index.js'
import { systemActor } from '../../crm/actor.js'
import { BUILTIN_WORKFLOWS, validateWorkflow, type WorkflowDefinition } from '../../workflow/index.js'
import { writeAudit } from '../audit.js'
import { createCodec } from '../codec.js'
import type { Dialect, Tables } from '../database.js'
import { columnTypes } from './types.js'

/**
 * Workflows as data: the current definition of each workflow with its trigger (a `trigger_type` column
 * lets the engine find the enabled workflows for an event without reading JSON), every version of every
 * definition, and the built-in workflows — installed enabled, so every database has them with or without
 * demo data.
 */
export function workflowsMigration(dialect: Dialect): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<Tables>) {
      await db.schema
        .createTable('workflows')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('enabled', t.bool, (c) => c.notNull())
        .addColumn('trigger_type', 'text', (c) => c.notNull())
        .addColumn('trigger', t.json, (c) => c.notNull())
        .addColumn('definition', t.json, (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('workflows_trigger')
        .on('workflows')
        .columns(['trigger_type', 'enabled'])
        .execute()

      await db.schema
        .createTable('workflow_versions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('definition', t.json, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addUniqueConstraint('workflow_versions_version', ['workflow_id', 'version'])
        .execute()

      await installBuiltins(db, dialect, BUILTIN_WORKFLOWS)
    },
    async down() {},
  }
}

/**
 * Inserts each built-in workflow whose key is not taken yet, enabled, as version 1 with an audit entry.
 * Self-contained on purpose: a migration writes the columns it created, whatever later code looks like.
 */
async function installBuiltins(
  db: Kysely<Tables>,
  dialect: Dialect,
  definitions: readonly WorkflowDefinition[],
): Promise<void> {
  const codec = createCodec(dialect)
  const now = new Date()
  const at = now.toISOString()
  for (const definition of definitions) {
    const checked = validateWorkflow(definition)
    if (!checked.ok) {
      throw new Error(`built-in workflow "${definition.key}" is invalid: ${JSON.stringify(checked.issues)}`)
    }
    const taken = await db
      .selectFrom('workflows')
      .select('id')
      .where('key', '=', definition.key)
      .executeTakeFirst()
    if (taken) continue
    const id = newId('workflow', now.getTime())
    await db
      .insertInto('workflows')
      .values({
        id,
        key: definition.key,
        name: definition.name,
        description: definition.description ?? null,
        version: 1,
        enabled: codec.bool(true),
        triggerType: definition.trigger.type,
        trigger: codec.json(definition.trigger),
        definition: codec.json(checked.workflow),
        source: 'builtin',
        createdAt: at,
        updatedAt: at,
      })
      .execute()
    await db
      .insertInto('workflow_versions')
      .values({
        id: newId('workflowVersion', now.getTime()),
        workflowId: id,
        version: 1,
        definition: codec.json(checked.workflow),
        createdBy: null,
        createdAt: at,
      })
      .execute()
    await writeAudit(
      db,
      codec,
      systemActor,
      {
        action: 'workflow.install',
        targetType: 'workflow',
        targetId: id,
        details: { key: definition.key, version: 1, source: 'builtin' },
      },
      now,
    )
  }
}
