import { extname } from 'node:path'
import { Readable, pipeline } from 'node:stream'
import { parse, type CsvError } from 'csv-parse'
import { AppError } from '../../core/index.js'
import { canonicalKey, type ImportRecord } from './fields.js'

export const TRANSFER_FORMATS = ['csv', 'jsonl'] as const
export type TransferFormat = (typeof TRANSFER_FORMATS)[number]

/** `csv`, `jsonl` (or its alias `ndjson`); anything else is a user error listing the valid ones. */
export function parseFormat(text: string): TransferFormat {
  const value = text.trim().toLowerCase()
  if (value === 'csv') return 'csv'
  if (value === 'jsonl' || value === 'ndjson') return 'jsonl'
  throw new AppError('CORE_VALIDATION_FAILED', `unknown format "${text}"; use csv or jsonl`, {
    details: { format: text, valid: TRANSFER_FORMATS },
  })
}

/** The format a file name implies (`.csv`, `.ndjson`, `.jsonl`), or null. */
export function formatFromPath(path: string): TransferFormat | null {
  const extension = extname(path).toLowerCase()
  if (extension === '.csv') return 'csv'
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl'
  return null
}

/** The format an HTTP Content-Type names (`text/csv`, `application/x-ndjson`, `application/jsonl`), or null. */
export function formatFromContentType(contentType: string | undefined): TransferFormat | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase()
  if (type === 'text/csv') return 'csv'
  if (NDJSON_TYPES.includes(type)) return 'jsonl'
  return null
}

export const NDJSON_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines']
export const IMPORT_CONTENT_TYPES = ['text/csv', ...NDJSON_TYPES]

/** Longest CSV record or NDJSON line accepted, in characters: bounds memory whatever the file holds. */
export const MAX_RECORD_CHARS = 1_000_000

/** How far the reader has got through the bytes of its input. */
export interface ByteCounter {
  bytes: number
}

/**
 * Passes the bytes through unchanged while checking that they are UTF-8 (a fatal `TextDecoder`, fed in
 * stream mode so characters split across chunks are fine). The first bad sequence refuses the whole file.
 */
export async function* utf8Checked(
  input: AsyncIterable<Buffer | string>,
  counter: ByteCounter = { bytes: 0 },
): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  for await (const piece of input) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece
    try {
      decoder.decode(chunk, { stream: true })
    } catch (error) {
      throw notUtf8(counter.bytes, counter.bytes + chunk.length, error)
    }
    counter.bytes += chunk.length
    yield chunk
  }
  try {
    decoder.decode()
  } catch (error) {
    throw notUtf8(counter.bytes, counter.bytes, error)
  }
}

function notUtf8(from: number, to: number, cause: unknown): AppError {
  return new AppError(
    'CRM_IMPORT_INVALID_FILE',
    `the file is not UTF-8 text (invalid bytes ${from === to ? `at the end` : `between byte ${from} and ${to}`}); save it as UTF-8 (Excel: "CSV UTF-8") and import again`,
    { cause, details: { encoding: 'not utf-8', fromByte: from, toByte: to } },
  )
}

/** One record of the input: its fields (canonical keys) or why it could not be read, with its line number. */
export type SourceRecord =
  | { readonly line: number; readonly fields: ImportRecord; readonly error?: undefined }
  | { readonly line: number; readonly error: string; readonly fields?: undefined }

/** Checks a CSV header (canonical keys) and throws a CRM_IMPORT_INVALID_FILE naming what is wrong. */
export type HeaderCheck = (keys: readonly string[], written: readonly string[]) => void

/**
 * Reads records from a byte stream in constant memory: CSV with a header row (csv-parse; a BOM is stripped;
 * records that break the CSV grammar or the column count are reported by line and skipped) or NDJSON
 * (one JSON object per line; blank lines skipped).
 */
export function readRecords(
  input: AsyncIterable<Buffer | string>,
  format: TransferFormat,
  checkHeader: HeaderCheck,
  counter: ByteCounter = { bytes: 0 },
): AsyncGenerator<SourceRecord> {
  const bytes = utf8Checked(input, counter)
  return format === 'csv' ? readCsv(bytes, checkHeader) : readNdjson(bytes)
}

