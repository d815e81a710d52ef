import type { Db } from '../database.js'

/**
 * Claims up to `limit` due rows of a delivery table (`outbox`, `notification_deliveries`): rows `pending`, or
 * `sending` whose lease ran out, with `next_attempt_at` null or past. Each claim is a compare-and-set on
 * (status, attempts) that moves the row to `sending`, counts the attempt and leases it until `now + leaseMs`,
 * so two deliverers never hold the same row. Returns the ids won, with the attempt each claim is.
 */
export async function claimDueRows(
  db: Db,
  table: 'outbox' | 'notification_deliveries',
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<{ readonly id: string; readonly attempt: number }[]> {
  const due = await db
    .selectFrom(table)
    .select(['id', 'status', 'attempts'])
    .where('status', 'in', ['pending', 'sending'])
    .where((eb) => eb.or([eb('nextAttemptAt', 'is', null), eb('nextAttemptAt', '<=', now.toISOString())]))
    .orderBy('nextAttemptAt')
    .orderBy('id')
    .limit(limit)
    .execute()
  const won: { id: string; attempt: number }[] = []
  for (const row of due) {
    const attempts = Number(row.attempts)
    const result = await db
      .updateTable(table)
      .set({
        status: 'sending',
        attempts: attempts + 1,
        nextAttemptAt: new Date(now.getTime() + leaseMs).toISOString(),
        updatedAt: now.toISOString(),
      })
      .where('id', '=', row.id as string)
      .where('status', '=', row.status as string)
      .where('attempts', '=', attempts)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) === 1) won.push({ id: row.id as string, attempt: attempts + 1 })
  }
  return won
}
