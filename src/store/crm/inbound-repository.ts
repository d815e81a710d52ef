import { createHash } from 'node:crypto'
import { AppError, newId } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import type { ChannelKind } from '../../crm/common.js'
import type { Conversation } from '../../crm/conversations.js'
import type { Customer } from '../../crm/customers.js'
import type { EmailEnvelope, InboundAttachment } from '../../crm/email.js'
import { normalizeIdentity, type IdentityKind } from '../../crm/identity.js'
import { DEFAULT_API_INBOX } from '../../crm/inboxes.js'
import type { ApiInboundMessage, InboundReceipt } from '../../crm/messages.js'
import { writeAudit } from '../audit.js'
import type { Db } from '../database.js'
import { findRow, translateConstraintError } from '../entity-table.js'
import { inTransaction, type RepositoryContext } from './context.js'
import { notificationsTable } from '../actions/tables.js'
import { fanOutNotification } from '../channels/notification-deliveries.js'
import { insertAttachment } from './attachments-repository.js'
import { insertMessage } from './messages-repository.js'
import {
  consentEventsTable,
  conversationsTable,
  customersTable,
  identitiesTable,
  inboxesTable,
} from './tables.js'

/** How often a receive that lost a race on a unique constraint is retried; the retry re-reads what won. */
const ATTEMPTS = 3

/**
 * A message as any channel hands it over (the API channel's body, or a webhook adapter's standard shape),
 * with where it arrived: `inboxId` null means the default `api` inbox, created on first use.
 */
export interface ChannelInboundMessage {
  readonly inboxId: string | null
  readonly channel: ChannelKind
  readonly from: ApiInboundMessage['from']
  readonly text: string
  readonly messageId: string
  readonly conversationId?: string
  readonly sentAt?: string
  /** The subject of a new conversation (email). */
  readonly subject?: string | null
  /**
   * The chat widget's visitor id (`vis_…`): then the visitor's `chat` identity alone finds the customer. A
   * typed email is kept on a new customer but never used to find one — anyone can type any address.
   */
  readonly chatVisitorId?: string
  /** A withdrawal of consent the message itself expressed (SMS `退订`), recorded in the same transaction. */
  readonly consentWithdrawal?: {
    readonly purpose: 'marketing'
    readonly channel: ChannelKind
    readonly source: string
  }
  /** Email: the envelope filed with the message; its In-Reply-To / References thread it. */
  readonly email?: EmailEnvelope
  /** Stored with the message, in its transaction (the caller checked the caps). */
  readonly attachments?: readonly InboundAttachment[]
}

/** Our outbound Message-IDs are `<msg_…@domain>` (src/channels/email): the local part is the message id. */
const OUR_MESSAGE_ID = /^<(msg_[0-9A-HJKMNP-TV-Z]{26})@/
/** Codec columns of `email_messages` (migration 0010). */
export const EMAIL_COLUMNS = {
  referenceIds: 'json',
  toAddresses: 'json',
  ccAddresses: 'json',
  headers: 'json',
  skippedAttachments: 'json',
  createdAt: 'time',
} as const

/** At most this many of a mail's references are looked up (the newest). */
const THREAD_REFERENCES = 50

/** The sender's identities, normalised, in the order they identify a customer. */
interface Sender {
  readonly identities: readonly { kind: IdentityKind; address: string }[]
  readonly email: string | null
  readonly phone: string | null
  readonly name: string | null
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}

/**
 * Messages that arrive from outside. `receiveApiMessage` files a message sent to the API channel: in one
 * transaction it finds or creates the customer (by email, then phone, then API external id), the default
 * `api` inbox and the conversation, and inserts the inbound message. A redelivery of the same `messageId`
 * with the same content changes nothing and answers `duplicate: true`; different content is refused (409).
 */
