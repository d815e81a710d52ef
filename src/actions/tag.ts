import { z } from 'zod'
import { idSchema, tagSchema } from '../crm/index.js'
import type { Action } from './action.js'
import { actionResult } from './result.js'

const tagList = z.array(tagSchema).min(1).max(20)

export const tagInputSchema = z
  .strictObject({
    target: z.enum(['conversation', 'customer']),
    id: idSchema,
    add: tagList.default([]),
    remove: tagList.default([]),
  })
  .refine((input) => input.add.length > 0 || input.remove.length > 0, {
    message: 'give the tags to add, to remove, or both',
    path: ['add'],
  })
export type TagInput = z.output<typeof tagInputSchema>

/** The tags after adding and removing some; order kept, duplicates dropped, removal wins. */
export function retag(
  current: readonly string[],
  add: readonly string[],
  remove: readonly string[],
): string[] {
  const removed = new Set(remove)
  return [...new Set([...current, ...add])].filter((tag) => !removed.has(tag))
}

/** Adds and removes tags on a conversation or a customer (100 tags at most, as everywhere). */
export const tagAction: Action<TagInput> = {
  name: 'tag',
  input: tagInputSchema,
  async run(input, context) {
    const { actor, clock } = context
    return context.store.transaction(async (tx) => {
      const at = clock.now()
      const current =
        input.target === 'conversation'
          ? (await tx.conversations.get(input.id)).tags
          : (await tx.crm.customer(input.id)).tags
      const next = retag(current, input.add, input.remove)
      if (next.length === current.length && next.every((tag, index) => tag === current[index])) {
        return actionResult('tag', 'skipped', [], 'unchanged')
      }
      if (input.target === 'conversation') await tx.conversations.setTags(input.id, next, actor)
      else await tx.crm.updateCustomer(input.id, { tags: next }, actor)
      await tx.audit(
        actor,
        {
          action: 'action.tag',
          targetType: input.target,
          targetId: input.id,
          fields: ['tags'],
          details: { added: input.add.length, removed: input.remove.length },
        },
        at,
      )
      return actionResult('tag', 'done', [{ kind: input.target, id: input.id }])
    })
  },
}
