import { findEntities, isHan, type EntityContext, type EntityType } from './entities/index.js'

/** What redaction replaces; each kind has its own placeholder prefix. */
export type RedactionKind = 'phone' | 'email' | 'id' | 'card' | 'address' | 'name'

const PREFIX: Readonly<Record<RedactionKind, string>> = {
  phone: 'PHONE',
  email: 'EMAIL',
  id: 'ID',
  card: 'CARD',
  address: 'ADDRESS',
  name: 'NAME',
}

/** Any placeholder this module writes: `[PHONE_1]` … `[NAME_12]`. */
const PLACEHOLDER = /\[(?:PHONE|EMAIL|ID|CARD|ADDRESS|NAME)_\d{1,9}\]/g

/** Entity types that are personal data. Order numbers, amounts, dates and products are not, and stay. */
const PERSONAL: Partial<Readonly<Record<EntityType, RedactionKind>>> = {
  phone: 'phone',
  email: 'email',
  cn_id_number: 'id',
  bank_card: 'card',
  address: 'address',
}

/**
 * Extraction context for redaction. `now` is optional (dates are not personal data); order-number patterns
 * matter because an order number is kept and must not be taken for a card.
 */
export type RedactContext = Omit<EntityContext, 'now' | 'products'> & { readonly now?: Date }

/** `[PHONE_1]` → the original text. Printing or serialising the map shows only its size. */
export class PlaceholderMap extends Map<string, string> {
  toJSON(): { size: number } {
    return { size: this.size }
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `PlaceholderMap(${this.size} hidden)`
  }
}

export interface Redaction {
  /** The text with personal data replaced by typed placeholders. */
  readonly redactedText: string
  /** Placeholder → original; the only way back. Not enumerable, never serialised, never printed. */
  readonly placeholders: Map<string, string>
  /** How many spans of each kind were replaced. */
  readonly counts: Readonly<Record<RedactionKind, number>>
  /** What JSON.stringify and loggers see: the redacted text and the counts, never the mapping. */
  toJSON(): { redactedText: string; counts: Readonly<Record<RedactionKind, number>> }
}

interface Span {
  readonly start: number
  readonly end: number
  readonly kind: RedactionKind
}

/**
 * Replaces phones, emails, resident ids, card numbers, addresses and the customer's own name with typed
 * placeholders (`[PHONE_1]`, `[EMAIL_1]`, `[ID_1]`, `[CARD_1]`, `[ADDRESS_1]`, `[NAME_1]`), numbered per kind
 * in order of appearance; the same original text always gets the same placeholder. A placeholder that
 * already occurs in the text is skipped, so {@link restore} gives back exactly the original.
 *
 * The name is matched whole (Latin names ignoring case); its parts alone too: for a Chinese name of 2–3
 * characters the given name (张小明 → 小明; a compound surname such as 欧阳 is recognised) — anywhere when it
 * has two characters, only standing alone (not next to other Han characters) when it has one; for a Latin
 * name each part of two or more letters, with the same capitalisation, as a whole word.
 *
 * @example
 *   const result = redact('我是张小明，电话13800138000', { customerName: '张小明' })
 *   result.redactedText // '我是[NAME_1]，电话[PHONE_1]'
 *   restore(result.redactedText, result.placeholders) // the original
 */
export function redact(text: string, context: RedactContext = {}): Redaction {
  const spans: Span[] = []
  const occupied = new Uint8Array(text.length)
  // Entities are found in the full-width-folded text; offsets are the same, so originals come from `text`.
  const entities = findEntities(foldFullWidth(text), context, {
    types: ['email', 'cn_id_number', 'order_number', 'phone', 'bank_card', 'amount', 'address'],
  })
  for (const entity of entities) {
    // Every entity claims its span, so a name is never looked for inside an order number either.
    occupied.fill(1, entity.start, entity.end)
    const kind = PERSONAL[entity.type]
    if (kind !== undefined) spans.push({ start: entity.start, end: entity.end, kind })
  }
  for (const span of findName(text, context.customerName, occupied)) spans.push(span)
  spans.sort((a, b) => a.start - b.start)

  // Placeholder-like text the customer wrote themselves; those numbers are skipped.
  const taken = new Set(text.match(PLACEHOLDER) ?? [])
  const placeholders = new PlaceholderMap()
  const byOriginal = new Map<string, string>()
  const next: Record<RedactionKind, number> = { phone: 1, email: 1, id: 1, card: 1, address: 1, name: 1 }
  const counts: Record<RedactionKind, number> = { phone: 0, email: 0, id: 0, card: 0, address: 0, name: 0 }
  let redactedText = ''
  let cursor = 0
  for (const span of spans) {
    const original = text.slice(span.start, span.end)
    const key = `${span.kind}\u0000${original}`
    let placeholder = byOriginal.get(key)
    if (placeholder === undefined) {
      do {
        placeholder = `[${PREFIX[span.kind]}_${next[span.kind]}]`
        next[span.kind] += 1
      } while (taken.has(placeholder))
      byOriginal.set(key, placeholder)
      placeholders.set(placeholder, original)
    }
    counts[span.kind] += 1
    redactedText += text.slice(cursor, span.start) + placeholder
    cursor = span.end
  }
  redactedText += text.slice(cursor)

  const result = { redactedText, counts: Object.freeze(counts) }
  const inspect = () =>
    `Redaction ${JSON.stringify({ redactedText, counts, placeholders: `${placeholders.size} hidden` })}`
  Object.defineProperties(result, {
    placeholders: { value: placeholders, enumerable: false },
    toJSON: { value: () => ({ redactedText, counts }), enumerable: false },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: inspect, enumerable: false },
  })
  return result as unknown as Redaction
}

