import { z } from 'zod'
import { isAppError } from '../core/index.js'
import { PlaceholderMap, detectLanguage, type RedactContext, type Redaction } from '../nlp/index.js'
import type { GenerateRequest, LanguageModel } from './language-model.js'

/** A knowledge passage the reply may draw on; `index` is the number the model cites it by. */
export interface DraftPassage {
  readonly index: number
  readonly externalId: string | null
  readonly articleId: string
  readonly title: string
  readonly passage: string
  readonly score: number
}

export interface DraftInput {
  /** The customer's language; the reply must be in it. */
  readonly language: 'zh' | 'en'
  readonly customerName?: string
  /** The customer's message, unredacted (redaction happens here). */
  readonly customerText: string
  /** The classified intent label (`refund_request`, …). */
  readonly intent: string
  /** The reply the agent built without a model; returned whenever drafting fails. */
  readonly fallbackReply: string
  readonly passages: readonly DraftPassage[]
  /** Facts already rendered as text (`订单 LM20261024-582130 已于 11月24日 发货`), unredacted. */
  readonly facts: readonly string[]
  /** Further personal data to hide, e.g. the other spellings of the customer's name or a recipient's. */
  readonly knownPersonalData?: { readonly names?: readonly string[] }
}

/** Why the fallback reply was used: an `LLM_*` error code of the model, or a `DRAFT_*` check that failed. */
export type DraftFallbackReason =
  | 'LLM_TIMEOUT'
  | 'LLM_RATE_LIMITED'
  | 'LLM_UNAVAILABLE'
  | 'LLM_BAD_RESPONSE'
  | 'LLM_CIRCUIT_OPEN'
  /** The caller's signal aborted the call. */
  | 'LLM_ABORTED'
  /** The model failed in a way no adapter code describes. */
  | 'LLM_FAILED'
  /** There was nothing to ground a reply on, so the model was not asked. */
  | 'DRAFT_NO_PASSAGES'
  | 'DRAFT_MALFORMED_JSON'
  | 'DRAFT_EMPTY_REPLY'
  | 'DRAFT_NO_CITATIONS'
  | 'DRAFT_UNKNOWN_CITATION'
  | 'DRAFT_UNKNOWN_PLACEHOLDER'
  | 'DRAFT_WRONG_LANGUAGE'
  /** Redaction or prompt building failed; nothing was sent. */
  | 'DRAFT_INTERNAL'

export interface DraftOutcome {
  readonly reply: string
  /** Passage indexes in order of use, the first the primary one; empty when the fallback is used. */
  readonly citedIndexes: readonly number[]
  readonly llm: {
    readonly used: boolean
    readonly provider?: string
    readonly model?: string
    readonly latencyMs?: number
    readonly fallbackReason?: DraftFallbackReason
  }
}

export interface DraftDeps {
  readonly model: LanguageModel
  /** `redact` from `src/nlp`. */
  readonly redact: (text: string, context?: RedactContext) => Redaction
  /** `restore` from `src/nlp`. */
  readonly restore: (redactedText: string, placeholders: ReadonlyMap<string, string>) => string
  /** Default phone region and order-number patterns, as the perceiver gets them. */
  readonly redactContext?: Omit<RedactContext, 'customerName'>
}

export interface DraftOptions {
  readonly signal?: AbortSignal
  /** Default 0.2: a support reply should be plain, not creative. */
  readonly temperature?: number
  /** Default 800. */
  readonly maxTokens?: number
}

/** Of the letters in a Chinese reply (Han weighted ×4, see `detectLanguage`), at least this share is Han. */
export const MIN_ZH_HAN_SHARE = 0.4
/** Of the letters in an English reply, at most this share is Han (product names may be Chinese). */
export const MAX_EN_HAN_SHARE = 0.2

/**
 * Any placeholder-shaped token: the ones `redact` writes (`[PHONE_1]`) and ones a model might make up
 * (`[ORDER_2]`). Broader than redact's own pattern on purpose, so invented kinds are caught too.
 */
