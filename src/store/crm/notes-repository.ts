import type { Actor } from '../../crm/actor.js'
import type { Note, NoteCreate, NotePatch } from '../../crm/notes.js'
import type { RepositoryContext } from './context.js'
import { resolveParents } from './parents.js'
import { createSimpleRepository } from './simple-repository.js'
import { notesTable } from './tables.js'

/**
 * Internal notes on customers and conversations. The author is the acting user (null for tokens and the
 * system); a note on a conversation is also filed under its customer.
 */
export function createNotesRepository(context: RepositoryContext) {
  const repository = createSimpleRepository<Note, NoteCreate & { authorId: string | null }, NotePatch>(
    context,
    {
      spec: notesTable,
      required: ['body'],
      toRow: async (input, db) => {
        const { customerId, conversationId } = await resolveParents(db, input)
        return { customerId, conversationId, authorId: input.authorId, body: input.body }
      },
    },
  )
  return {
    ...repository,
    create: (input: NoteCreate, actor: Actor) =>
      repository.create({ ...input, authorId: actor.kind === 'user' ? actor.id : null }, actor),
  }
}

export type NotesRepository = ReturnType<typeof createNotesRepository>
