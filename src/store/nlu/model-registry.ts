import { AppError, newId } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import { writeAudit } from '../audit.js'
import type { Db } from '../database.js'
import { inTransaction, type RepositoryContext } from '../crm/context.js'
import { modelsTable, trainingExamplesTable } from '../crm/tables.js'

export type ModelStatus = 'candidate' | 'active' | 'retired'

export interface ModelVersion {
  id: string
  task: string
  version: number
  status: ModelStatus
  source: string
  labels: string[]
  metrics: Record<string, unknown>
  dataFingerprint: string
  artefactBytes: number
  createdBy: string | null
  createdAt: string
  promotedAt: string | null
}

export interface TrainingExample {
  id: string
  task: string
  text: string
  label: string
  source: string
  messageId: string | null
  customerId: string | null
  createdBy: string | null
  createdAt: string
}

const SUMMARY_COLUMNS = [
  'id',
  'task',
  'version',
  'status',
  'source',
  'labels',
  'metrics',
  'dataFingerprint',
  'artefactBytes',
  'createdBy',
  'createdAt',
  'promotedAt',
] as const

/**
 * The model registry: versions per task with metrics and the fingerprint of their training data, the artefact
 * stored in the database (so every worker loads the same model), one active version per task, promote and
 * rollback. Also the labelled examples people make by correcting the agent.
 */