const PLACEHOLDER = /\[[A-Z][A-Z_]*_\d{1,9}\]/g

const LLM_REASONS: ReadonlySet<string> = new Set([
  'LLM_TIMEOUT',
  'LLM_RATE_LIMITED',
  'LLM_UNAVAILABLE',
  'LLM_BAD_RESPONSE',
  'LLM_CIRCUIT_OPEN',
])

const citationSchema = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^\s*\d{1,6}\s*$/)
    .transform(Number),
])
const draftSchema = z.object({
  reply: z.string(),
  citations: z.array(citationSchema).optional(),
})

/**
 * Drafts a reply with a language model, grounded in the numbered passages, and checks it; on any failure
 * (the model's, or a check's) returns `input.fallbackReply` with `llm.used = false` and a
 * {@link DraftFallbackReason}. Never throws.
 *
 * Everything sent is redacted first — customer text, name, facts, passage titles and texts — with one
 * placeholder numbering across all of them, so `[PHONE_1]` means the same number wherever it appears and
 * the reply's placeholders are restored to the originals. A reply is refused when it is not the JSON
 * `{"reply", "citations"}`, is empty, cites nothing or a passage that does not exist, uses a placeholder the
 * request did not contain, or is not in `input.language`.
 *
 * @example
 *   const outcome = await draftReply(input, { model, redact, restore })
 *   outcome.llm.used ? outcome.reply : outcome.llm.fallbackReason // the reply is the fallback when unused
 */
export async function draftReply(
  input: DraftInput,
  deps: DraftDeps,
  options: DraftOptions = {},
): Promise<DraftOutcome> {
  const { model } = deps
  const fallback = (reason: DraftFallbackReason, latencyMs?: number): DraftOutcome => ({
    reply: input.fallbackReply,
    citedIndexes: [],
    llm: {
      used: false,
      provider: model.provider,
      model: model.model,
      ...(latencyMs === undefined ? {} : { latencyMs }),
      fallbackReason: reason,
    },
  })
  if (input.passages.length === 0) return fallback('DRAFT_NO_PASSAGES')
  if (options.signal?.aborted) return fallback('LLM_ABORTED')

  let prepared: PreparedRequest
  try {
    prepared = prepareRequest(input, deps, options)
  } catch {
    // A failure here is a bug, but the customer still gets the agent's own reply and nothing was sent.
    return fallback('DRAFT_INTERNAL')
  }

  let text: string
  let latencyMs: number
  try {
    const result = await model.generate(prepared.request, options.signal)
    text = result.text
    latencyMs = result.latencyMs
  } catch (error) {
    if (isAppError(error) && LLM_REASONS.has(error.code)) return fallback(error.code as DraftFallbackReason)
    return fallback(options.signal?.aborted ? 'LLM_ABORTED' : 'LLM_FAILED')
  }

  const checked = checkDraft(text, input, prepared.sentPlaceholders)
  if (!checked.ok) return fallback(checked.reason, latencyMs)
  let reply: string
  try {
    reply = deps.restore(checked.reply, prepared.placeholders)
  } catch {
    return fallback('DRAFT_INTERNAL', latencyMs)
  }
  return {
    reply,
    citedIndexes: checked.citedIndexes,
    llm: { used: true, provider: model.provider, model: model.model, latencyMs },
  }
}

interface PreparedRequest {
  readonly request: GenerateRequest
  /** Every placeholder-shaped token in the request: the only ones a reply may use. */
  readonly sentPlaceholders: ReadonlySet<string>
  /** Placeholder → original, across all fields. */
  readonly placeholders: ReadonlyMap<string, string>
}

