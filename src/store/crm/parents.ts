import { AppError } from '../../core/index.js'
import type { Db } from '../database.js'
import { assertExists } from './context.js'

/** What a note, task or attachment hangs on. */
export interface Parents {
  customerId: string | null
  conversationId: string | null
  messageId: string | null
}

function conflict(field: string, given: string, implied: string, source: string): AppError {
  return new AppError(
    'CORE_VALIDATION_FAILED',
    `${field} "${given}" does not match ${source}, which belongs to ${implied}; leave ${field} out or fix it`,
    { details: { field, given, expected: implied } },
  )
}

/**
 * Checks the parent ids given for a note, task or attachment (400 naming a missing one) and fills the ones
 * implied by the others: a message implies its conversation, a conversation its customer. Ids that
 * contradict each other are refused (400).
 */
export async function resolveParents(
  db: Db,
  given: { customerId?: string | null; conversationId?: string | null; messageId?: string | null },
): Promise<Parents> {
  const parents: Parents = {
    customerId: given.customerId ?? null,
    conversationId: given.conversationId ?? null,
    messageId: given.messageId ?? null,
  }
  await assertExists(db, 'customers', parents.customerId, 'customerId')
  await assertExists(db, 'conversations', parents.conversationId, 'conversationId')
  await assertExists(db, 'messages', parents.messageId, 'messageId')
  if (parents.messageId !== null) {
    const message = await db
      .selectFrom('messages')
      .select(['conversationId'])
      .where('id', '=', parents.messageId)
      .executeTakeFirstOrThrow()
    const implied = message.conversationId as string
    if (parents.conversationId !== null && parents.conversationId !== implied) {
      throw conflict('conversationId', parents.conversationId, implied, `message ${parents.messageId}`)
    }
    parents.conversationId = implied
  }
  if (parents.conversationId !== null) {
    const conversation = await db
      .selectFrom('conversations')
      .select(['customerId'])
      .where('id', '=', parents.conversationId)
      .executeTakeFirstOrThrow()
    const implied = conversation.customerId as string
    if (parents.customerId !== null && parents.customerId !== implied) {
      throw conflict('customerId', parents.customerId, implied, `conversation ${parents.conversationId}`)
    }
    parents.customerId = implied
  }
  return parents
}
