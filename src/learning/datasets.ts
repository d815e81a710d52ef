import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { parse } from 'csv-parse/sync'
import { AppError } from '../core/index.js'

export interface LabelledText {
  readonly text: string
  readonly label: string
}

export interface DatasetOptions {
  readonly textColumn?: string
  readonly labelColumn?: string
  /** csv, tsv or jsonl; by default from the file extension. */
  readonly format?: 'csv' | 'tsv' | 'jsonl'
}

function invalid(message: string, details?: unknown): AppError {
  return new AppError('NLU_INVALID_DATASET', message, { details })
}

/**
 * Reads labelled texts from a CSV, TSV or JSONL file a user brings, with any labels. Refuses, with a message that
 * says how to fix it: a missing or unreadable file, non-UTF-8 bytes, an empty file, missing columns, empty labels.
 * Rows with an empty text are skipped and counted.
 */
export function readDataset(
  path: string,
  options: DatasetOptions = {},
): { examples: LabelledText[]; skipped: number } {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    throw invalid(`cannot read ${path}: ${(error as Error).message}`, { path })
  }
  let content: string
  try {
    content = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw invalid(`${path} is not UTF-8 text; convert it (e.g. iconv -f GB18030 -t UTF-8) and try again`, {
      path,
    })
  }
  content = content.replace(/^\uFEFF/, '')
  if (content.trim() === '')
    throw invalid(`${path} is empty; it needs a header row and labelled examples`, { path })
  const textColumn = options.textColumn ?? 'text'
  const labelColumn = options.labelColumn ?? 'label'
  const extension = extname(path).toLowerCase()
  const format =
    options.format ??
    (extension === '.jsonl' || extension === '.ndjson' ? 'jsonl' : extension === '.tsv' ? 'tsv' : 'csv')
  let records: Record<string, unknown>[]
  if (format === 'jsonl') {
    records = []
    content.split(/\r?\n/).forEach((line, index) => {
      if (line.trim() === '') return
      try {
        const value: unknown = JSON.parse(line)
        if (value === null || typeof value !== 'object' || Array.isArray(value))
          throw new Error('not an object')
        records.push(value as Record<string, unknown>)
      } catch (error) {
        throw invalid(`${path} line ${index + 1} is not a JSON object: ${(error as Error).message}`, {
          line: index + 1,
        })
      }
    })
  } else {
    try {
      records = parse(content, {
        columns: true,
        delimiter: format === 'tsv' ? '\t' : ',',
        skip_empty_lines: true,
        relax_quotes: format === 'tsv',
        quote: format === 'tsv' ? false : '"',
      }) as Record<string, unknown>[]
    } catch (error) {
      throw invalid(`${path} is not valid ${format.toUpperCase()}: ${(error as Error).message}`, { path })
    }
  }
  if (records.length === 0) throw invalid(`${path} has a header but no examples`, { path })
  const columns = Object.keys(records[0])
  for (const column of [textColumn, labelColumn]) {
    if (!(column in records[0])) {
      throw invalid(
        `${path} has no "${column}" column; its columns are ${columns.join(', ')} (choose with --text-column / --label-column)`,
        { path, columns },
      )
    }
  }
  const examples: LabelledText[] = []
  let skipped = 0
  records.forEach((record, index) => {
    const text = record[textColumn]
    const label = record[labelColumn]
    if (typeof text !== 'string' || text.trim() === '') {
      skipped++
      return
    }
    if ((typeof label !== 'string' && typeof label !== 'number') || String(label).trim() === '') {
      throw invalid(`${path} row ${index + 1} has an empty "${labelColumn}"; every example needs a label`, {
        row: index + 1,
      })
    }
    examples.push({ text, label: String(label).trim() })
  })
  if (examples.length === 0) throw invalid(`${path} has no example with a text`, { path })
  return { examples, skipped }
}