function prepareRequest(input: DraftInput, deps: DraftDeps, options: DraftOptions): PreparedRequest {
  const names = uniqueNames([input.customerName, ...(input.knownPersonalData?.names ?? [])])
  const fields = [
    input.customerText,
    input.customerName ?? '',
    ...input.facts,
    ...input.passages.flatMap((passage) => [passage.title, passage.passage]),
  ]
  const space = createPlaceholderSpace(fields, names, deps)
  const customerText = space.redactField(input.customerText)
  // The name line is left out unless the whole name became one placeholder: never send a name half-hidden.
  const customerName = input.customerName === undefined ? '' : space.redactField(input.customerName)
  const nameLine = /^\[NAME_\d{1,9}\]$/.test(customerName) ? `Customer's name: ${customerName}\n` : ''
  const facts = input.facts.map((fact) => `- ${space.redactField(fact)}`)
  const passages = input.passages.map(
    (passage) =>
      `[${passage.index}] ${space.redactField(passage.title)}\n${space.redactField(passage.passage).trim()}`,
  )
  const languageName = input.language === 'zh' ? 'Simplified Chinese (简体中文)' : 'English'
  const system = [
    "You are a customer-service agent. Write the reply to the customer's latest message.",
    'Rules:',
    '- Use ONLY the numbered passages and the facts below. If they do not answer the question, say so briefly and offer to pass the question to a human colleague. Never guess policies, dates, prices or amounts.',
    `- Write the reply in ${languageName}, the customer's language: friendly, concise, at most about 120 words.`,
    '- Personal data is hidden behind placeholders such as [NAME_1] or [PHONE_1]. Copy a placeholder exactly when you need it; never invent one and never guess what it hides.',
    '- Do not put citation markers such as [1] in the reply text.',
    '- Answer with one JSON object and nothing else: {"reply": "<the reply>", "citations": [<the numbers of the passages you used, the most important first>]}.',
    '',
    `${nameLine}Intent of the message: ${input.intent}`,
    '',
    'Facts:',
    facts.length > 0 ? facts.join('\n') : '- (none)',
    '',
    'Passages:',
    passages.join('\n\n'),
  ].join('\n')
  const request: GenerateRequest = {
    system,
    messages: [{ role: 'user', content: customerText }],
    temperature: options.temperature ?? 0.2,
    maxTokens: options.maxTokens ?? 800,
    responseFormat: 'json',
  }
  const sentPlaceholders = new Set<string>()
  for (const text of [system, customerText])
    for (const token of text.match(PLACEHOLDER) ?? []) sentPlaceholders.add(token)
  return { request, sentPlaceholders, placeholders: space.placeholders }
}

function uniqueNames(names: readonly (string | undefined)[]): string[] {
  const seen = new Set<string>()
  for (const name of names) {
    const trimmed = name?.trim()
    if (trimmed !== undefined && trimmed.length > 0) seen.add(trimmed)
  }
  return [...seen]
}

interface PlaceholderSpace {
  /** The field redacted, with placeholders numbered across every field redacted so far. */
  redactField(text: string): string
  readonly placeholders: PlaceholderMap
}

/**
 * One numbering of placeholders across many fields. `redact` numbers each text on its own (`[PHONE_1]` in
 * the facts would be another phone than `[PHONE_1]` in the message), so each field's placeholders are
 * renumbered here: the same kind and original text get the same placeholder everywhere. Placeholder-shaped
 * text the customer typed themselves (in any field) keeps its literal meaning and its number is never used.
 */
