import { sql } from 'kysely'
import type { StaleRun, SweepStore } from '../../workflow/sweeper.js'
import { inTransaction, type RepositoryContext } from '../crm/context.js'

/** The sweeper's view of the database: stale runs, their claim, and retention (src/workflow/sweeper.ts). */
export function createSweepRepository(context: RepositoryContext): SweepStore {
  const { store } = context
  const iso = (date: Date) => date.toISOString()
  const timerUntil =
    store.dialect === 'postgres'
      ? sql<string | null>`waiting_for->>'until'`
      : sql<string | null>`json_extract(waiting_for, '$.until')`
  const timeText = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value))

  const stale: SweepStore['stale'] = async (runningBefore, timerBefore, limit) => {
    const rows = await store.db
      .selectFrom('workflow_runs')
      .select(['id', 'status', 'currentStep', 'updatedAt'])
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'running'), eb('updatedAt', '<', iso(runningBefore))]),
          eb.and([
            eb('status', '=', 'waiting'),
            // a claimed run is not swept again until another grace period has passed
            eb('updatedAt', '<', iso(timerBefore)),
            eb(timerUntil, 'is not', null),
            eb(timerUntil, '<', iso(timerBefore)),
          ]),
        ]),
      )
      .orderBy('updatedAt')
      .orderBy('id')
      .limit(limit)
      .execute()
    return rows.map((row) => ({
      id: String(row.id),
      status: row.status as StaleRun['status'],
      currentStep: row.currentStep === null ? null : String(row.currentStep),
      updatedAt: timeText(row.updatedAt),
    }))
  }

  const claim: SweepStore['claim'] = async (run, now) => {
    const result = await store.db
      .updateTable('workflow_runs')
      .set({ updatedAt: iso(now) })
      .where('id', '=', run.id)
      .where('status', '=', run.status)
      .where('updatedAt', '=', run.updatedAt)
      .executeTakeFirst()
    return Number(result.numUpdatedRows ?? 0) > 0
  }

  const pruneRuns: SweepStore['pruneRuns'] = async (before, limit) =>
    inTransaction(store, async (db) => {
      const rows = await db
        .selectFrom('workflow_runs')
        .select('id')
        .where('status', 'in', ['done', 'cancelled', 'failed'])
        .where('finishedAt', 'is not', null)
        .where('finishedAt', '<', iso(before))
        .orderBy('finishedAt')
        .limit(limit)
        .execute()
      if (rows.length === 0) return 0
      const ids = rows.map((row) => String(row.id))
      // steps first: SQLite enforces the cascade only with foreign keys switched on
      await db.deleteFrom('workflow_run_steps').where('runId', 'in', ids).execute()
      await db.deleteFrom('workflow_runs').where('id', 'in', ids).execute()
      return ids.length
    })

  const pruneDecisions: SweepStore['pruneDecisions'] = async (before, limit) => {
    const rows = await store.db
      .selectFrom('agent_decisions')
      .select('id')
      .where('createdAt', '<', iso(before))
      .orderBy('createdAt')
      .limit(limit)
      .execute()
    if (rows.length === 0) return 0
    const ids = rows.map((row) => String(row.id))
    await store.db.deleteFrom('agent_decisions').where('id', 'in', ids).execute()
    return ids.length
  }

  return { stale, claim, pruneRuns, pruneDecisions }
}
