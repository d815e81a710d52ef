/**
 * Shapes of the message templates. A template is a string with `{slot}` placeholders, optionally preceded by
 * markers that say when it may be used (all must hold):
 *
 * - order state at the time of the message: `[shipped]` (in transit or delivered), `[unshipped]`,
 *   `[transit]` (shipped, not delivered), `[late]` (in transit past the promised date), `[delivered]`;
 * - the product talked about: `[sku:LM-AUD-001|LM-AUD-002]`, `[cat:audio|wearables]`,
 *   `[for:battery|screen|bluetooth|electronic]`, `[instock]`, `[soldout]`;
 * - who answers (replies only): `[ai]`, `[human]`;
 * - reply triggers `<word|other words>`: the reply answers a customer message containing one of the words
 *   (`@address` = the new address the customer gave). Replies without triggers are the general answers.
 *
 * Slots (filled from the customer's own data; a template whose slots cannot be filled is never chosen):
 * `{order}` order number · `{product}` product, as the customer calls it · `{date}` day the order was placed ·
 * `{eta}` expected delivery day · `{delivered}` delivery day · `{days}` whole days since the order (≥ 2) ·
 * `{amount}` order total or refund · `{phone}` / `{email}` the customer's own · `{city}` the customer's city ·
 * `{carrier}` courier · `{tracking}` tracking number · `{coupon}` a coupon code · `{address}` a new address ·
 * `{name}` the customer's name · `{first}` their first name · `{agent}` the agent's name; in English, verb
 * agreement with `{product}`: `{is}`/`{Is}`, `{does}`/`{Does}`, `{has}`, `{doesnt}` and the suffix `{s}`.
 */
import { BUILTIN_INTENT_LABELS } from '../../nlp/index.js'

/** The 18 built-in intents of CONTRACTS, one list for the demo generator and the models. */
export const INTENTS = BUILTIN_INTENT_LABELS

export type Intent = (typeof INTENTS)[number]

/** Templates grouped by the sentiment a reader would give the message. */
export interface SentimentTemplates {
  readonly positive?: readonly string[]
  readonly neutral?: readonly string[]
  readonly negative?: readonly string[]
}

export type CustomerTemplates<K extends string = Intent> = Readonly<Record<K, SentimentTemplates>>

/**
 * Keys of the agent's reply templates: one per intent, plus state-specific variants (`order_status:transit`)
 * and the moves every thread needs (hand-off to a human, a short follow-up answer, closing).
 */
export type ReplyKey =
  | Intent
  | 'order_status:unshipped'
  | 'order_status:transit'
  | 'order_status:delivered'
  | 'cancel_order:kept'
  | 'handoff'
  | 'human_intro'
  | 'human_greeting'
  | 'follow_up'
  | 'closing'

export type ReplyTemplates = Readonly<Record<ReplyKey, readonly string[]>>

/** Email subject lines per intent. */
export type SubjectTemplates = Readonly<Record<Intent, readonly string[]>>

/** Pieces that turn a chat message into an email: openings, sign-offs (may use `{name}`, `{first}`, `{phone}`). */
export interface EmailFrame {
  readonly customerOpenings: readonly string[]
  readonly customerClosings: readonly string[]
  readonly agentOpenings: readonly string[]
  readonly agentClosings: readonly string[]
}

/** Every customer-side phrase book of one language. */
export interface PhraseBook {
  readonly language: 'zh' | 'en'
  readonly customer: CustomerTemplates
  /** Short second messages in the same thread, labelled with the thread's intent. */
  readonly followUps: Partial<CustomerTemplates>
  readonly replies: ReplyTemplates
  readonly subjects: SubjectTemplates
  readonly email: EmailFrame
  readonly agentNames: readonly string[]
  readonly aiName: string
}
