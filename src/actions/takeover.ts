/**
 * Human takeover (issue 5, item 3), as pure rules: who handles a conversation after an event, what the AI
 * may do while it is handled, and the cap on the AI's own replies. The store applies them; the executor and
 * the agent → actions bridge consult them inside the transaction that acts.
 */
import { isResolvedStatus, type ConversationStatus, type Handler } from '../crm/index.js'

/** Who handles a conversation and who owns it. */
export interface HandlerState {
  readonly handler: Handler
  readonly assigneeId: string | null
}

/**
 * What changes the handler:
 * - `hand_off`: the agent (or a rule) passes it to a person; it keeps its assignee, else lands in the
 *   unassigned queue;
 * - `assign`: someone is made its owner;
 * - `human_reply`: a person replied; an unowned conversation becomes the replier's;
 * - `resolve`: resolved or closed; the AI takes the next message, the assignee stays as who resolved it;
 * - `give_back`: a person hands it back to the AI explicitly and lets go of it.
 */
export type TakeoverEvent =
  | { readonly kind: 'hand_off'; readonly assigneeId?: string | null }
  | { readonly kind: 'assign'; readonly assigneeId: string }
  | { readonly kind: 'human_reply'; readonly userId: string | null }
  | { readonly kind: 'resolve' }
  | { readonly kind: 'give_back' }

/**
 * The handler and assignee after an event.
 *
 * @example
 *   handlerAfter({ handler: 'ai', assigneeId: null }, { kind: 'hand_off' }) // → { handler: 'human', assigneeId: null }
 */
export function handlerAfter(state: HandlerState, event: TakeoverEvent): HandlerState {
  switch (event.kind) {
    case 'hand_off':
      return { handler: 'human', assigneeId: event.assigneeId ?? state.assigneeId }
    case 'assign':
      return { handler: 'human', assigneeId: event.assigneeId }
    case 'human_reply':
      return { handler: 'human', assigneeId: state.assigneeId ?? event.userId }
    case 'resolve':
      return { handler: 'ai', assigneeId: state.assigneeId }
    case 'give_back':
      return { handler: 'ai', assigneeId: null }
  }
}

/**
 * The handler after a status change: resolving (or closing) an open conversation returns it to the AI; any
 * other change leaves it. An explicit handler in the same change wins over this rule.
 */
export function handlerAfterStatusChange(
  current: { readonly status: ConversationStatus; readonly handler: Handler },
  next: ConversationStatus,
): Handler {
  return isResolvedStatus(next) && !isResolvedStatus(current.status) ? 'ai' : current.handler
}

/**
 * True when the AI may send to the customer on its own. While a person handles the conversation the AI
 * only drafts suggestions for them.
 */
export function aiMaySend(handler: Handler): boolean {
  return handler === 'ai'
}

/** How many replies the AI may send per conversation per hour unless configured otherwise. */
export const DEFAULT_AI_REPLIES_PER_HOUR = 5

/** The window the reply cap counts in. */
export const REPLY_CAP_WINDOW_MS = 60 * 60 * 1000

/** Where the reply cap's window starts for `now`. */
export function replyCapWindowStart(now: Date): Date {
  return new Date(now.getTime() - REPLY_CAP_WINDOW_MS)
}

/**
 * True when the AI has used up its replies: `sentInWindow` replies it sent on its own in the last hour
 * (drafts a person approved do not count) against a limit of `perHour` (0: the AI never sends on its own).
 */
export function replyCapReached(sentInWindow: number, perHour: number): boolean {
  return sentInWindow >= perHour
}

/** Settings of the executor that an admin can change (stored, so every worker sees the same). */
export interface ActionLimits {
  /** AI replies per conversation per hour; beyond it the conversation goes to a person. */
  readonly aiRepliesPerHour: number
}

export const DEFAULT_ACTION_LIMITS: ActionLimits = Object.freeze({
  aiRepliesPerHour: DEFAULT_AI_REPLIES_PER_HOUR,
})
