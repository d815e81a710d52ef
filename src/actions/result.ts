/** What an action run did: its status and the ids of what it touched. */

/** What an action touched, by id (results carry ids only, never personal data). */
export type EffectKind =
  | 'message'
  | 'outbox'
  | 'approval'
  | 'notification'
  | 'note'
  | 'task'
  | 'conversation'
  | 'customer'
  | 'survey'

export interface ActionEffect {
  readonly kind: EffectKind
  readonly id: string
}

/**
 * The outcome of one action run:
 * - `done`: it did what was asked;
 * - `suggested`: a reply the AI may not send (a person handles the conversation, or the hourly cap is
 *   reached) became a draft for a person instead;
 * - `skipped`: there was nothing to do (`reason` says why).
 */
export interface ActionResult {
  readonly action: string
  readonly status: 'done' | 'suggested' | 'skipped'
  readonly reason: string | null
  readonly effects: readonly ActionEffect[]
  /** True when this idempotency key had run before: the stored result, nothing done again. */
  readonly replayed: boolean
}

/** A result with defaults filled in. */
export function actionResult(
  action: string,
  status: ActionResult['status'],
  effects: readonly ActionEffect[],
  reason: string | null = null,
): ActionResult {
  return { action, status, reason, effects, replayed: false }
}
