import { z } from 'zod'
import { cleanText } from '../../crm/index.js'
import type { App } from '../../app.js'
import type { ApiServer } from './types.js'

const surveyAnswerSchema = z.strictObject({
  score: z
    .number()
    .int()
    .min(1)
    .max(5)
    .meta({ description: 'CSAT score: 1 (very unhappy) to 5 (very happy).' }),
  comment: cleanText(2_000).nullable().optional(),
})

/** Survey answers: public, the survey's token is the credential. */
export function surveyRoutes(server: ApiServer, app: App): void {
  server.post(
    '/api/v1/surveys/:token',
    {
      schema: {
        tags: ['surveys'],
        summary:
          'Answer a satisfaction survey (public: the token from the survey message). Score 1–5 and an optional comment; a survey is answered once (409 SURVEY_ALREADY_ANSWERED)',
        params: z.strictObject({ token: z.string().min(20).max(100) }),
        body: surveyAnswerSchema,
      },
      config: { minRole: 'public' },
    },
    async (request) => {
      const answered = await app.surveys.answer(request.params.token, {
        score: request.body.score,
        comment: request.body.comment?.trim() ? request.body.comment.trim() : null,
      })
      return { surveyId: answered.id, score: answered.score, answeredAt: answered.answeredAt }
    },
  )
}
