import { taskCreateSchema, type TaskCreate } from '../crm/index.js'
import type { Action } from './action.js'
import { actionResult } from './result.js'

/** A task for a person (a follow-up, a call back), on a customer or a conversation. */
export const createTaskAction: Action<TaskCreate> = {
  name: 'create_task',
  input: taskCreateSchema,
  async run(input, context) {
    const { actor, clock } = context
    return context.store.transaction(async (tx) => {
      const taskId = await tx.crm.createTask(input, actor)
      await tx.audit(
        actor,
        {
          action: 'action.create_task',
          targetType: 'task',
          targetId: taskId,
          fields: Object.keys(input),
          details: { assigneeId: input.assigneeId ?? null },
        },
        clock.now(),
      )
      return actionResult('create_task', 'done', [{ kind: 'task', id: taskId }])
    })
  },
}