/**
 * Puts the originals back in one pass; placeholders missing from the map (written by someone else) stay.
 *
 * @example
 *   restore('call [PHONE_1]', new Map([['[PHONE_1]', '13800138000']])) // 'call 13800138000'
 */
export function restore(redactedText: string, placeholders: ReadonlyMap<string, string>): string {
  return redactedText.replace(PLACEHOLDER, (placeholder) => placeholders.get(placeholder) ?? placeholder)
}

/** Full-width digits, Latin letters and `＋ － （ ） ． ＠ ＿`, and the ideographic space. */
const FULL_WIDTH = /[\u3000\uff08\uff09\uff0b\uff0d\uff0e\uff10-\uff19\uff20-\uff3a\uff3f\uff41-\uff5a]/g

/**
 * Chinese input methods in full-width mode type `１３８ １２３４ ５６７８`, `＋８６`, `ａ＠ｂ．ｃｏｍ`; the extractors
 * read ASCII. Each folded character is one UTF-16 code unit, as is its ASCII form, so offsets carry over.
 */
function foldFullWidth(text: string): string {
  return text.replace(FULL_WIDTH, (char) =>
    char === '\u3000' ? ' ' : String.fromCharCode(char.charCodeAt(0) - 0xfee0),
  )
}

const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '司徒',
  '东方',
  '皇甫',
  '慕容',
  '令狐',
  '夏侯',
  '尉迟',
  '公孙',
  '长孙',
  '宇文',
  '端木',
  '轩辕',
  '独孤',
  '南宫',
  '西门',
])

interface NameForm {
  readonly text: string
  /** Compare ASCII letters ignoring case. */
  readonly foldCase: boolean
  /** A one-character given name: only where no Han character touches it. */
  readonly standalone: boolean
}

/** The forms of the customer's name to look for, longest first. */
function nameForms(name: string): NameForm[] {
  const full = name.trim().replace(/\s+/g, ' ')
  if (full.length === 0) return []
  const forms: NameForm[] = [{ text: full, foldCase: true, standalone: false }]
  const han = [...full].every((char) => isHan(char.charCodeAt(0)))
  if (han && (full.length === 2 || full.length === 3)) {
    const surname = full.length === 3 && COMPOUND_SURNAMES.has(full.slice(0, 2)) ? 2 : 1
    const given = full.slice(surname)
    forms.push({ text: given, foldCase: false, standalone: given.length === 1 })
  } else if (/^[A-Za-z][A-Za-z' .-]*$/.test(full)) {
    for (const part of full.split(/[\s.]+/)) {
      if (part.length >= 2 && part !== full) forms.push({ text: part, foldCase: false, standalone: false })
    }
  }
  return forms
}

function fold(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase())
}

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
}

/** Occurrences of the customer's name that no entity has claimed. */
function findName(text: string, name: string | undefined, occupied: Uint8Array): Span[] {
  if (name === undefined) return []
  const spans: Span[] = []
  const folded = fold(text)
  for (const form of nameForms(name)) {
    const haystack = form.foldCase ? folded : text
    const needle = form.foldCase ? fold(form.text) : form.text
    const latin = isWordChar(needle.charCodeAt(0))
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
      const end = at + needle.length
      const before = text.charCodeAt(at - 1)
      const after = text.charCodeAt(end)
      if (latin && (isWordChar(before) || isWordChar(after))) continue
      if (form.standalone && (isHan(before) || isHan(after))) continue
      let free = true
      for (let index = at; index < end && free; index += 1) free = occupied[index] === 0
      if (!free) continue
      occupied.fill(1, at, end)
      spans.push({ start: at, end, kind: 'name' })
    }
  }
  return spans
}
