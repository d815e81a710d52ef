import { AppError, newId } from '../../core/index.js'
import type {
  RunRecord,
  RunStatus,
  RunStore,
  RunSubject,
  StepResult,
  WaitingFor,
} from '../../workflow/engine.js'
import { inTransaction, type RepositoryContext } from '../crm/context.js'
import { listRows, type EntityTable, type ListQuery, type Page } from '../entity-table.js'

export const runsTable: EntityTable = {
  entity: 'workflow run',
  table: 'workflow_runs',
  idKind: 'workflowRun',
  notFound: 'WORKFLOW_RUN_NOT_FOUND',
  columns: {
    definition: 'json',
    trigger: 'json',
    facts: 'json',
    waitingFor: 'json',
    createdAt: 'time',
    updatedAt: 'time',
    finishedAt: 'time',
  },
  sortable: ['createdAt', 'updatedAt', 'id'],
  defaultSort: ['-createdAt'],
  filters: {
    status: 'text',
    workflowKey: 'text',
    workflowId: 'text',
    customerId: 'text',
    conversationId: 'text',
    messageId: 'text',
  },
  search: [],
  references: [],
}

const stepColumns = { output: 'json', startedAt: 'time', finishedAt: 'time' } as const

export interface RunStep {
  id: string
  runId: string
  stepId: string
  stepType: string
  status: 'done' | 'waiting' | 'failed' | 'retrying'
  attempt: number
  output: unknown
  error: string | null
  nextStep: string | null
  startedAt: string
  finishedAt: string
}

const FINISHED: readonly RunStatus[] = ['done', 'failed', 'cancelled']

