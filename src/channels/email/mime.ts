import { createHash } from 'node:crypto'
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser'
import { detectAutomaticMessage } from '../../actions/index.js'
import { AppError } from '../../core/index.js'
import {
  MESSAGE_TEXT_MAX,
  contentTypeSchema,
  filenameSchema,
  normalizeEmail,
  type EmailEnvelope,
  type InboundAttachment,
  type SkippedAttachment,
} from '../../crm/index.js'
import type { InboundMessage } from '../channel.js'
import { stripQuotedHistory } from './quoted-history.js'

/** The caps a raw email is held to (from `AGENTCRM_EMAIL_MAX_BYTES` and `…_ATTACHMENT_MAX_BYTES`). */
export interface MimeLimits {
  /** The largest raw message, in bytes; also the cap on the attachments stored from one message. */
  readonly maxBytes: number
  /** The largest attachment stored; larger ones are recorded in `skippedAttachments`. */
  readonly attachmentMaxBytes: number
}

/** The header section is read before parsing: a mail whose first lines are not header fields is refused. */
const HEADER_SCAN_BYTES = 256 * 1024
const HEADER_FIELD = /^[A-Za-z0-9][A-Za-z0-9!#$%&'*+.^_`|~-]*[ \t]*:/
/** How much of the headers is kept with the message. */
const HEADERS_KEPT = { lines: 200, valueChars: 2_000 }
/** The text before quoted history was stripped is kept up to this many characters. */
const ORIGINAL_TEXT_MAX = 256 * 1024
const MESSAGE_ID = /<[^<>\s]+>/g

function malformed(reason: string): AppError {
  return new AppError(
    'CHANNEL_EMAIL_MALFORMED',
    `the email is not an RFC 5322 message: ${reason}; send the raw message source (headers, a blank line, the body) as message/rfc822`,
    { details: { reason } },
  )
}

/** Refuses bytes whose header section is not header fields (JSON, HTML, binary, an empty body). */
function checkHeaderSection(raw: Buffer): void {
  if (raw.byteLength === 0) throw malformed('the body is empty')
  const head = raw.subarray(0, HEADER_SCAN_BYTES).toString('latin1')
  const end = head.search(/\r?\n\r?\n/)
  const section = end === -1 ? head : head.slice(0, end)
  if (section.includes('\u0000')) throw malformed('the header section contains NUL bytes')
  const lines = section.split(/\r?\n/)
  if (end === -1 && raw.byteLength > HEADER_SCAN_BYTES) throw malformed('no blank line ends the headers')
  for (const [index, line] of lines.entries()) {
    const continuation = index > 0 && /^[ \t]/.test(line)
    if (!continuation && !HEADER_FIELD.test(line)) {
      throw malformed(`line ${index + 1} of the headers is not a "Name: value" field`)
    }
  }
}

function messageIds(value: string | string[] | undefined): string[] {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value]
  const ids: string[] = []
  for (const text of values.map(plain)) {
    const found = text.match(MESSAGE_ID)
    if (found) ids.push(...found)
    else if (text.trim() !== '' && !/\s/.test(text.trim())) ids.push(`<${text.trim().replace(/^<|>$/g, '')}>`)
  }
  return [...new Set(ids.map((id) => id.slice(0, 998)))]
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value]
  const found: string[] = []
  const walk = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) walk(entry.group)
      const email = entry.address ? normalizeEmail(plain(entry.address)) : null
      if (email !== null) found.push(email)
    }
  }
  for (const object of objects) walk(object.value)
  return [...new Set(found)].slice(0, 100)
}

/** Header lines as `[name, value]`, unfolded and bounded; the parsed map for the automatic-mail check. */
function headerLines(parsed: ParsedMail): {
  lines: [string, string][]
  map: Record<string, string[]>
} {
  const lines: [string, string][] = []
  const map: Record<string, string[]> = {}
  for (const { key, line } of parsed.headerLines) {
    const colon = line.indexOf(':')
    const value = plain((colon === -1 ? '' : line.slice(colon + 1)).replace(/\r?\n[ \t]+/g, ' '))
    const name = plain(key.toLowerCase())
    ;(map[name] ??= []).push(value)
    if (lines.length < HEADERS_KEPT.lines) lines.push([name, value.slice(0, HEADERS_KEPT.valueChars)])
  }
  return { lines, map }
}

function safeFilename(name: string | undefined, index: number, contentType: string): string {
  const cleaned = (name ?? '')
    .replace(/[/\\\u0000-\u001f]/g, '_')
    .trim()
    .slice(0, 255)
  if (filenameSchema.safeParse(cleaned).success) return cleaned
  const extension =
    contentType
      .split('/')[1]
      ?.split(/[;+]/)[0]
      ?.replace(/[^a-z0-9]/gi, '') || 'bin'
  return `attachment-${index + 1}.${extension.slice(0, 10)}`
}

function safeContentType(type: string | undefined): string {
  const parsed = contentTypeSchema.safeParse(type ?? '')
  return parsed.success ? parsed.data : 'application/octet-stream'
}

