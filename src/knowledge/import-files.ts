/**
 * Reading knowledge-base files (CONTRACTS `kb import`): a Markdown article with YAML front matter, or the
 * rows of a CSV/JSONL file of FAQ entries. Pure: text in, a validated record or the list of problems out,
 * so an import can report per file and per row and write nothing it could not read.
 */
import { parse as parseCsv } from 'csv-parse/sync'
import { parse as parseYaml } from 'yaml'
import type { z } from 'zod'
import { articleCreateSchema, faqCreateSchema, toRecordInput, type ArticleRecordInput } from './articles.js'

export type ParseResult = { ok: true; record: ArticleRecordInput } | { ok: false; errors: string[] }

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/

const FRONT_MATTER_KEYS = [
  'id',
  'title',
  'language',
  'tags',
  'products',
  'intents',
  'status',
  'translation_group',
] as const

function issues(error: z.ZodError, rename: Record<string, string> = {}): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((part) =>
      typeof part === 'number' ? `[${part}]` : (rename[String(part)] ?? String(part)),
    )
    const where = path.join('.').replace(/\.\[/g, '[')
    return where ? `${where}: ${issue.message}` : issue.message
  })
}

const list = (value: unknown): unknown =>
  value === undefined || value === null
    ? undefined
    : Array.isArray(value)
      ? value.map(String)
      : String(value)
          .split(/\s*[|,]\s*/)
          .filter(Boolean)

/**
 * A Markdown article: YAML front matter (`id`, `title`, `language`, `tags`, `products`, `intents`,
 * `status`, `translation_group`) and the body. `title` defaults to the first `#` heading.
 *
 * @example
 *   parseMarkdownArticle('---\nid: refunds-en\nlanguage: en\n---\n# Refunds\nWithin 3 days.')
 *   // → { ok: true, record: { kind: 'article', externalId: 'refunds-en', title: 'Refunds', … } }
 */
export function parseMarkdownArticle(text: string): ParseResult {
  const match = FRONT_MATTER.exec(text)
  if (!match) {
    return {
      ok: false,
      errors: [
        'no YAML front matter: start the file with a --- line, the keys (id, title, language, …), and another --- line',
      ],
    }
  }
  let meta: unknown
  try {
    meta = parseYaml(match[1]) ?? {}
  } catch (error) {
    return {
      ok: false,
      errors: [`front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`],
    }
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    return { ok: false, errors: ['front matter must be a map of keys (id: …, language: …)'] }
  }
  const data = meta as Record<string, unknown>
  const unknown = Object.keys(data).filter((key) => !(FRONT_MATTER_KEYS as readonly string[]).includes(key))
  const errors = unknown.map(
    (key) => `front matter key "${key}" is not known; known keys: ${FRONT_MATTER_KEYS.join(', ')}`,
  )
  const body = text.slice(match[0].length).trim()
  const heading = /^#\s+(.+)$/m.exec(body)?.[1]?.trim()
  const parsed = articleCreateSchema.safeParse({
    externalId: data.id === undefined ? undefined : String(data.id),
    title: data.title === undefined ? heading : String(data.title),
    body,
    language: data.language,
    status: data.status,
    tags: list(data.tags),
    products: list(data.products),
    intents: list(data.intents),
    translationGroup: data.translation_group === undefined ? undefined : String(data.translation_group),
  })
  if (!parsed.success)
    errors.push(...issues(parsed.error, { externalId: 'id', translationGroup: 'translation_group' }))
  if (errors.length > 0 || !parsed.success) return { ok: false, errors }
  return { ok: true, record: toRecordInput('article', parsed.data) }
}

/** One FAQ row (from CSV or JSONL); `paraphrases` and `tags` may be arrays or `|`-separated text. */
export function parseFaqRow(row: Record<string, unknown>): ParseResult {
  const known = [
    'question',
    'answer',
    'id',
    'language',
    'tags',
    'paraphrases',
    'status',
    'products',
    'intents',
    'translation_group',
  ]
  const unknown = Object.keys(row).filter((key) => !known.includes(key))
  const errors = unknown.map((key) => `column "${key}" is not known; known: ${known.join(', ')}`)
  const text = (value: unknown) =>
    value === undefined || value === null || value === '' ? undefined : String(value)
  const parsed = faqCreateSchema.safeParse({
    externalId: text(row.id),
    question: text(row.question),
    answer: text(row.answer),
    language: text(row.language),
    status: text(row.status),
    tags: list(text(row.tags) === undefined ? undefined : row.tags),
    paraphrases: Array.isArray(row.paraphrases)
      ? row.paraphrases.map(String).filter((p) => p.trim() !== '')
      : text(row.paraphrases)
          ?.split('|')
          .map((p) => p.trim())
          .filter(Boolean),
    products: list(text(row.products) === undefined ? undefined : row.products),
    intents: list(text(row.intents) === undefined ? undefined : row.intents),
    translationGroup: text(row.translation_group),
  })
  if (!parsed.success)
    errors.push(...issues(parsed.error, { externalId: 'id', translationGroup: 'translation_group' }))
  if (errors.length > 0 || !parsed.success) return { ok: false, errors }
  return { ok: true, record: toRecordInput('faq', parsed.data) }
}

export interface FaqFileRow {
  /** 1-based line of the row in the file (CSV: where the record starts). */
  readonly line: number
  readonly result: ParseResult
}

/** Rows of an FAQ file; a file that cannot be read at all throws a message naming the problem. */
export function parseFaqFile(text: string, format: 'csv' | 'jsonl'): FaqFileRow[] {
  if (format === 'jsonl') {
    const rows: FaqFileRow[] = []
    text.split(/\r?\n/).forEach((line, index) => {
      if (line.trim() === '') return
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch (error) {
        rows.push({
          line: index + 1,
          result: { ok: false, errors: [`not valid JSON: ${(error as Error).message}`] },
        })
        return
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        rows.push({ line: index + 1, result: { ok: false, errors: ['each line must be a JSON object'] } })
        return
      }
      rows.push({ line: index + 1, result: parseFaqRow(value as Record<string, unknown>) })
    })
    return rows
  }
  const records = parseCsv(text, {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    info: true,
    relax_column_count: false,
  }) as {
    record: Record<string, string>
    info: { lines: number }
  }[]
  if (records.length > 0) {
    const header = Object.keys(records[0].record)
    const missing = ['question', 'answer', 'language'].filter((column) => !header.includes(column))
    if (missing.length > 0) {
      throw new Error(
        `the CSV header lacks ${missing.join(', ')}; columns: question,answer,id,language,tags,paraphrases`,
      )
    }
  }
  // `info.lines` is the line a record ends on; a quoted value may span lines, so step back over its breaks.
  const breaks = (row: Record<string, string>) =>
    Object.values(row).reduce((sum, value) => sum + (value.match(/\r\n|\r|\n/g)?.length ?? 0), 0)
  return records.map(({ record, info }) => ({
    line: info.lines - breaks(record),
    result: parseFaqRow(record),
  }))
}