/** Workflow runs and their step history; the engine's RunStore. */
export function createRunsRepository(context: RepositoryContext) {
  const { store, clock } = context
  const codec = store.codec

  const decode = (row: Record<string, unknown>) => codec.decode<RunRecord>(runsTable.columns, row)

  async function get(id: string): Promise<RunRecord | null> {
    if (id.includes('\u0000')) return null
    const row = await store.db.selectFrom('workflow_runs').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? decode(row) : null
  }

  async function require(id: string): Promise<RunRecord> {
    const run = await get(id)
    if (!run)
      throw new AppError('WORKFLOW_RUN_NOT_FOUND', `workflow run "${id}" does not exist`, { details: { id } })
    return run
  }

  async function byTriggerKey(workflowId: string, triggerKey: string): Promise<RunRecord | null> {
    const row = await store.db
      .selectFrom('workflow_runs')
      .selectAll()
      .where('workflowId', '=', workflowId)
      .where('triggerKey', '=', triggerKey)
      .executeTakeFirst()
    return row ? decode(row) : null
  }

  const create: RunStore['create'] = async (input) => {
    try {
      return await insertRun(input)
    } catch (error) {
      // the same trigger delivered twice at once: the loser reports the winner's run
      const winner = input.triggerKey === null ? null : await byTriggerKey(input.workflowId, input.triggerKey)
      if (winner) return { run: winner, duplicate: true }
      throw error
    }
  }

  const insertRun: RunStore['create'] = async (input) => {
    const subject = input.trigger as RunSubject
    return inTransaction(store, async (db) => {
      if (input.triggerKey !== null) {
        const existing = await db
          .selectFrom('workflow_runs')
          .selectAll()
          .where('workflowId', '=', input.workflowId)
          .where('triggerKey', '=', input.triggerKey)
          .executeTakeFirst()
        if (existing) return { run: decode(existing), duplicate: true }
      }
      const now = clock.now()
      const id = newId('workflowRun', now.getTime())
      await db
        .insertInto('workflow_runs')
        .values({
          id,
          workflowId: input.workflowId,
          workflowKey: input.workflowKey,
          workflowVersion: input.workflowVersion,
          definition: codec.json(input.definition),
          trigger: codec.json(input.trigger),
          status: input.firstStep === null ? 'done' : 'running',
          currentStep: input.firstStep,
          facts: codec.json(input.facts),
          attempt: 0,
          waitingFor: null,
          error: null,
          customerId: subject.customerId ?? null,
          conversationId: subject.conversationId ?? null,
          messageId: subject.messageId ?? null,
          triggerKey: input.triggerKey,
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
          finishedAt: input.firstStep === null ? now.toISOString() : null,
        })
        .execute()
      const row = await db
        .selectFrom('workflow_runs')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      return { run: decode(row), duplicate: false }
    })
  }

  async function insertStep(
    db: Parameters<Parameters<typeof inTransaction>[1]>[0],
    runId: string,
    step: { id: string; type: string },
    fields: {
      status: RunStep['status']
      attempt: number
      output?: unknown
      error?: string | null
      next?: string | null
    },
    at: string,
  ) {
    await db
      .insertInto('workflow_run_steps')
      .values({
        id: newId('workflowStep', new Date(at).getTime()),
        runId,
        stepId: step.id,
        stepType: step.type,
        status: fields.status,
        attempt: fields.attempt,
        output: fields.output === undefined || fields.output === null ? null : codec.json(fields.output),
        error: fields.error ?? null,
        nextStep: fields.next ?? null,
        startedAt: at,
        finishedAt: at,
      })
      .execute()
  }

  const completeStep: RunStore['completeStep'] = async (runId, step, result) =>
    inTransaction(store, async (db) => {
      const row = await db
        .selectFrom('workflow_runs')
        .select(['facts', 'attempt'])
        .where('id', '=', runId)
        .where('status', '=', 'running')
        .where('currentStep', '=', step.id)
        .$if(store.dialect === 'postgres', (qb) => qb.forUpdate())
        .executeTakeFirst()
      if (!row) return false
      const at = clock.now().toISOString()
      const facts = {
        ...(codec.decode<{ facts: Record<string, unknown> }>({ facts: 'json' }, row).facts ?? {}),
        ...(result.facts ?? {}),
      }
      await insertStep(
        db,
        runId,
        step,
        { status: result.status, attempt: Number(row.attempt) + 1, output: result.output, next: result.next },
        at,
      )
      const branches = result.branches ?? []
      for (const branch of branches) {
        await insertStep(
          db,
          runId,
          { id: branch.id, type: 'branch' },
          { status: 'done', attempt: 1, output: branch.output, next: branch.next },
          at,
        )
      }
      const waiting = result.status === 'waiting'
      const finish = !waiting && result.finish === true
      await db
        .updateTable('workflow_runs')
        .set({
          facts: codec.json(facts),
          currentStep: waiting
            ? step.id
            : branches.length > 0
              ? branches[branches.length - 1]!.next
              : result.next,
          status: waiting ? 'waiting' : finish ? 'done' : 'running',
          waitingFor: waiting ? codec.json(result.waitingFor ?? null) : null,
          attempt: 0,
          error: null,
          updatedAt: at,
          ...(finish ? { finishedAt: at } : {}),
        })
        .where('id', '=', runId)
        .execute()
      return true
    })

  const recordFailure: RunStore['recordFailure'] = async (runId, step, error, attempt, final) => {
    return inTransaction(store, async (db) => {
      // an attempt that lost a race to a worker which already finished this step is not a failure
      const current = await db
        .selectFrom('workflow_runs')
        .select('id')
        .where('id', '=', runId)
        .where('status', '=', 'running')
        .where('currentStep', '=', step.id)
        .$if(store.dialect === 'postgres', (qb) => qb.forUpdate())
        .executeTakeFirst()
      if (!current) return false
      const at = clock.now().toISOString()
      await insertStep(db, runId, step, { status: final ? 'failed' : 'retrying', attempt, error }, at)
      await db
        .updateTable('workflow_runs')
        .set({
          attempt,
          error,
          updatedAt: at,
          ...(final ? { status: 'failed', finishedAt: at } : {}),
        })
        .where('id', '=', runId)
        .execute()
      return true
    })
  }

  const resume: RunStore['resume'] = async (runId, stepId, facts, next) =>
    inTransaction(store, async (db) => {
      const row = await db
        .selectFrom('workflow_runs')
        .select(['facts'])
        .where('id', '=', runId)
        .where('status', '=', 'waiting')
        .where('currentStep', '=', stepId)
        .$if(store.dialect === 'postgres', (qb) => qb.forUpdate())
        .executeTakeFirst()
      if (!row) return false
      const at = clock.now().toISOString()
      const merged = {
        ...(codec.decode<{ facts: Record<string, unknown> }>({ facts: 'json' }, row).facts ?? {}),
        ...facts,
      }
      await insertStep(
        db,
        runId,
        { id: stepId, type: 'wait' },
        { status: 'done', attempt: 1, output: facts, next },
        at,
      )
      await db
        .updateTable('workflow_runs')
        .set({
          facts: codec.json(merged),
          status: 'running',
          currentStep: next,
          waitingFor: null,
          updatedAt: at,
        })
        .where('id', '=', runId)
        .execute()
      return true
    })

  const setStatus: RunStore['setStatus'] = async (runId, from, to, patch = {}) => {
    const at = clock.now().toISOString()
    const result = await store.db
      .updateTable('workflow_runs')
      .set({
        status: to,
        updatedAt: at,
        ...(FINISHED.includes(to) ? { finishedAt: at } : { finishedAt: null }),
        ...(patch.attempt !== undefined ? { attempt: patch.attempt } : {}),
        ...(patch.error !== undefined ? { error: patch.error } : {}),
      })
      .where('id', '=', runId)
      .where('status', 'in', [...from])
      .executeTakeFirst()
    return Number(result.numUpdatedRows ?? 0) > 0
  }

  const waiting: RunStore['waiting'] = async (event, subject) => {
    if (!subject.conversationId && !subject.customerId) return []
    let query = store.db.selectFrom('workflow_runs').selectAll().where('status', '=', 'waiting')
    query = query.where((eb) =>
      eb.or([
        ...(subject.conversationId ? [eb('conversationId', '=', subject.conversationId)] : []),
        ...(subject.customerId ? [eb('customerId', '=', subject.customerId)] : []),
      ]),
    )
    const rows = await query.limit(500).execute()
    return rows.map(decode).filter((run) => (run.waitingFor as WaitingFor | null)?.event === event)
  }

  async function list(query: ListQuery): Promise<Page<Omit<RunRecord, 'definition'>>> {
    const page = await listRows<RunRecord>(store, runsTable, query)
    return {
      items: page.items.map(({ definition: _definition, ...run }) => run),
      nextCursor: page.nextCursor,
    }
  }

  async function steps(runId: string): Promise<RunStep[]> {
    await require(runId)
    const rows = await store.db
      .selectFrom('workflow_run_steps')
      .selectAll()
      .where('runId', '=', runId)
      .orderBy('finishedAt')
      .orderBy('id')
      .execute()
    return rows.map((row) => codec.decode<RunStep>(stepColumns, row))
  }

  const runStore: RunStore = { create, get, completeStep, recordFailure, resume, setStatus, waiting }
  return { ...runStore, require, list, steps }
}

export type RunsRepository = ReturnType<typeof createRunsRepository>

export type { StepResult }