/** Header values without control characters (NUL is refused by Postgres, the rest reads as nothing). */
function plain(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').trim()
}

function cleanText(text: string): string {
  // NUL is refused by Postgres; other C0 controls but tab and newlines carry nothing readable
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
}

/**
 * Parses a raw RFC 5322 message (mailparser) into our inbound shape: the sender, subject, the text (HTML
 * turned into text when there is no text part) with quoted history stripped for perception, the
 * Message-ID (or one derived from the bytes when the mail has none) and threading headers, automatic-mail
 * detection, and the attachments within the caps. Throws `CHANNEL_EMAIL_TOO_LARGE` (413),
 * `CHANNEL_EMAIL_MALFORMED` (400) or `CHANNEL_EMAIL_NO_SENDER` (422); nothing is written here.
 *
 * @example
 *   const message = await parseRawEmail(rawBytes, { limits, receivedVia: 'imap' })
 *   message.email?.inReplyTo // → '<msg_01JD…@shop.example>'
 */
export async function parseRawEmail(
  raw: Uint8Array,
  options: { readonly limits: MimeLimits; readonly receivedVia: 'webhook' | 'imap' },
): Promise<InboundMessage> {
  const { limits } = options
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)
  if (bytes.byteLength > limits.maxBytes) {
    throw new AppError(
      'CHANNEL_EMAIL_TOO_LARGE',
      `the email is ${bytes.byteLength} bytes; at most ${limits.maxBytes} are accepted (AGENTCRM_EMAIL_MAX_BYTES)`,
      { details: { size: bytes.byteLength, limit: limits.maxBytes } },
    )
  }
  checkHeaderSection(bytes)
  let parsed: ParsedMail
  try {
    parsed = await simpleParser(bytes, { skipTextLinks: true, skipImageLinks: true })
  } catch (error) {
    throw malformed((error as Error).message ?? 'it could not be parsed')
  }
  const sender = parsed.from?.value.find((entry) => entry.address && normalizeEmail(plain(entry.address)))
  const from = sender?.address ? normalizeEmail(plain(sender.address)) : null
  if (from === null || sender === undefined) {
    throw new AppError(
      'CHANNEL_EMAIL_NO_SENDER',
      parsed.from === undefined
        ? 'the email has no From header; a message needs a sender address to be filed'
        : `the From header "${plain(parsed.from.text).slice(0, 200)}" holds no usable email address`,
      { details: { from: parsed.from ? plain(parsed.from.text).slice(0, 200) : null } },
    )
  }
  const headers = headerLines(parsed)
  const verdict = detectAutomaticMessage({ headers: headers.map, from })
  const subject = plain(parsed.subject ?? '').slice(0, 998) || null

  const attachments: InboundAttachment[] = []
  const skippedAttachments: SkippedAttachment[] = []
  let stored = 0
  for (const [index, part] of parsed.attachments.entries()) {
    const contentType = safeContentType(part.contentType)
    const filename = safeFilename(part.filename, index, contentType)
    const size = part.content.byteLength
    const skip = (reason: string) => skippedAttachments.push({ filename, contentType, size, reason })
    if (size > limits.attachmentMaxBytes) {
      skip(`larger than ${limits.attachmentMaxBytes} bytes (AGENTCRM_EMAIL_ATTACHMENT_MAX_BYTES)`)
    } else if (stored + size > limits.maxBytes) {
      skip(`the message's attachments exceed ${limits.maxBytes} bytes in total`)
    } else {
      stored += size
      attachments.push({ filename, contentType, content: part.content })
    }
  }

  const body = cleanText(parsed.text ?? '').trim()
  const stripped = body === '' ? '' : stripQuotedHistory(body)
  const names = attachments.map((attachment) => attachment.filename)
  const fallback =
    subject ?? (names.length > 0 ? `[attachments: ${names.join(', ')}]` : '[an email without text]')
  const text = (stripped || fallback).slice(0, MESSAGE_TEXT_MAX)
  const internetMessageId =
    messageIds(parsed.messageId)[0] ??
    `<${createHash('sha256').update(bytes).digest('hex').slice(0, 40)}@no-message-id.agentcrm>`
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null

  const email: EmailEnvelope = {
    internetMessageId,
    inReplyTo: messageIds(parsed.inReplyTo)[0] ?? null,
    references: messageIds(parsed.references).slice(-100),
    fromHeader: parsed.from ? plain(parsed.from.text).slice(0, 1_000) : null,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    headers: headers.lines,
    originalText: stripped !== '' && stripped !== body ? body.slice(0, ORIGINAL_TEXT_MAX) : null,
    automatic: verdict.reason,
    skippedAttachments,
    receivedVia: options.receivedVia,
  }
  return {
    channel: 'email',
    messageId: internetMessageId,
    from: {
      email: from,
      ...(plain(sender.name ?? '') ? { name: plain(sender.name ?? '').slice(0, 200) } : {}),
    },
    text,
    originalText: email.originalText,
    subject,
    ...(date ? { sentAt: date.toISOString() } : {}),
    optOut: false,
    automatic: verdict.reason,
    email,
    attachments,
  }
}
