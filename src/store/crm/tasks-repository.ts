import type { Task, TaskCreate, TaskPatch } from '../../crm/tasks.js'
import type { Db } from '../database.js'
import type { RepositoryContext } from './context.js'
import { resolveParents } from './parents.js'
import { createSimpleRepository } from './simple-repository.js'
import { tasksTable } from './tables.js'

async function parentsOf(db: Db, given: { customerId?: string | null; conversationId?: string | null }) {
  const { customerId, conversationId } = await resolveParents(db, given)
  return { customerId, conversationId }
}

/**
 * Tasks. `completedAt` is set when a task becomes `done` and cleared when it leaves `done`; a task on a
 * conversation is also filed under its customer.
 */
export function createTasksRepository(context: RepositoryContext) {
  const { clock } = context
  return createSimpleRepository<Task, TaskCreate, TaskPatch>(context, {
    spec: tasksTable,
    references: { assigneeId: 'users' },
    required: ['title', 'status', 'priority'],
    toRow: async (input, db) => ({
      ...input,
      ...(await parentsOf(db, input)),
      description: input.description ?? null,
      assigneeId: input.assigneeId ?? null,
      dueAt: input.dueAt ?? null,
      completedAt: input.status === 'done' ? clock.now().toISOString() : null,
    }),
    patchToRow: async (patch, current, db) => {
      const row: Record<string, unknown> = { ...patch }
      if (patch.customerId !== undefined || patch.conversationId !== undefined) {
        // Moving a task to another conversation moves it to that conversation's customer.
        const customerId =
          patch.customerId !== undefined ? patch.customerId : patch.conversationId ? null : current.customerId
        Object.assign(
          row,
          await parentsOf(db, {
            customerId,
            conversationId:
              patch.conversationId === undefined ? current.conversationId : patch.conversationId,
          }),
        )
      }
      if (patch.status !== undefined && patch.status !== current.status) {
        row.completedAt = patch.status === 'done' ? clock.now().toISOString() : null
      }
      return row
    },
  })
}

export type TasksRepository = ReturnType<typeof createTasksRepository>
