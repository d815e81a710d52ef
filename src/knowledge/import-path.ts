/**
 * `kb import PATH` (CONTRACTS): a folder of Markdown articles with front matter (read recursively, in name
 * order, plus its `faq*.csv|jsonl` files), or one CSV/JSONL file of FAQ entries, or one Markdown file. Every file or row is saved on its own
 * (one transaction each) and reported: inserted, updated, unchanged, or rejected with its errors — one bad
 * file never stops the others, and nothing of a rejected one is written.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { extname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AppError, isAppError } from '../core/index.js'
import type { Actor } from '../crm/actor.js'
import type { ArticleRecordInput, SaveOutcome } from './articles.js'
import { parseFaqFile, parseMarkdownArticle } from './import-files.js'

export interface ImportReport {
  inserted: number
  updated: number
  unchanged: number
  rejected: ({ file: string; errors: string[] } | { file: string; line: number; errors: string[] })[]
  /** External ids (or internal ids) saved, in order. */
  saved: string[]
}

export interface KnowledgeSaver {
  save(
    input: ArticleRecordInput,
    actor: Actor,
  ): Promise<{ article: { id: string; externalId: string | null }; outcome: SaveOutcome }>
}

const MAX_FILE_BYTES = 2 * 1024 * 1024
const FAQ_FILE = /^faqs?(?:[-_.][^/]*)?\.(?:csv|jsonl)$/i

/** The demo shop's knowledge base, shipped with AgentCRM and installed by `demo seed`. */
export const DEMO_KNOWLEDGE_DIR = fileURLToPath(new URL('../../data/kb/demo/', import.meta.url))

async function markdownFiles(folder: string): Promise<string[]> {
  const out: string[] = []
  const entries = await readdir(folder, { withFileTypes: true })
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue
    const path = join(folder, entry.name)
    if (entry.isDirectory()) out.push(...(await markdownFiles(path)))
    else if (entry.isFile() && ['.md', '.markdown'].includes(extname(entry.name).toLowerCase()))
      out.push(path)
  }
  return out
}

async function readText(path: string): Promise<string> {
  const info = await stat(path)
  if (info.size > MAX_FILE_BYTES)
    throw new Error(`the file is ${info.size} bytes; the limit is ${MAX_FILE_BYTES}`)
  const bytes = await readFile(path)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new Error('the file is not UTF-8 text; save it as UTF-8 and import it again')
  }
}

function message(error: unknown): string {
  return isAppError(error) ? error.message : error instanceof Error ? error.message : String(error)
}

/**
 * Imports a folder or a file into the knowledge base through `saver`.
 *
 * @example
 *   await importKnowledgePath('data/kb/demo', app.knowledge, cliActor)
 *   // → { inserted: 42, updated: 0, unchanged: 0, rejected: [], saved: [...] }
 */
export async function importKnowledgePath(
  path: string,
  saver: KnowledgeSaver,
  actor: Actor,
): Promise<ImportReport> {
  let info
  try {
    info = await stat(path)
  } catch {
    throw new AppError(
      'KB_IMPORT_FAILED',
      `"${path}" does not exist: give a folder of Markdown files or a .csv/.jsonl file of FAQs`,
    )
  }
  const report: ImportReport = { inserted: 0, updated: 0, unchanged: 0, rejected: [], saved: [] }
  const record = async (input: ArticleRecordInput) => {
    const { article, outcome } = await saver.save(input, actor)
    report[outcome]++
    report.saved.push(article.externalId ?? article.id)
  }

  if (info.isDirectory()) {
    const files = await markdownFiles(path)
    const extra = (await readdir(path)).filter((name) => FAQ_FILE.test(name))
    for (const file of files) {
      const shown = relative(process.cwd(), file) || file
      try {
        const parsed = parseMarkdownArticle(await readText(file))
        if (!parsed.ok) report.rejected.push({ file: shown, errors: parsed.errors })
        else await record(parsed.record)
      } catch (error) {
        report.rejected.push({ file: shown, errors: [message(error)] })
      }
    }
    // FAQ files next to the articles (`faqs.jsonl`, `faq-returns.csv`) are imported too; other data files
    // in the folder (question sets for `kb evaluate`) are not.
    for (const name of extra.sort()) await importFaqFile(join(path, name), report, record)
    return report
  }
  const extension = extname(path).toLowerCase()
  if (extension === '.csv' || extension === '.jsonl') {
    await importFaqFile(path, report, record)
    return report
  }
  if (extension === '.md' || extension === '.markdown') {
    try {
      const parsed = parseMarkdownArticle(await readText(path))
      if (!parsed.ok) report.rejected.push({ file: path, errors: parsed.errors })
      else await record(parsed.record)
    } catch (error) {
      report.rejected.push({ file: path, errors: [message(error)] })
    }
    return report
  }
  throw new AppError(
    'KB_IMPORT_FAILED',
    `cannot import "${path}": give a folder of Markdown files, a .md file, or a .csv/.jsonl file of FAQs`,
  )
}

async function importFaqFile(
  path: string,
  report: ImportReport,
  record: (input: ArticleRecordInput) => Promise<void>,
): Promise<void> {
  const shown = relative(process.cwd(), path) || path
  let rows
  try {
    rows = parseFaqFile(await readText(path), extname(path).toLowerCase() === '.csv' ? 'csv' : 'jsonl')
  } catch (error) {
    report.rejected.push({ file: shown, errors: [message(error)] })
    return
  }
  if (rows.length === 0) report.rejected.push({ file: shown, errors: ['the file holds no FAQ rows'] })
  for (const row of rows) {
    if (!row.result.ok) {
      report.rejected.push({ file: shown, line: row.line, errors: row.result.errors })
      continue
    }
    try {
      await record(row.result.record)
    } catch (error) {
      report.rejected.push({ file: shown, line: row.line, errors: [message(error)] })
    }
  }
}
