import { createHash } from 'node:crypto'
import { AppError, newId } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import { ATTACHMENT_MAX_BYTES, type Attachment, type AttachmentCreate } from '../../crm/attachments.js'
import { writeAudit } from '../audit.js'
import type { Db } from '../database.js'
import { listRows, type ListQuery, type Page } from '../entity-table.js'
import { inTransaction, type RepositoryContext } from './context.js'
import { resolveParents } from './parents.js'
import { attachmentsTable } from './tables.js'

/** Every column but `content`: lists and metadata never read the bytes. */
const METADATA_COLUMNS = [
  'id',
  'customerId',
  'conversationId',
  'messageId',
  'filename',
  'contentType',
  'size',
  'sha256',
  'createdAt',
] as const

/** The bytes of an attachment and how to serve them. */
export interface AttachmentContent {
  readonly filename: string
  readonly contentType: string
  readonly content: Buffer
}

/**
 * Inserts one attachment in the caller's transaction, with its size and SHA-256; returns its id. The caller
 * checked the parents and the size (the API's 700 KiB, email's `AGENTCRM_EMAIL_ATTACHMENT_MAX_BYTES`).
 */
export async function insertAttachment(
  context: RepositoryContext,
  db: Db,
  input: {
    readonly customerId: string | null
    readonly conversationId: string | null
    readonly messageId: string | null
    readonly filename: string
    readonly contentType: string
    readonly content: Uint8Array
    readonly at: Date
  },
): Promise<string> {
  const id = newId('attachment', input.at.getTime())
  const bytes = Buffer.from(input.content.buffer, input.content.byteOffset, input.content.byteLength)
  await db
    .insertInto('attachments')
    .values(
      context.store.codec.encode(attachmentsTable.columns, {
        id,
        customerId: input.customerId,
        conversationId: input.conversationId,
        messageId: input.messageId,
        filename: input.filename,
        contentType: input.contentType,
        size: bytes.byteLength,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        content: bytes,
        createdAt: input.at,
      }),
    )
    .execute()
  return id
}

/**
 * Attachments, stored as blobs in the database (so backups, transactions and erasure cover them) with their
 * SHA-256 and size. Metadata and content are read apart.
 */
export function createAttachmentsRepository(context: RepositoryContext) {
  const { store, clock } = context
  const codec = store.codec

  function notFound(id: string): AppError {
    return new AppError('CRM_ATTACHMENT_NOT_FOUND', `attachment "${id}" does not exist`, { details: { id } })
  }

  async function find(db: Db, id: string): Promise<Attachment | null> {
    if (id.includes('\u0000')) return null
    const row = await db
      .selectFrom('attachments')
      .select([...METADATA_COLUMNS])
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? null : codec.decode<Attachment>(attachmentsTable.columns, row)
  }

  async function get(id: string): Promise<Attachment> {
    const attachment = await find(store.db, id)
    if (attachment === null) throw notFound(id)
    return attachment
  }

  async function content(id: string): Promise<AttachmentContent> {
    const row = id.includes('\u0000')
      ? undefined
      : await store.db
          .selectFrom('attachments')
          .select(['filename', 'contentType', 'content'])
          .where('id', '=', id)
          .executeTakeFirst()
    if (row === undefined) throw notFound(id)
    const bytes = row.content as Uint8Array | null
    return {
      filename: row.filename as string,
      contentType: row.contentType as string,
      content:
        bytes === null ? Buffer.alloc(0) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    }
  }

  async function list(query: ListQuery): Promise<Page<Attachment>> {
    return listRows<Attachment>(store, attachmentsTable, query, (qb) =>
      qb.clearSelect().select([...METADATA_COLUMNS]),
    )
  }

  async function create(input: AttachmentCreate, actor: Actor): Promise<Attachment> {
    const bytes = Buffer.from(input.contentBase64, 'base64')
    if (bytes.byteLength > ATTACHMENT_MAX_BYTES) {
      throw new AppError(
        'CORE_BODY_TOO_LARGE',
        `the attachment is ${bytes.byteLength} bytes; at most ${ATTACHMENT_MAX_BYTES} (700 KiB) are accepted`,
        { details: { field: 'contentBase64', size: bytes.byteLength, limit: ATTACHMENT_MAX_BYTES } },
      )
    }
    const now = clock.now()
    const id = await inTransaction(store, async (db) => {
      const parents = await resolveParents(db, input)
      const id = await insertAttachment(context, db, {
        ...parents,
        filename: input.filename,
        contentType: input.contentType,
        content: bytes,
        at: now,
      })
      await writeAudit(
        db,
        codec,
        actor,
        {
          action: 'attachment.create',
          targetType: 'attachment',
          targetId: id,
          fields: Object.keys(input).filter((key) => key !== 'contentBase64'),
          details: { size: bytes.byteLength },
        },
        now,
      )
      return id
    })
    return get(id)
  }

  async function remove(id: string, actor: Actor): Promise<void> {
    const now = clock.now()
    await inTransaction(store, async (db) => {
      if ((await find(db, id)) === null) throw notFound(id)
      await db.deleteFrom('attachments').where('id', '=', id).execute()
      await writeAudit(
        db,
        codec,
        actor,
        { action: 'attachment.delete', targetType: 'attachment', targetId: id },
        now,
      )
    })
  }

  return { get, content, list, create, remove }
}

export type AttachmentsRepository = ReturnType<typeof createAttachmentsRepository>
