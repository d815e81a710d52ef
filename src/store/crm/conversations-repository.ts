import { AppError } from '../../core/index.js'
import { handlerAfterStatusChange } from '../../actions/index.js'
import {
  isResolvedStatus,
  type Conversation,
  type ConversationCreate,
  type ConversationPatch,
} from '../../crm/conversations.js'
import { containsText, listRows, type ListQuery, type Page } from '../entity-table.js'
import type { RepositoryContext } from './context.js'
import { createSimpleRepository } from './simple-repository.js'
import { conversationsTable } from './tables.js'
import { recordLiveEvent } from '../live/live-events.js'

function refuseAiWithAssignee(handler: string | undefined, assigneeId: string | null | undefined): void {
  if (assigneeId && handler === 'ai') {
    throw new AppError(
      'CORE_VALIDATION_FAILED',
      'an assigned conversation is handled by a human; leave handler out or set it to human',
      { details: { field: 'handler' } },
    )
  }
}

/**
 * Conversations (service tickets). The channel is the inbox's; assigning someone makes the handler `human`;
 * resolving (or closing) sets `resolvedAt`, reopening clears it. `q` searches the subject and the text of the
 * conversation's messages, in Chinese and English.
 */
export function createConversationsRepository(context: RepositoryContext) {
  const { store, clock } = context
  const repository = createSimpleRepository<Conversation, ConversationCreate, ConversationPatch>(context, {
    spec: conversationsTable,
    references: { inboxId: 'inboxes', customerId: 'customers', assigneeId: 'users' },
    required: ['status', 'handler', 'priority'],
    toRow: async (input, db) => {
      refuseAiWithAssignee(input.handler, input.assigneeId)
      const inbox = await db
        .selectFrom('inboxes')
        .select(['channel'])
        .where('id', '=', input.inboxId)
        .executeTakeFirstOrThrow()
      return {
        ...input,
        channel: inbox.channel,
        handler: input.assigneeId ? 'human' : (input.handler ?? 'ai'),
        assigneeId: input.assigneeId ?? null,
        subject: input.subject ?? null,
        tags: [...new Set(input.tags)],
        resolvedAt: isResolvedStatus(input.status) ? clock.now().toISOString() : null,
      }
    },
    patchToRow: async (patch, current, db) => {
      refuseAiWithAssignee(patch.handler, patch.assigneeId)
      // announced in the update's transaction (see store/live)
      await recordLiveEvent(
        db,
        store.codec,
        { kind: 'conversation.updated', conversationId: current.id, customerId: current.customerId },
        clock.now(),
      )
      const row: Record<string, unknown> = { ...patch }
      if (patch.tags !== undefined) row.tags = patch.tags === null ? [] : [...new Set(patch.tags)]
      if (patch.assigneeId) row.handler = 'human'
      if (patch.status !== undefined) {
        if (!isResolvedStatus(patch.status)) row.resolvedAt = null
        else if (!isResolvedStatus(current.status)) row.resolvedAt = clock.now().toISOString()
        // Takeover (issue 5): resolving returns the conversation to the AI unless the patch says otherwise.
        if (patch.handler === undefined && patch.assigneeId === undefined) {
          const handler = handlerAfterStatusChange(current, patch.status)
          if (handler !== current.handler) row.handler = handler
        }
      }
      return row
    },
  })

  async function list(query: ListQuery): Promise<Page<Conversation>> {
    return listRows<Conversation>(store, conversationsTable, query, undefined, (eb, q) =>
      eb.exists(
        eb
          .selectFrom('messages')
          .select('messages.id')
          .whereRef('messages.conversationId', '=', 'conversations.id')
          .where((inner) => containsText(inner, store.dialect, 'messages.text', q)),
      ),
    )
  }

  return { ...repository, list }
}

export type ConversationsRepository = ReturnType<typeof createConversationsRepository>