export function createModelRegistry(context: RepositoryContext) {
  const { store, clock } = context
  const codec = store.codec

  const decode = (row: Record<string, unknown>) => codec.decode<ModelVersion>(modelsTable.columns, row)

  async function list(task?: string): Promise<ModelVersion[]> {
    let query = store.db.selectFrom('models').select([...SUMMARY_COLUMNS])
    if (task) query = query.where('task', '=', task)
    const rows = await query.orderBy('task').orderBy('version', 'desc').execute()
    return rows.map(decode)
  }

  async function find(task: string, version: number, db: Db = store.db): Promise<ModelVersion> {
    const row = await db
      .selectFrom('models')
      .select([...SUMMARY_COLUMNS])
      .where('task', '=', task)
      .where('version', '=', version)
      .executeTakeFirst()
    if (!row) {
      throw new AppError(
        'NLU_MODEL_NOT_FOUND',
        `no ${task} model has version ${version}; see \`agentcrm nlu models\``,
        {
          details: { task, version },
        },
      )
    }
    return decode(row)
  }

  /** The active version of a task with its artefact, or null when none is registered yet. */
  async function active(task: string): Promise<(ModelVersion & { artefact: string }) | null> {
    const row = await store.db
      .selectFrom('models')
      .selectAll()
      .where('task', '=', task)
      .where('status', '=', 'active')
      .executeTakeFirst()
    return row ? { ...decode(row), artefact: String(row.artefact) } : null
  }

  async function artefact(task: string, version: number): Promise<string> {
    const row = await store.db
      .selectFrom('models')
      .select('artefact')
      .where('task', '=', task)
      .where('version', '=', version)
      .executeTakeFirst()
    if (!row) throw new AppError('NLU_MODEL_NOT_FOUND', `no ${task} model has version ${version}`)
    return String(row.artefact)
  }

  /** Stores a trained model as the next version of its task (a candidate unless `activate`). */
  async function register(
    input: {
      task: string
      source: string
      labels: readonly string[]
      metrics: Record<string, unknown>
      dataFingerprint: string
      artefact: string
      activate?: boolean
    },
    actor: Actor,
  ): Promise<ModelVersion> {
    const now = clock.now()
    const id = newId('model', now.getTime())
    let version = 0
    await inTransaction(store, async (db) => {
      const last = await db
        .selectFrom('models')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('task', '=', input.task)
        .executeTakeFirst()
      version = Number(last?.v ?? 0) + 1
      if (input.activate) {
        await db
          .updateTable('models')
          .set({ status: 'retired' })
          .where('task', '=', input.task)
          .where('status', '=', 'active')
          .execute()
      }
      await db
        .insertInto('models')
        .values(
          codec.encode(modelsTable.columns, {
            id,
            task: input.task,
            version,
            status: input.activate ? 'active' : 'candidate',
            source: input.source,
            labels: input.labels,
            metrics: input.metrics,
            dataFingerprint: input.dataFingerprint,
            artefact: input.artefact,
            artefactBytes: Buffer.byteLength(input.artefact),
            createdBy: actor.id,
            createdAt: now,
            promotedAt: input.activate ? now : null,
          }),
        )
        .execute()
      await writeAudit(
        db,
        codec,
        actor,
        {
          action: 'model.register',
          targetType: 'model',
          targetId: id,
          details: { task: input.task, version },
        },
        now,
      )
    })
    return find(input.task, version)
  }

  /** Makes `version` the active model of its task; the previous active one is retired. */
  async function promote(task: string, version: number, actor: Actor): Promise<ModelVersion> {
    const now = clock.now()
    await inTransaction(store, async (db) => {
      const target = await find(task, version, db)
      await db
        .updateTable('models')
        .set({ status: 'retired' })
        .where('task', '=', task)
        .where('status', '=', 'active')
        .execute()
      await db
        .updateTable('models')
        .set(codec.encode(modelsTable.columns, { status: 'active', promotedAt: now }))
        .where('id', '=', target.id)
        .execute()
      await writeAudit(
        db,
        codec,
        actor,
        { action: 'model.promote', targetType: 'model', targetId: target.id, details: { task, version } },
        now,
      )
    })
    return find(task, version)
  }

  /** Re-activates the most recently promoted version before the active one. */
  async function rollback(task: string, actor: Actor): Promise<ModelVersion> {
    const versions = (await list(task)).filter((m) => m.promotedAt !== null)
    const current = versions.find((m) => m.status === 'active')
    const previous = versions
      .filter((m) => m.status !== 'active' && (!current || m.version !== current.version))
      .sort((a, b) => (a.promotedAt! < b.promotedAt! ? 1 : -1))[0]
    if (!previous) {
      throw new AppError(
        'NLU_NO_ACTIVE_MODEL',
        `the ${task} model has no earlier promoted version to roll back to`,
        {
          details: { task },
        },
      )
    }
    return promote(task, previous.version, actor)
  }

  async function addExample(
    input: {
      task: string
      text: string
      label: string
      source: string
      messageId?: string | null
      customerId?: string | null
    },
    actor: Actor,
  ): Promise<TrainingExample> {
    const now = clock.now()
    const id = newId('example', now.getTime())
    await inTransaction(store, async (db) => {
      await db
        .insertInto('training_examples')
        .values(
          codec.encode(trainingExamplesTable.columns, {
            id,
            task: input.task,
            text: input.text,
            label: input.label,
            source: input.source,
            messageId: input.messageId ?? null,
            customerId: input.customerId ?? null,
            createdBy: actor.id,
            createdAt: now,
          }),
        )
        .execute()
      await writeAudit(
        db,
        codec,
        actor,
        { action: 'example.create', targetType: 'training_example', targetId: id, fields: ['text', 'label'] },
        now,
      )
    })
    const row = await store.db
      .selectFrom('training_examples')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    return codec.decode<TrainingExample>(trainingExamplesTable.columns, row)
  }

  async function examples(task: string): Promise<TrainingExample[]> {
    const rows = await store.db
      .selectFrom('training_examples')
      .selectAll()
      .where('task', '=', task)
      .orderBy('createdAt')
      .orderBy('id')
      .execute()
    return rows.map((row) => codec.decode<TrainingExample>(trainingExamplesTable.columns, row))
  }

  return { list, find, active, artefact, register, promote, rollback, addExample, examples }
}

export type ModelRegistry = ReturnType<typeof createModelRegistry>
