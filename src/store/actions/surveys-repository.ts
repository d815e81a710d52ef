import { AppError } from '../../core/index.js'
import type { RepositoryContext } from '../crm/context.js'

/** A survey as its answer endpoint sees it: ids and the answer, never the token. */
export interface AnsweredSurvey {
  readonly id: string
  readonly conversationId: string
  readonly customerId: string
  readonly score: number
  readonly comment: string | null
  readonly answeredAt: string
}

/**
 * Surveys sent by `send_survey` (rows written by the executor's store) and their answers. A survey is
 * answered once: the update is a compare-and-set on `answered_at IS NULL`, so two answers at once record one.
 */
export function createSurveysRepository(context: RepositoryContext) {
  const { store, clock } = context

  async function answer(
    token: string,
    input: { score: number; comment: string | null },
  ): Promise<AnsweredSurvey> {
    const row = token.includes('\u0000')
      ? undefined
      : await store.db
          .selectFrom('surveys')
          .select(['id', 'conversationId', 'customerId'])
          .where('token', '=', token)
          .executeTakeFirst()
    if (row === undefined)
      throw new AppError('SURVEY_NOT_FOUND', 'no survey has this link; use the link of the survey message')
    const answeredAt = clock.now()
    const updated = await store.db
      .updateTable('surveys')
      .set({
        score: input.score,
        comment: input.comment,
        answeredAt: store.codec.encode({ answeredAt: 'time' }, { answeredAt }).answeredAt,
      })
      .where('id', '=', row.id as string)
      .where('answeredAt', 'is', null)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows ?? 0) !== 1)
      throw new AppError('SURVEY_ALREADY_ANSWERED', 'this survey was already answered; thank you', {
        details: { surveyId: row.id },
      })
    return {
      id: String(row.id),
      conversationId: String(row.conversationId),
      customerId: String(row.customerId),
      score: input.score,
      comment: input.comment,
      answeredAt: answeredAt.toISOString(),
    }
  }

  return { answer }
}

export type SurveysRepository = ReturnType<typeof createSurveysRepository>
