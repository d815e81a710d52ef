import { AppError, newId } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import { writeAudit } from '../audit.js'
import { inTransaction, type RepositoryContext } from '../crm/context.js'
import { getRow, listRows, type EntityTable, type Page } from '../entity-table.js'

export type TrainingJobStatus = 'queued' | 'running' | 'succeeded' | 'failed'

/** A training job as the API shows it. */
export interface TrainingJob {
  id: string
  task: string
  status: TrainingJobStatus
  /** 0 to 1. */
  progress: number
  /** `queued`, `preparing`, `training`, `evaluating`, `registering`, `done` or `failed`. */
  phase: string
  message: string
  modelVersion: number | null
  promoted: boolean | null
  /** Test metrics of the new version and of the version that was active, the corrections used. */
  result: Record<string, unknown> | null
  error: string | null
  owner: string
  heartbeatAt: string
  createdBy: string | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  updatedAt: string
}

export const trainingJobsTable: EntityTable = {
  entity: 'training job',
  table: 'training_jobs',
  idKind: 'trainingJob',
  notFound: 'NLU_TRAINING_JOB_NOT_FOUND',
  columns: {
    modelVersion: 'int',
    promoted: 'bool',
    result: 'json',
    heartbeatAt: 'time',
    createdAt: 'time',
    startedAt: 'time',
    finishedAt: 'time',
    updatedAt: 'time',
  },
  sortable: ['createdAt', 'id'],
  defaultSort: ['-createdAt'],
  filters: { task: 'text', status: 'text' },
  search: [],
  references: [],
}

const ACTIVE = ['queued', 'running'] as const

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE'
}

function busy(task: string, job: { id: string; status: string } | undefined): AppError {
  return new AppError(
    'NLU_TRAINING_BUSY',
    `a ${task} training job is already ${job?.status ?? 'running'}${job ? ` (${job.id})` : ''}; wait for it to finish, then start another`,
    { details: { task, jobId: job?.id ?? null } },
  )
}

/**
 * Training jobs (migration 0013): created queued with at most one queued or running job per task (a
 * partial unique index backs the check, so two processes cannot both start one), updated with progress and
 * a heartbeat by the process that runs them, finished with the model version they made or failed with a
 * message. Also the stored evaluation reports of model versions (`model_reports`).
 */
export function createTrainingJobsRepository(context: RepositoryContext) {
  const { store, clock } = context
  const codec = store.codec
  const columns = trainingJobsTable.columns

  const get = (id: string) => getRow<TrainingJob>(store, trainingJobsTable, id)

  async function create(input: { task: string; owner: string }, actor: Actor): Promise<TrainingJob> {
    const now = clock.now()
    const id = newId('trainingJob', now.getTime())
    try {
      await inTransaction(store, async (db) => {
        const active = await db
          .selectFrom('training_jobs')
          .select(['id', 'status'])
          .where('task', '=', input.task)
          .where('status', 'in', [...ACTIVE])
          .executeTakeFirst()
        if (active) throw busy(input.task, { id: String(active.id), status: String(active.status) })
        await db
          .insertInto('training_jobs')
          .values(
            codec.encode(columns, {
              id,
              task: input.task,
              status: 'queued',
              progress: 0,
              phase: 'queued',
              message: 'waiting to start',
              modelVersion: null,
              promoted: null,
              result: null,
              error: null,
              owner: input.owner,
              heartbeatAt: now,
              createdBy: actor.id,
              createdAt: now,
              startedAt: null,
              finishedAt: null,
              updatedAt: now,
            }),
          )
          .execute()
        await writeAudit(
          db,
          codec,
          actor,
          {
            action: 'training_job.create',
            targetType: 'training_job',
            targetId: id,
            details: { task: input.task },
          },
          now,
        )
      })
    } catch (error) {
      // a concurrent start in another process won the partial unique index
      if (isUniqueViolation(error)) throw busy(input.task, undefined)
      throw error
    }
    return get(id)
  }

  /** Progress of a job this process runs; also its heartbeat. Only queued or running jobs change. */
  async function update(
    id: string,
    values: Partial<Pick<TrainingJob, 'status' | 'progress' | 'phase' | 'message'>> & { startedAt?: Date },
  ): Promise<void> {
    const now = clock.now()
    await store.db
      .updateTable('training_jobs')
      .set(codec.encode(columns, { ...values, heartbeatAt: now, updatedAt: now }))
      .where('id', '=', id)
      .where('status', 'in', [...ACTIVE])
      .execute()
  }

  /** Ends a job; a job that already ended (marked failed as interrupted) keeps its first ending. */
  async function finish(
    id: string,
    outcome:
      | {
          status: 'succeeded'
          message: string
          modelVersion: number
          promoted: boolean
          result: Record<string, unknown>
        }
      | { status: 'failed'; message: string; error: string },
  ): Promise<boolean> {
    const now = clock.now()
    const values =
      outcome.status === 'succeeded'
        ? { ...outcome, progress: 1, phase: 'done' }
        : { ...outcome, phase: 'failed' }
    const result = await store.db
      .updateTable('training_jobs')
      .set(codec.encode(columns, { ...values, heartbeatAt: now, finishedAt: now, updatedAt: now }))
      .where('id', '=', id)
      .where('status', 'in', [...ACTIVE])
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  /**
   * Marks failed the queued or running jobs whose process is gone: every job not owned by `keepOwner`
   * when `everyOwner` (embedded `serve` starting: no other process runs jobs), else those whose heartbeat
   * is older than `staleBefore`. Returns how many.
   */
  async function failInterrupted(options: {
    keepOwner: string
    staleBefore: Date
    everyOwner: boolean
    message: string
  }): Promise<number> {
    const now = clock.now()
    let query = store.db
      .updateTable('training_jobs')
      .set(
        codec.encode(columns, {
          status: 'failed',
          phase: 'failed',
          message: options.message,
          error: options.message,
          finishedAt: now,
          updatedAt: now,
        }),
      )
      .where('status', 'in', [...ACTIVE])
      .where('owner', '!=', options.keepOwner)
    if (!options.everyOwner) {
      query = query.where('heartbeatAt', '<', codec.encode({ at: 'time' }, { at: options.staleBefore }).at)
    }
    const result = await query.executeTakeFirst()
    return Number(result.numUpdatedRows)
  }

  function list(query: {
    task?: string
    status?: string
    limit?: number
    cursor?: string | null
  }): Promise<Page<TrainingJob>> {
    const { limit, cursor, ...filters } = query
    return listRows<TrainingJob>(store, trainingJobsTable, { limit, cursor, filters })
  }

  async function report(
    modelId: string,
  ): Promise<{ dataset: string; report: unknown; createdAt: string } | null> {
    const row = await store.db
      .selectFrom('model_reports')
      .selectAll()
      .where('modelId', '=', modelId)
      .executeTakeFirst()
    if (!row) return null
    return codec.decode<{ dataset: string; report: unknown; createdAt: string }>(
      { report: 'json', createdAt: 'time' },
      row,
    )
  }

  /** Stores a model version's evaluation report (a second save of the same version keeps the first). */
  async function saveReport(modelId: string, dataset: string, value: unknown): Promise<void> {
    await store.db
      .insertInto('model_reports')
      .values(
        codec.encode(
          { report: 'json', createdAt: 'time' },
          { modelId, dataset, report: value, createdAt: clock.now() },
        ),
      )
      .onConflict((oc) => oc.column('modelId').doNothing())
      .execute()
  }

  return { create, get, list, update, finish, failInterrupted, report, saveReport }
}

export type TrainingJobsRepository = ReturnType<typeof createTrainingJobsRepository>