function createPlaceholderSpace(
  fields: readonly string[],
  names: readonly string[],
  deps: Pick<DraftDeps, 'redact' | 'restore' | 'redactContext'>,
): PlaceholderSpace {
  const taken = new Set<string>()
  for (const field of fields) for (const token of field.match(PLACEHOLDER) ?? []) taken.add(token)
  const placeholders = new PlaceholderMap()
  const byOriginal = new Map<string, string>()
  const next = new Map<string, number>()
  const globalPlaceholder = (prefix: string, original: string): string => {
    const key = `${prefix}\u0000${original}`
    let placeholder = byOriginal.get(key)
    if (placeholder !== undefined) return placeholder
    do {
      const number = next.get(prefix) ?? 1
      next.set(prefix, number + 1)
      placeholder = `[${prefix}_${number}]`
    } while (taken.has(placeholder))
    byOriginal.set(key, placeholder)
    placeholders.set(placeholder, original)
    return placeholder
  }
  return {
    placeholders,
    redactField(text) {
      // `redact` knows one customer name per call; further names take further passes over its output.
      const local = new Map<string, string>()
      let current = text
      for (const customerName of names.length > 0 ? names : [undefined]) {
        const result = deps.redact(current, { ...deps.redactContext, customerName })
        for (const [placeholder, original] of result.placeholders) {
          local.set(placeholder, deps.restore(original, local))
        }
        current = result.redactedText
      }
      return current.replace(PLACEHOLDER, (placeholder) => {
        const original = local.get(placeholder)
        if (original === undefined) return placeholder
        return globalPlaceholder(placeholder.slice(1, placeholder.lastIndexOf('_')), original)
      })
    },
  }
}

type CheckedDraft =
  | { readonly ok: true; readonly reply: string; readonly citedIndexes: number[] }
  | { readonly ok: false; readonly reason: DraftFallbackReason }

function checkDraft(text: string, input: DraftInput, sentPlaceholders: ReadonlySet<string>): CheckedDraft {
  const parsed = draftSchema.safeParse(parseJsonObject(text))
  if (!parsed.success) return { ok: false, reason: 'DRAFT_MALFORMED_JSON' }
  const known = new Set(input.passages.map((passage) => passage.index))
  const reply = stripCitationMarkers(parsed.data.reply, known).trim()
  if (reply.length === 0) return { ok: false, reason: 'DRAFT_EMPTY_REPLY' }
  const citedIndexes = [...new Set(parsed.data.citations ?? [])]
  if (citedIndexes.length === 0) return { ok: false, reason: 'DRAFT_NO_CITATIONS' }
  if (citedIndexes.some((index) => !known.has(index))) return { ok: false, reason: 'DRAFT_UNKNOWN_CITATION' }
  if ((reply.match(PLACEHOLDER) ?? []).some((token) => !sentPlaceholders.has(token))) {
    return { ok: false, reason: 'DRAFT_UNKNOWN_PLACEHOLDER' }
  }
  if (!inLanguage(reply, input.language)) return { ok: false, reason: 'DRAFT_WRONG_LANGUAGE' }
  return { ok: true, reply, citedIndexes }
}

/**
 * The JSON object in a model's answer. Tolerates what models add around it despite being told not to:
 * a reasoning block (`<think>…</think>`), a Markdown fence, a sentence before or after.
 */
function parseJsonObject(text: string): unknown {
  const cleaned = text
    .replace(/<think>[\s\S]*?<\/think>/g, '')
    .trim()
    .replace(/^```(?:json)?\s*|\s*```$/g, '')
  for (const candidate of [cleaned, cleaned.slice(cleaned.indexOf('{'), cleaned.lastIndexOf('}') + 1)]) {
    if (candidate.length === 0) continue
    try {
      return JSON.parse(candidate)
    } catch {
      // try the next candidate
    }
  }
  return undefined
}

/** Drops `[2]`-style markers of known passages, which models add despite the instructions. */
function stripCitationMarkers(reply: string, known: ReadonlySet<number>): string {
  return reply.replace(/ ?\[(\d{1,6})\]/g, (marker, number: string) =>
    known.has(Number(number)) ? '' : marker,
  )
}

function inLanguage(reply: string, language: DraftInput['language']): boolean {
  const { shares } = detectLanguage(reply.replace(PLACEHOLDER, ' '))
  if (language === 'zh') return shares.han >= MIN_ZH_HAN_SHARE
  return shares.han <= MAX_EN_HAN_SHARE && shares.other < 0.5
}