export function createInboundRepository(context: RepositoryContext) {
  const { store, clock } = context
  const codec = store.codec

  function senderOf(from: ApiInboundMessage['from'], chatVisitorId?: string): Sender {
    const email =
      from.email === undefined ? null : normalizeIdentity('email', from.email, context.defaultRegion)
    const phone =
      from.phone === undefined ? null : normalizeIdentity('phone', from.phone, context.defaultRegion)
    const externalId =
      from.externalId === undefined ? null : normalizeIdentity('api', from.externalId, context.defaultRegion)
    const identities: { kind: IdentityKind; address: string }[] = []
    if (email !== null) identities.push({ kind: 'email', address: email })
    if (phone !== null) identities.push({ kind: 'phone', address: phone })
    if (externalId !== null) identities.push({ kind: 'api', address: externalId })
    if (chatVisitorId !== undefined) {
      const visitor = [{ kind: 'chat' as const, address: normalizeIdentity('chat', chatVisitorId, '') }]
      return { identities: visitor, email, phone, name: from.name?.trim() || null }
    }
    return { identities, email, phone, name: from.name?.trim() || null }
  }

  /** SHA-256 over the text and the normalised sender: what "the same content" means for a redelivery. */
  function contentHashOf(text: string, sender: Sender, attachments?: readonly InboundAttachment[]): string {
    const from = Object.fromEntries(sender.identities.map((identity) => [identity.kind, identity.address]))
    const files = (attachments ?? []).map((file) => createHash('sha256').update(file.content).digest('hex'))
    return createHash('sha256')
      .update(
        JSON.stringify({ text, from: { ...from, name: sender.name }, ...(files.length ? { files } : {}) }),
      )
      .digest('hex')
  }

  /**
   * The conversation an email answers: the first of In-Reply-To, then References newest first, that is one
   * of our replies (`<msg_…@…>`) or a message received in this inbox. Null when none is known.
   */
  async function threadOf(db: Db, inboxId: string, email: EmailEnvelope): Promise<Conversation | null> {
    const references = [
      ...new Set([...(email.inReplyTo ? [email.inReplyTo] : []), ...[...email.references].reverse()]),
    ].slice(0, THREAD_REFERENCES)
    if (references.length === 0) return null
    const ours = references.flatMap((reference) => OUR_MESSAGE_ID.exec(reference)?.[1] ?? [])
    const found = new Map<string, string>()
    if (ours.length > 0) {
      const rows = await db
        .selectFrom('messages')
        .select(['id', 'conversationId'])
        .where('inboxId', '=', inboxId)
        .where('id', 'in', ours)
        .execute()
      for (const row of rows) found.set(`id:${String(row.id)}`, String(row.conversationId))
    }
    const received = await db
      .selectFrom('messages')
      .select(['channelMessageId', 'conversationId'])
      .where('inboxId', '=', inboxId)
      .where('channelMessageId', 'in', references)
      .execute()
    for (const row of received)
      found.set(`channel:${String(row.channelMessageId)}`, String(row.conversationId))
    for (const reference of references) {
      const ourId = OUR_MESSAGE_ID.exec(reference)?.[1]
      const conversationId =
        (ourId ? found.get(`id:${ourId}`) : undefined) ?? found.get(`channel:${reference}`)
      if (conversationId !== undefined)
        return findRow<Conversation>(store, conversationsTable, conversationId, db)
    }
    return null
  }

  /**
   * Issue 5 item 7: when the sender's identities belong to different customers (the email to one, the phone
   * to another), the message went to the first match (email before phone) and a person is asked whether they
   * are the same: a `duplicate_suggestion` notification, once per conversation and other customer — the same
   * storage the customer-information workflow uses. Customers are never merged automatically.
   */
  async function suggestDuplicates(
    db: Db,
    customer: Customer,
    conflicts: readonly { kind: IdentityKind; customerId: string }[],
    conversationId: string,
    now: Date,
  ): Promise<void> {
    if (conflicts.length === 0) return
    const earlier = await db
      .selectFrom('notifications')
      .select(['payload'])
      .where('kind', '=', 'duplicate_suggestion')
      .where('conversationId', '=', conversationId)
      .execute()
    const known = new Set(
      earlier.map((row) => {
        const payload = codec.decode<{ payload: Record<string, unknown> }>(
          notificationsTable.columns,
          row,
        ).payload
        return `${String(payload?.customerId)}:${String(payload?.otherCustomerId)}`
      }),
    )
    for (const conflict of conflicts) {
      if (known.has(`${customer.id}:${conflict.customerId}`)) continue
      known.add(`${customer.id}:${conflict.customerId}`)
      const id = newId('notification', now.getTime())
      await db
        .insertInto('notifications')
        .values(
          codec.encode(notificationsTable.columns, {
            id,
            kind: 'duplicate_suggestion',
            conversationId,
            userId: null,
            payload: {
              message: `Possible duplicate: the ${conflict.kind} this message came from belongs to another customer. Review and merge if they are the same person.`,
              customerId: customer.id,
              otherCustomerId: conflict.customerId,
              kind: conflict.kind,
              source: 'ingest',
            },
            readAt: null,
            createdAt: now,
          }),
        )
        .execute()
      await fanOutNotification(db, { notificationId: id, userId: null, at: now })
    }
  }

  /** The sender's identities held by customers other than `customer` (following merges). */
  async function conflictsOf(
    db: Db,
    customer: Customer,
    sender: Sender,
  ): Promise<{ kind: IdentityKind; customerId: string }[]> {
    const conflicts: { kind: IdentityKind; customerId: string }[] = []
    for (const identity of sender.identities) {
      const row = await db
        .selectFrom('identities as i')
        .innerJoin('customers as c', 'c.id', 'i.customerId')
        .select(['i.customerId as customerId', 'c.mergedIntoId as mergedIntoId'])
        .where('i.kind', '=', identity.kind)
        .where('i.address', '=', identity.address)
        .executeTakeFirst()
      if (row === undefined) continue
      const owner = String(row.mergedIntoId ?? row.customerId)
      if (owner !== customer.id && !conflicts.some((c) => c.customerId === owner)) {
        conflicts.push({ kind: identity.kind, customerId: owner })
      }
    }
    return conflicts
  }

  async function findOrCreateInbox(db: Db, actor: Actor, now: Date): Promise<string> {
    const existing = await findApiInbox(db)
    if (existing !== null) return existing
    const id = newId('inbox', now.getTime())
    await db
      .insertInto('inboxes')
      .values(
        codec.encode(inboxesTable.columns, {
          id,
          ...DEFAULT_API_INBOX,
          settings: {},
          active: true,
          createdAt: now,
          updatedAt: now,
        }),
      )
      .execute()
    await writeAudit(
      db,
      codec,
      actor,
      { action: 'inbox.create', targetType: 'inbox', targetId: id, fields: ['name', 'channel', 'address'] },
      now,
    )
    return id
  }

  /** The inbox a message goes to: the given one, or the default API inbox (null until its first message). */
  async function knownInboxOf(db: Db, input: ChannelInboundMessage): Promise<string | null> {
    return input.inboxId ?? (await findApiInbox(db))
  }

  async function findApiInbox(db: Db): Promise<string | null> {
    const row = await db
      .selectFrom('inboxes')
      .select(['id'])
      .where('channel', '=', DEFAULT_API_INBOX.channel)
      .where('address', '=', DEFAULT_API_INBOX.address)
      .executeTakeFirst()
    return row === undefined ? null : (row.id as string)
  }

  /** The customer behind the first identity that resolves (following merges), or null. */
  async function findCustomer(db: Db, sender: Sender): Promise<Customer | null> {
    for (const identity of sender.identities) {
      const row = await db
        .selectFrom('identities')
        .select(['customerId'])
        .where('kind', '=', identity.kind)
        .where('address', '=', identity.address)
        .executeTakeFirst()
      if (row === undefined) continue
      let customer = await findRow<Customer>(store, customersTable, row.customerId as string, db)
      if (customer?.mergedIntoId)
        customer = await findRow<Customer>(store, customersTable, customer.mergedIntoId, db)
      if (customer !== null) return customer
    }
    return null
  }

  async function createCustomer(
    db: Db,
    sender: Sender,
    channel: ChannelKind,
    actor: Actor,
    now: Date,
  ): Promise<Customer> {
    const id = newId('customer', now.getTime())
    await db
      .insertInto('customers')
      .values(
        codec.encode(customersTable.columns, {
          id,
          externalId: null,
          name: sender.name,
          email: sender.email,
          phone: sender.phone,
          locale: 'zh-CN',
          companyId: null,
          tier: 'standard',
          lifecycleStage: 'lead',
          acquisitionSource: channel,
          firstSeenAt: now,
          lastSeenAt: null,
          ownerId: null,
          tags: [],
          attributes: {},
          createdAt: now,
          updatedAt: now,
        }),
      )
      .execute()
    await writeAudit(
      db,
      codec,
      actor,
      { action: 'customer.create', targetType: 'customer', targetId: id, fields: ['name', 'email', 'phone'] },
      now,
    )
    return (await findRow<Customer>(store, customersTable, id, db)) as Customer
  }

  /**
   * Adds the sender's identities that nobody holds yet to `customer` (so the next message from any of them
   * finds the same person) and fills an empty email or phone. Identities held by someone else stay theirs.
   */
  async function claimFreeIdentities(db: Db, customer: Customer, sender: Sender, now: Date): Promise<void> {
    const othersHold = new Set<IdentityKind>()
    for (const identity of sender.identities) {
      const held = await db
        .selectFrom('identities')
        .select(['id', 'customerId'])
        .where('kind', '=', identity.kind)
        .where('address', '=', identity.address)
        .executeTakeFirst()
      if (held !== undefined) {
        if (String(held.customerId) !== customer.id) othersHold.add(identity.kind)
        continue
      }
      await db
        .insertInto('identities')
        .values(
          codec.encode(identitiesTable.columns, {
            id: newId('identity', now.getTime()),
            customerId: customer.id,
            kind: identity.kind,
            address: identity.address,
            verified: false,
            createdAt: now,
          }),
        )
        .execute()
    }
    const fill: Record<string, unknown> = {}
    // an address another customer holds is not copied onto this one (that is a duplicate to review)
    if (customer.email === null && sender.email !== null && !othersHold.has('email'))
      fill.email = sender.email
    if (customer.phone === null && sender.phone !== null && !othersHold.has('phone'))
      fill.phone = sender.phone
    if (Object.keys(fill).length > 0) {
      await db
        .updateTable('customers')
        .set(codec.encode(customersTable.columns, { ...fill, updatedAt: now }))
        .where('id', '=', customer.id)
        .execute()
    }
  }

  async function openConversation(
    db: Db,
    inboxId: string,
    customerId: string,
    input: ChannelInboundMessage,
    actor: Actor,
    now: Date,
  ): Promise<Conversation> {
    const open = await db
      .selectFrom('conversations')
      .selectAll()
      .where('inboxId', '=', inboxId)
      .where('customerId', '=', customerId)
      .where('status', 'in', ['open', 'pending'])
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst()
    if (open !== undefined) return codec.decode<Conversation>(conversationsTable.columns, open)
    const id = newId('conversation', now.getTime())
    await db
      .insertInto('conversations')
      .values(
        codec.encode(conversationsTable.columns, {
          id,
          inboxId,
          customerId,
          channel: input.channel,
          status: 'open',
          handler: 'ai',
          priority: 'normal',
          assigneeId: null,
          subject: input.subject ?? null,
          tags: [],
          firstResponseAt: null,
          resolvedAt: null,
          lastMessageAt: null,
          createdAt: now,
          updatedAt: now,
        }),
      )
      .execute()
    await writeAudit(
      db,
      codec,
      actor,
      { action: 'conversation.create', targetType: 'conversation', targetId: id, fields: ['customerId'] },
      now,
    )
    return (await findRow<Conversation>(store, conversationsTable, id, db)) as Conversation
  }

  async function insertEmail(
    db: Db,
    messageId: string,
    inboxId: string,
    email: EmailEnvelope,
    subject: string | null,
    now: Date,
  ): Promise<void> {
    await db
      .insertInto('email_messages')
      .values(
        codec.encode(EMAIL_COLUMNS, {
          messageId,
          inboxId,
          internetMessageId: email.internetMessageId,
          inReplyTo: email.inReplyTo,
          referenceIds: email.references,
          fromHeader: email.fromHeader,
          toAddresses: email.to,
          ccAddresses: email.cc,
          subject,
          headers: email.headers,
          originalText: email.originalText,
          automatic: email.automatic,
          skippedAttachments: email.skippedAttachments,
          receivedVia: email.receivedVia,
          createdAt: now,
        }),
      )
      .execute()
  }

  async function receiveOnce(
    db: Db,
    input: ChannelInboundMessage,
    sender: Sender,
    contentHash: string,
    actor: Actor,
  ): Promise<InboundReceipt> {
    const now = clock.now()
    const knownInbox = await knownInboxOf(db, input)
    if (knownInbox !== null) {
      const earlier = await db
        .selectFrom('messages')
        .select(['id', 'conversationId', 'customerId', 'contentHash'])
        .where('inboxId', '=', knownInbox)
        .where('channelMessageId', '=', input.messageId)
        .executeTakeFirst()
      if (earlier !== undefined) {
        if (earlier.contentHash !== contentHash) {
          throw new AppError(
            'CHANNEL_MESSAGE_ID_REUSED',
            `messageId "${input.messageId}" was already received with different content; give each message its own id`,
            { details: { messageId: input.messageId, existingMessageId: earlier.id } },
          )
        }
        return {
          messageId: earlier.id as string,
          conversationId: earlier.conversationId as string,
          customerId: earlier.customerId as string,
          duplicate: true,
        }
      }
    }
    const inboxId = knownInbox ?? (await findOrCreateInbox(db, actor, now))

    let conversation: Conversation | null = null
    if (input.conversationId !== undefined) {
      conversation = input.conversationId.includes('\u0000')
        ? null
        : await findRow<Conversation>(store, conversationsTable, input.conversationId, db)
      if (conversation === null) {
        throw new AppError(
          'CRM_CONVERSATION_NOT_FOUND',
          `conversation "${input.conversationId}" does not exist`,
          {
            details: { id: input.conversationId },
          },
        )
      }
    }
    let customer = await findCustomer(db, sender)
    let authorKind: 'customer' | 'system' = 'customer'
    if (conversation === null && input.email !== undefined) {
      const thread = await threadOf(db, inboxId, input.email)
      if (thread !== null && customer !== null && customer.id === thread.customerId) {
        conversation = thread
      } else if (thread !== null && input.email.automatic !== null) {
        // a bounce or an auto-reply to one of our replies: shown in that conversation, written by the system
        // (no customer is made of mailer-daemon, no identity claimed)
        conversation = thread
        authorKind = 'system'
        customer = await findRow<Customer>(store, customersTable, thread.customerId, db)
      }
    }
    if (conversation !== null && authorKind === 'customer') {
      if (customer !== null && customer.id !== conversation.customerId) {
        throw new AppError(
          'CORE_VALIDATION_FAILED',
          `conversation ${conversation.id} belongs to customer ${conversation.customerId}, but the sender is customer ${customer.id}; leave conversationId out or merge the customers`,
          { details: { field: 'conversationId', customerId: customer.id } },
        )
      }
      customer ??= await findRow<Customer>(store, customersTable, conversation.customerId, db)
    }
    customer ??= await createCustomer(db, sender, input.channel, actor, now)
    if (customer === null) throw new Error('the conversation points at a missing customer')
    const conflicts = authorKind === 'customer' ? await conflictsOf(db, customer, sender) : []
    if (authorKind === 'customer') await claimFreeIdentities(db, customer, sender, now)
    conversation ??= await openConversation(db, inboxId, customer.id, input, actor, now)

    const sentAt = input.sentAt ?? now.toISOString()
    const messageId = await insertMessage(
      context,
      db,
      {
        conversation,
        inboxId,
        direction: 'inbound',
        authorKind,
        authorId: null,
        text: input.text,
        channelMessageId: input.messageId,
        contentHash,
        sentAt,
      },
      now,
    )
    if (input.email !== undefined)
      await insertEmail(db, messageId, inboxId, input.email, input.subject ?? null, now)
    const attachmentIds: string[] = []
    for (const file of input.attachments ?? []) {
      attachmentIds.push(
        await insertAttachment(context, db, {
          customerId: customer.id,
          conversationId: conversation.id,
          messageId,
          filename: file.filename,
          contentType: file.contentType,
          content: file.content,
          at: now,
        }),
      )
    }
    await suggestDuplicates(db, customer, conflicts, conversation.id, now)
    if (
      authorKind === 'customer' &&
      (customer.lastSeenAt === null || Date.parse(customer.lastSeenAt) < Date.parse(sentAt))
    ) {
      await db
        .updateTable('customers')
        .set(codec.encode(customersTable.columns, { lastSeenAt: sentAt }))
        .where('id', '=', customer.id)
        .execute()
    }
    await writeAudit(
      db,
      codec,
      actor,
      {
        action: 'message.receive',
        targetType: 'message',
        targetId: messageId,
        fields: Object.keys(input).filter((key) => key !== 'inboxId' && key !== 'channel'),
        details: { channel: input.channel, conversationId: conversation.id },
      },
      now,
    )
    if (input.consentWithdrawal !== undefined) {
      await db
        .insertInto('consent_events')
        .values(
          codec.encode(consentEventsTable.columns, {
            id: newId('consent', now.getTime()),
            customerId: customer.id,
            purpose: input.consentWithdrawal.purpose,
            channel: input.consentWithdrawal.channel,
            status: 'withdrawn',
            source: input.consentWithdrawal.source,
            at: sentAt,
            recordedBy: actor.id,
          }),
        )
        .execute()
      await writeAudit(
        db,
        codec,
        actor,
        {
          action: 'consent.withdrawn',
          targetType: 'customer',
          targetId: customer.id,
          fields: ['purpose', 'channel', 'status', 'source'],
        },
        now,
      )
    }
    return {
      messageId,
      conversationId: conversation.id,
      customerId: customer.id,
      duplicate: false,
      ...(input.attachments !== undefined ? { attachmentIds } : {}),
    }
  }

  /**
   * Files a message from any channel, idempotently per inbox and `messageId` (see `receiveApiMessage`).
   * The inbox must exist when `inboxId` is given.
   */
  async function receive(input: ChannelInboundMessage, actor: Actor): Promise<InboundReceipt> {
    const sender = senderOf(input.from, input.chatVisitorId)
    const contentHash = contentHashOf(input.text, sender, input.attachments)
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(store, (db) => receiveOnce(db, input, sender, contentHash, actor))
      } catch (error) {
        // A concurrent delivery won a unique constraint (inbox, identity or message id): run again, and
        // the re-read finds what it wrote.
        if (attempt < ATTEMPTS && isUniqueViolation(error)) continue
        translateConstraintError(error, 'message')
      }
    }
  }

  /** The API channel (CONTRACTS): the default `api` inbox, created on first use. */
  function receiveApiMessage(input: ApiInboundMessage, actor: Actor): Promise<InboundReceipt> {
    return receive({ ...input, inboxId: null, channel: 'api' }, actor)
  }

  return { receive, receiveApiMessage }
}

export type InboundRepository = ReturnType<typeof createInboundRepository>
