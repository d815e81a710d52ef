/**
 * The guard against answering machines (issue 5, item 3; RFC 3834): the agent never replies to mail that a
 * program sent — auto-replies, out-of-office notices, mailing lists, bulk mail and bounces — so two
 * responders can never talk to each other forever. Pure: it reads the headers the channel parsed.
 */

/** Message headers as a channel parsed them; names are matched case-insensitively. */
export type MessageHeaders = Readonly<Record<string, string | readonly string[] | undefined>>

export interface AutomaticVerdict {
  readonly automatic: boolean
  /** Which header gave it away, e.g. `Auto-Submitted: auto-replied`; null for a person's mail. */
  readonly reason: string | null
}

const PERSON: AutomaticVerdict = Object.freeze({ automatic: false, reason: null })

/** `Precedence` values that mark mail nobody should answer automatically. */
const BULK_PRECEDENCE = new Set(['bulk', 'list', 'junk', 'auto_reply'])
/** Headers whose presence (with any value but `no`/`false`) marks an auto-responder's message. */
const AUTORESPONDER_HEADERS = ['x-autoreply', 'x-autorespond', 'x-autoresponder']
/** `X-Auto-Response-Suppress` values (Microsoft) that ask responders to stay quiet. */
const SUPPRESS_VALUES = new Set(['all', 'oof', 'autoreply'])
/** Local parts of the addresses bounces and delivery reports come from. */
const BOUNCE_SENDERS = /(^|[\s<"])(mailer-daemon|postmaster)@/i

function headerValues(headers: MessageHeaders, name: string): string[] {
  const values: string[] = []
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue
    if (typeof value === 'string') values.push(value)
    else values.push(...value)
  }
  return values
}

/** The first token of a structured header value, lower-cased: `auto-replied; owner=x` → `auto-replied`. */
function token(value: string): string {
  return value.split(';')[0].trim().toLowerCase()
}

function verdict(reason: string): AutomaticVerdict {
  return { automatic: true, reason }
}

/**
 * Whether an inbound message was sent by a program: `Auto-Submitted` other than `no`, `Precedence: bulk`,
 * `list`, `junk` (or `auto_reply`), `X-Autoreply`/`X-Autorespond`, `X-Auto-Response-Suppress: All|OOF|
 * AutoReply`, a `List-Id`, a delivery report (`multipart/report`), or a bounce: an empty `Return-Path`,
 * `X-Failed-Recipients`, or a sender that is `mailer-daemon@` or `postmaster@`. `from` is the sender's address when the channel
 * knows it apart from the headers.
 *
 * @example
 *   detectAutomaticMessage({ headers: { 'Auto-Submitted': 'auto-replied' } })
 *   // → { automatic: true, reason: 'Auto-Submitted: auto-replied' }
 */
export function detectAutomaticMessage(input: {
  readonly headers: MessageHeaders
  readonly from?: string | null
}): AutomaticVerdict {
  const { headers } = input
  for (const value of headerValues(headers, 'auto-submitted')) {
    const kind = token(value)
    if (kind !== '' && kind !== 'no') return verdict(`Auto-Submitted: ${kind}`)
  }
  for (const value of headerValues(headers, 'precedence')) {
    const kind = token(value)
    if (BULK_PRECEDENCE.has(kind)) return verdict(`Precedence: ${kind}`)
  }
  for (const name of AUTORESPONDER_HEADERS) {
    for (const value of headerValues(headers, name)) {
      const kind = token(value)
      if (kind !== 'no' && kind !== 'false') return verdict(`${name}: ${kind || '(empty)'}`)
    }
  }
  for (const value of headerValues(headers, 'x-auto-response-suppress')) {
    const kinds = value.split(',').map((part) => part.trim().toLowerCase())
    const suppressed = kinds.find((kind) => SUPPRESS_VALUES.has(kind))
    if (suppressed !== undefined) return verdict(`X-Auto-Response-Suppress: ${suppressed}`)
  }
  if (headerValues(headers, 'list-id').some((value) => value.trim() !== '')) return verdict('List-Id')
  for (const value of headerValues(headers, 'content-type')) {
    if (token(value) === 'multipart/report') return verdict('Content-Type: multipart/report')
  }
  for (const value of headerValues(headers, 'return-path')) {
    if (value.trim() === '<>') return verdict('Return-Path: <> (a bounce)')
  }
  // Exim and others name the recipients a bounce is about; a delivery-status body is a DSN too
  if (headerValues(headers, 'x-failed-recipients').some((value) => value.trim() !== ''))
    return verdict('X-Failed-Recipients (a bounce)')
  const senders = [
    ...headerValues(headers, 'from'),
    ...headerValues(headers, 'sender'),
    ...headerValues(headers, 'return-path'),
    ...(input.from ? [input.from] : []),
  ]
  for (const sender of senders) {
    const match = BOUNCE_SENDERS.exec(sender)
    if (match) return verdict(`bounce from ${match[2].toLowerCase()}`)
  }
  return PERSON
}
