import { newId } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import type { Conversation } from '../../crm/conversations.js'
import type { Message, MessageCreate } from '../../crm/messages.js'
import { writeAudit } from '../audit.js'
import type { Db } from '../database.js'
import { getRow, listRows, type ListQuery, type Page } from '../entity-table.js'
import { inTransaction, type RepositoryContext } from './context.js'
import { recordLiveEvent } from '../live/live-events.js'
import { conversationsTable, messagesTable } from './tables.js'

/** A decoded `messages` row in the API shape; the content hash stays internal. */
export function messageFromRow(row: Record<string, unknown>): Message {
  const { contentHash: _contentHash, ...message } = row
  return message as unknown as Message
}

/** A message to insert; `conversation` is the row it belongs to. */
export interface NewMessage {
  readonly conversation: Pick<
    Conversation,
    'id' | 'inboxId' | 'customerId' | 'status' | 'firstResponseAt' | 'lastMessageAt' | 'resolvedAt'
  >
  readonly inboxId?: string
  readonly direction: Message['direction']
  readonly authorKind: Message['authorKind']
  readonly authorId: string | null
  readonly text: string
  readonly channelMessageId?: string | null
  readonly contentHash?: string | null
  readonly sentAt: string
}

/**
 * Inserts a message and brings its conversation up to date in the caller's transaction: `lastMessageAt`
 * moves forward, the first outbound reply by an agent or the AI sets `firstResponseAt`, and a customer
 * writing in makes the conversation `open` again (it needs an answer). Returns the new message id.
 */
export async function insertMessage(
  context: RepositoryContext,
  db: Db,
  message: NewMessage,
  now: Date,
): Promise<string> {
  const codec = context.store.codec
  const id = newId('message', now.getTime())
  const { conversation } = message
  await db
    .insertInto('messages')
    .values(
      codec.encode(messagesTable.columns, {
        id,
        conversationId: conversation.id,
        inboxId: message.inboxId ?? conversation.inboxId,
        customerId: conversation.customerId,
        direction: message.direction,
        authorKind: message.authorKind,
        authorId: message.authorId,
        text: message.text,
        channelMessageId: message.channelMessageId ?? null,
        contentHash: message.contentHash ?? null,
        deliveryStatus: message.direction === 'outbound' ? 'pending' : null,
        sentAt: message.sentAt,
        createdAt: now,
      }),
    )
    .execute()
  const later = (a: string | null, b: string) => (a !== null && Date.parse(a) >= Date.parse(b) ? a : b)
  const changes: Record<string, unknown> = {
    lastMessageAt: later(conversation.lastMessageAt, message.sentAt),
    updatedAt: now,
  }
  const isReply =
    message.direction === 'outbound' && (message.authorKind === 'agent' || message.authorKind === 'ai')
  if (isReply && conversation.firstResponseAt === null) changes.firstResponseAt = message.sentAt
  if (
    message.direction === 'inbound' &&
    message.authorKind === 'customer' &&
    conversation.status !== 'open'
  ) {
    changes.status = 'open'
    changes.resolvedAt = null
  }
  await db
    .updateTable('conversations')
    .set(codec.encode(conversationsTable.columns, changes))
    .where('id', '=', conversation.id)
    .execute()
  // announced in the same transaction: the console and the chat widget follow `live_events`
  await recordLiveEvent(
    db,
    codec,
    {
      kind: 'message.created',
      conversationId: conversation.id,
      customerId: conversation.customerId,
      messageId: id,
    },
    now,
  )
  return id
}

/** The messages of conversations: the thread (oldest first), one message, and adding one from the console or API. */
export function createMessagesRepository(context: RepositoryContext) {
  const { store, clock } = context

  async function get(id: string, db: Db = store.db): Promise<Message> {
    return messageFromRow(await getRow<Record<string, unknown>>(store, messagesTable, id, db))
  }

  /** The thread of a conversation, oldest first unless `sort` says otherwise; 404 for an unknown conversation. */
  async function listThread(conversationId: string, query: ListQuery): Promise<Page<Message>> {
    await getRow(store, conversationsTable, conversationId)
    const page = await listRows<Record<string, unknown>>(store, messagesTable, query, (qb) =>
      qb.where('conversationId', '=', conversationId),
    )
    return { items: page.items.map(messageFromRow), nextCursor: page.nextCursor }
  }

  /** Adds a message (an agent's reply or note to the thread); outbound messages wait for delivery (`pending`). */
  async function create(conversationId: string, input: MessageCreate, actor: Actor): Promise<Message> {
    const now = clock.now()
    const id = await inTransaction(store, async (db) => {
      const conversation = await getRow<Conversation>(store, conversationsTable, conversationId, db)
      const messageId = await insertMessage(
        context,
        db,
        {
          conversation,
          direction: input.direction,
          authorKind: input.authorKind,
          authorId: actor.kind === 'user' && input.authorKind === 'agent' ? actor.id : null,
          text: input.text,
          sentAt: input.sentAt ?? now.toISOString(),
        },
        now,
      )
      await writeAudit(
        db,
        store.codec,
        actor,
        {
          action: 'message.create',
          targetType: 'message',
          targetId: messageId,
          fields: Object.keys(input),
          details: { conversationId },
        },
        now,
      )
      return messageId
    })
    return get(id)
  }

  return { get, listThread, create }
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>
