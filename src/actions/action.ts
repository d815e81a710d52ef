/**
 * The executor's one extension point (STYLE.md): an action is a name, a zod input schema and `run`. The
 * context holds a few named things — who acts, the clock, the store port and the idempotency key — never
 * the whole app.
 */
import type { z } from 'zod'
import { AppError, type Clock } from '../core/index.js'
import type { Actor } from '../crm/index.js'
import type { ActionStore } from './ports.js'
import type { ActionResult } from './result.js'

export interface ActionContext {
  readonly actor: Actor
  readonly clock: Clock
  readonly store: ActionStore
  /**
   * Identifies this effect across retries (a run and step, an inbound message, a client's
   * `Idempotency-Key`): a second run with the same key returns the first result and acts no more.
   */
  readonly idempotencyKey: string | null
}

export interface Action<Input> {
  readonly name: string
  readonly input: z.ZodType<Input>
  run(input: Input, context: ActionContext): Promise<ActionResult>
}

/**
 * Runs an action: validates the input (400 `ACTION_INVALID_INPUT` naming every bad field), then in one
 * transaction either replays the result stored under the idempotency key or runs the action and stores its
 * result with its effects. A key used before by another action is refused (409).
 *
 * @example
 *   await runAction(replyAction, { conversationId, text: '您好' }, { actor, clock, store, idempotencyKey: 'run_1:step_3' })
 */
export async function runAction<Input>(
  action: Action<Input>,
  input: unknown,
  context: ActionContext,
): Promise<ActionResult> {
  const parsed = action.input.safeParse(input)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }))
    throw new AppError(
      'ACTION_INVALID_INPUT',
      `${action.name}: ${issues.map((issue) => `${issue.path || '(input)'}: ${issue.message}`).join('; ')}`,
      { details: { action: action.name, issues } },
    )
  }
  const key = context.idempotencyKey
  const attempt = () => runOnce(action, parsed.data, context, key)
  try {
    return await attempt()
  } catch (error) {
    // Two runs with the same key at once (a job delivered twice): the loser's transaction fails on the
    // key's unique index and rolls back; run again, it finds the winner's result and replays it.
    if (key === null) throw error
    const stored = await context.store.transaction((tx) => tx.effects.find(key))
    if (stored === null) throw error
    return attempt()
  }
}

async function runOnce<Input>(
  action: Action<Input>,
  input: Input,
  context: ActionContext,
  key: string | null,
): Promise<ActionResult> {
  return context.store.transaction(async (tx) => {
    if (key !== null) {
      const previous = await tx.effects.find(key)
      if (previous !== null) {
        if (previous.action !== action.name) {
          throw new AppError(
            'ACTION_IDEMPOTENCY_KEY_REUSED',
            `idempotency key "${key}" was used by ${previous.action}, not ${action.name}; use a new key`,
            { details: { idempotencyKey: key, action: previous.action } },
          )
        }
        return { ...previous.result, replayed: true }
      }
    }
    const result = await action.run(input, { ...context, store: tx })
    if (key !== null) await tx.effects.record(key, action.name, result, context.clock.now())
    return result
  })
}
