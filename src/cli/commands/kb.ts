import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { parse as parseCsv } from 'csv-parse/sync'
import { AppError } from '../../core/index.js'
import { cliActor } from '../../crm/index.js'
import { importKnowledgePath, type EvaluationRow } from '../../knowledge/index.js'
import { withApp } from '../context.js'
import { UsageError, createOutput, reportFailure } from '../output.js'

/** Reads `question,expected` rows (CSV with a header, or JSONL); extra columns are ignored. */
export function readQuestions(path: string): EvaluationRow[] {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new AppError(
      'KB_IMPORT_FAILED',
      code === 'ENOENT' ? `"${path}" does not exist` : `"${path}" is not UTF-8 text: save it as UTF-8`,
    )
  }
  const rows: Record<string, unknown>[] = path.toLowerCase().endsWith('.jsonl')
    ? text
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '')
        .map((line, index) => {
          try {
            return JSON.parse(line) as Record<string, unknown>
          } catch {
            throw new AppError('KB_IMPORT_FAILED', `${path} line ${index + 1} is not valid JSON`)
          }
        })
    : (parseCsv(text, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, unknown>[])
  if (rows.length === 0)
    throw new AppError('KB_IMPORT_FAILED', `${path} holds no rows: give question,expected rows`)
  const missing = ['question', 'expected'].filter((column) => !(column in rows[0]))
  if (missing.length > 0) {
    throw new AppError(
      'KB_IMPORT_FAILED',
      `${path} lacks the column(s) ${missing.join(', ')}; expected: question,expected`,
    )
  }
  return rows.map((row) => ({ question: String(row.question ?? ''), expected: String(row.expected ?? '') }))
}

export function registerKbCommands(program: Command): void {
  const kb = program.command('kb').description('the knowledge base: import, search, evaluate')

  kb.command('import')
    .description(
      'import a folder of Markdown articles with YAML front matter (and its faq*.csv|jsonl files), or a CSV/JSONL file of FAQs (question,answer,id,language,tags,paraphrases)',
    )
    .argument('<path>', 'folder or file')
    .option('--json', 'machine-readable output')
    .action(async (path: string, options: { json?: boolean }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const report = await withApp({}, (app) => importKnowledgePath(path, app.knowledge, cliActor))
        const { saved: _saved, ...result } = report
        out.result(result, () =>
          [
            `imported ${path}: ${report.inserted} inserted, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected.length} rejected`,
            ...report.rejected.map(
              (r) => `  ${r.file}${'line' in r ? `:${r.line}` : ''}: ${r.errors.join('; ')}`,
            ),
          ].join('\n'),
        )
      } catch (error) {
        process.exitCode = reportFailure(error, out.json)
      }
    })

  kb.command('search')
    .description('search the knowledge base like the agent does (both languages)')
    .argument('<query...>', 'the question')
    .option('--limit <n>', 'most results', '5')
    .option('--language <zh|en>', 'only articles in this language')
    .option('--json', 'machine-readable output')
    .action(async (words: string[], options: { limit: string; language?: string; json?: boolean }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const limit = Number(options.limit)
        if (!Number.isInteger(limit) || limit < 1 || limit > 50)
          throw new UsageError(`--limit "${options.limit}" must be a whole number from 1 to 50`)
        if (options.language !== undefined && options.language !== 'zh' && options.language !== 'en')
          throw new UsageError(`--language "${options.language}" must be zh or en`)
        const query = words.join(' ')
        const result = await withApp({}, (app) =>
          app.knowledge.search(query, { limit, language: options.language as 'zh' | 'en' | undefined }),
        )
        out.result(
          {
            query,
            queryLanguage: result.queryLanguage,
            indexVersion: result.indexVersion,
            hits: result.hits.map((hit) => ({
              externalId: hit.externalId,
              articleId: hit.articleId,
              title: hit.title,
              language: hit.articleLanguage,
              score: hit.score,
              strength: hit.strength,
              crossLingual: hit.crossLingual,
              passage: hit.passage,
            })),
          },
          () =>
            result.hits.length === 0
              ? `no passage matches "${query}"`
              : result.hits
                  .map(
                    (hit, i) =>
                      `${i + 1}. ${hit.title} [${hit.externalId ?? hit.articleId}] ${hit.articleLanguage}${hit.crossLingual ? ' (cross-lingual)' : ''} strength ${hit.strength.toFixed(2)}\n   ${hit.passage.replace(/\s+/g, ' ').slice(0, 160)}`,
                  )
                  .join('\n'),
        )
      } catch (error) {
        process.exitCode = reportFailure(error, out.json)
      }
    })

  kb.command('evaluate')
    .description(
      'retrieval quality on labelled questions: columns question,expected (external or internal id; none = excluded)',
    )
    .requiredOption('--data <file>', 'CSV or JSONL of questions')
    .option('--json', 'machine-readable output')
    .action(async (options: { data: string; json?: boolean }) => {
      const out = createOutput(Boolean(options.json))
      try {
        const rows = readQuestions(options.data)
        const report = await withApp({}, (app) => app.knowledge.evaluate(rows))
        const { misses, ...metrics } = report
        out.result(metrics, () =>
          [
            `n ${report.n} (excluded ${report.excluded}): recall@1 ${report.recall_at_1.toFixed(3)}, recall@3 ${report.recall_at_3.toFixed(3)}, recall@5 ${report.recall_at_5.toFixed(3)}, MRR ${report.mrr.toFixed(3)}`,
            ...misses
              .slice(0, 10)
              .map(
                (m) => `  miss: ${m.question} → expected ${m.expected}, got ${m.got.join(', ') || 'nothing'}`,
              ),
          ].join('\n'),
        )
      } catch (error) {
        process.exitCode = reportFailure(error, out.json)
      }
    })
}
