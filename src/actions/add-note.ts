import { noteCreateSchema, type NoteCreate } from '../crm/index.js'
import type { Action } from './action.js'
import { actionResult } from './result.js'

/** An internal note on a customer or a conversation (never shown to the customer). */
export const addNoteAction: Action<NoteCreate> = {
  name: 'add_note',
  input: noteCreateSchema,
  async run(input, context) {
    const { actor, clock } = context
    return context.store.transaction(async (tx) => {
      const noteId = await tx.crm.addNote(input, actor)
      await tx.audit(
        actor,
        {
          action: 'action.add_note',
          targetType: 'note',
          targetId: noteId,
          fields: ['body'],
          details: {
            customerId: input.customerId ?? null,
            conversationId: input.conversationId ?? null,
          },
        },
        clock.now(),
      )
      return actionResult('add_note', 'done', [{ kind: 'note', id: noteId }])
    })
  },
}
