import { AppError } from '../../core/index.js'
import { imapSettingsOf } from '../../crm/email.js'
import type { Inbox, InboxCreate, InboxPatch } from '../../crm/inboxes.js'
import type { Db } from '../database.js'
import type { RepositoryContext } from './context.js'
import { createSimpleRepository } from './simple-repository.js'
import { inboxesTable } from './tables.js'

/** Refuses a second inbox with the same channel and address with a 409 naming the one that exists. */
async function assertAddressFree(db: Db, channel: string, address: string | null | undefined, id?: string) {
  if (address === null || address === undefined) return
  let query = db
    .selectFrom('inboxes')
    .select(['id'])
    .where('channel', '=', channel)
    .where('address', '=', address)
  if (id !== undefined) query = query.where('id', '!=', id)
  const existing = await query.executeTakeFirst()
  if (existing !== undefined) {
    throw new AppError(
      'CRM_DUPLICATE',
      `the ${channel} inbox ${String(existing.id)} already has the address "${address}"; use another address or update that inbox`,
      { details: { field: 'address', inboxId: existing.id } },
    )
  }
}

/**
 * Inboxes: one address on one channel. The channel is fixed once created; (channel, address) is unique (409);
 * an inbox that conversations or messages point at cannot be deleted (409) — deactivate it instead.
 */
export function createInboxesRepository(context: RepositoryContext) {
  return createSimpleRepository<Inbox, InboxCreate, InboxPatch>(context, {
    spec: inboxesTable,
    required: ['name', 'active'],
    toRow: async (input, db) => {
      await assertAddressFree(db, input.channel, input.address)
      // an email inbox's IMAP settings are checked here (a password is refused: it lives in the environment)
      if (input.channel === 'email') imapSettingsOf(input.settings)
      return { ...input, address: input.address ?? null }
    },
    patchToRow: async (patch, current, db) => {
      if (patch.address !== undefined) await assertAddressFree(db, current.channel, patch.address, current.id)
      if (current.channel === 'email' && patch.settings) imapSettingsOf(patch.settings)
      return { ...patch, ...(patch.settings === null ? { settings: {} } : {}) }
    },
  })
}

export type InboxesRepository = ReturnType<typeof createInboxesRepository>