async function* readCsv(
  input: AsyncIterable<Buffer>,
  checkHeader: HeaderCheck,
): AsyncGenerator<SourceRecord> {
  const skipped: SourceRecord[] = []
  let headerSeen = false
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: false,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    columns: (header: string[]) => {
      headerSeen = true
      const keys = header.map(canonicalKey)
      checkHeader(keys, header)
      return keys
    },
    on_skip: (error: CsvError | undefined) => {
      if (error) skipped.push({ line: lineOf(error), error: csvMessage(error) })
    },
  })
  // Byte mode, so the source is read (and checked) as the parser needs it rather than 16 chunks ahead.
  pipeline(Readable.from(input, { objectMode: false }), parser, () => {
    // Errors reach the consumer through the parser's async iterator.
  })
  for await (const item of parser as AsyncIterable<{
    record: Record<string, string>
    info: { lines: number }
  }>) {
    while (skipped.length > 0) yield skipped.shift()!
    yield { line: item.info.lines - newlinesIn(item.record), fields: item.record }
  }
  while (skipped.length > 0) yield skipped.shift()!
  if (!headerSeen) {
    throw new AppError('CRM_IMPORT_INVALID_FILE', 'the file is empty; a CSV import needs a header row', {
      details: { reason: 'empty' },
    })
  }
}

function lineOf(error: CsvError): number {
  const lines = (error as unknown as { lines?: unknown }).lines
  return typeof lines === 'number' ? lines : 0
}

function csvMessage(error: CsvError): string {
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
      const record = (error as unknown as { record?: unknown[] }).record
      const columns = (error as unknown as { columns?: unknown[] }).columns
      return `the row has ${record?.length ?? 'a different number of'} fields but the header has ${columns?.length ?? 'another number'}; put values that contain commas in double quotes`
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted value is never closed; every opening " needs a closing "'
    case 'CSV_MAX_RECORD_SIZE':
      return `the row is longer than ${MAX_RECORD_CHARS} characters`
    default:
      return `invalid CSV: ${error.message}`
  }
}

/** A record's line is where it starts: the parser reports where it ends, less the newlines inside quoted values. */
function newlinesIn(record: Record<string, string>): number {
  let count = 0
  for (const key in record) {
    const value = record[key]
    if (value.length > 0 && value.includes('\n')) {
      for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) count++
    }
  }
  return count
}

async function* readNdjson(input: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord> {
  const decoder = new TextDecoder('utf-8')
  let pending = ''
  let line = 0
  let overlong = false
  const parseLine = (text: string, number: number): SourceRecord | null => {
    const trimmed = text.trim()
    if (trimmed.length === 0) return null
    let value: unknown
    try {
      value = JSON.parse(trimmed)
    } catch (error) {
      return { line: number, error: `not valid JSON: ${(error as Error).message}` }
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { line: number, error: 'each line must be one JSON object' }
    }
    const fields: Record<string, unknown> = {}
    for (const [key, field] of Object.entries(value as Record<string, unknown>))
      fields[canonicalKey(key)] = field
    return { line: number, fields }
  }
  for await (const chunk of input) {
    const text = pending + decoder.decode(chunk, { stream: true })
    let start = 0
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      line++
      if (overlong) overlong = false
      else {
        let content = text.slice(start, end)
        if (line === 1 && content.charCodeAt(0) === 0xfeff) content = content.slice(1)
        const record = parseLine(content, line)
        if (record) yield record
      }
      start = end + 1
    }
    pending = text.slice(start)
    if (pending.length > MAX_RECORD_CHARS) {
      if (!overlong) yield { line: line + 1, error: `the line is longer than ${MAX_RECORD_CHARS} characters` }
      overlong = true
      pending = ''
    }
  }
  pending += decoder.decode()
  if (!overlong && pending.length > 0) {
    line++
    const record = parseLine(
      line === 1 && pending.charCodeAt(0) === 0xfeff ? pending.slice(1) : pending,
      line,
    )
    if (record) yield record
  }
}
