import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { idSchema, messageTextSchema } from '../crm/index.js'
import type { Action } from './action.js'
import { sendToCustomer } from './outbound.js'
import { actionResult } from './result.js'

export const SURVEY_LANGUAGES = ['zh', 'en'] as const

export const sendSurveyInputSchema = z.strictObject({
  conversationId: idSchema,
  survey: z.literal('csat').default('csat'),
  /** The language the texts are written in (the customer's), kept on the survey row. */
  language: z.enum(SURVEY_LANGUAGES),
  question: messageTextSchema.refine((text) => text.trim().length > 0, 'a survey needs a question'),
  commentPrompt: messageTextSchema.nullable().default(null),
  /** Where the customer answers: the token is appended (`…/api/v1/surveys/` → `…/api/v1/surveys/<token>`). */
  answerUrl: z.string().url().max(500),
})
export type SendSurveyInput = z.output<typeof sendSurveyInputSchema>

/** A survey token: 32 random bytes, URL-safe — the only credential of the public answer endpoint. */
export function newSurveyToken(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * Sends a CSAT survey to the customer of a conversation: a survey row with a fresh token and a service
 * message (author `system`, not the AI, so neither the AI reply cap nor a human handler holds it back)
 * with the question, the comment prompt and the answer link, through the outbox, in one transaction.
 * Surveys are service messages, not marketing: they need no marketing consent (see
 * docs/decisions/2026-11-25-surveys-and-triggers.md).
 */
export const sendSurveyAction: Action<SendSurveyInput> = {
  name: 'send_survey',
  input: sendSurveyInputSchema,
  async run(input, context) {
    const { actor, clock } = context
    return context.store.transaction(async (tx) => {
      const at = clock.now()
      const conversation = await tx.conversations.get(input.conversationId)
      const token = newSurveyToken()
      const link = `${input.answerUrl}${token}`
      const text = [input.question, input.commentPrompt, link].filter(Boolean).join('\n')
      const sent = await sendToCustomer(tx, {
        conversation,
        text,
        authorKind: 'system',
        authorId: null,
        idempotencyKey: context.idempotencyKey,
        actor,
        at,
      })
      const surveyId = await tx.surveys.insert({
        conversationId: conversation.id,
        customerId: conversation.customerId,
        messageId: sent.messageId,
        kind: input.survey,
        language: input.language,
        token,
        at,
      })
      await tx.audit(
        actor,
        {
          action: 'action.send_survey',
          targetType: 'survey',
          targetId: surveyId,
          details: { conversationId: conversation.id, language: input.language, messageId: sent.messageId },
        },
        at,
      )
      return actionResult('send_survey', 'done', [{ kind: 'survey', id: surveyId }, ...sent.effects])
    })
  },
}
