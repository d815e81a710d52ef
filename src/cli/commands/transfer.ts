import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { Argument, Option, type Command } from 'commander'
import { cliActor } from '../../crm/index.js'
import {
  EXPORT_ENTITIES,
  formatFromPath,
  IMPORT_ENTITIES,
  parseFormat,
  type ExportEntity,
  type ImportEntity,
  type ImportReport,
} from '../../store/index.js'
import { withApp } from '../context.js'
import { createOutput, reportFailure } from '../output.js'
import { createProgress } from '../progress.js'

const FORMATS = ['csv', 'jsonl', 'ndjson']

function describeReport(entity: string, report: ImportReport, dryRun: boolean): string {
  const lines = [
    `${dryRun ? 'dry run — nothing written; would have ' : ''}imported ${entity}: ${report.inserted} inserted, ${report.updated} updated, ${report.rows - report.inserted - report.updated} rejected (${report.rows} rows read)`,
  ]
  for (const row of report.rejected.slice(0, 20)) lines.push(`  line ${row.line}: ${row.errors.join('; ')}`)
  if (report.rejected.length > 20)
    lines.push(`  … and ${report.rejected.length - 20} more (use --json for all)`)
  return lines.join('\n')
}

/** `import ENTITY FILE` and `export ENTITY` (CONTRACTS). */
export function registerTransferCommands(program: Command): void {
  program
    .command('import')
    .description('import a CSV or NDJSON file; valid rows are upserted, invalid ones listed by line')
    .addArgument(new Argument('<entity>', 'what the file holds').choices(IMPORT_ENTITIES))
    .argument('<file>', 'a .csv file with a header row, or .jsonl/.ndjson with one JSON object per line')
    .option('--dry-run', 'validate every row (lookups included) and write nothing')
    .addOption(new Option('--format <format>', 'file format (default: from the file name)').choices(FORMATS))
    .option('--json', 'print the report as one JSON document')
    .action(
      async (
        entity: ImportEntity,
        file: string,
        options: { dryRun?: boolean; format?: string; json?: boolean },
      ) => {
        const out = createOutput(Boolean(options.json))
        try {
          const dryRun = Boolean(options.dryRun)
          const report = await withApp({}, async (app) => {
            const progress = createProgress(process.stderr)
            try {
              return await app.transfer.importFile({
                entity,
                path: file,
                format: options.format ? parseFormat(options.format) : undefined,
                dryRun,
                actor: cliActor,
                onProgress: (done, totalBytes) => progress.update(done.bytes, totalBytes, entity),
              })
            } finally {
              progress.done()
            }
          })
          out.result(report, () => describeReport(entity, report, dryRun))
        } catch (error) {
          process.exitCode = reportFailure(error, out.json)
        }
      },
    )

  program
    .command('export')
    .description('export records as CSV or JSON lines (streamed); the CSV re-imports as is')
    .addArgument(new Argument('<entity>', 'what to export').choices(EXPORT_ENTITIES))
    .addOption(
      new Option('--format <format>', 'csv or jsonl (default: from --out, else csv)').choices(FORMATS),
    )
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (entity: ExportEntity, options: { format?: string; out?: string }) => {
      try {
        const format = options.format
          ? parseFormat(options.format)
          : ((options.out ? formatFromPath(options.out) : null) ?? 'csv')
        await withApp({}, async (app) => {
          const destination = options.out ? createWriteStream(options.out) : process.stdout
          let broken = false
          destination.on('error', (error: NodeJS.ErrnoException) => {
            // A reader that stops early (`| head`) is not a failure of the export.
            if (error.code === 'EPIPE') broken = true
            else throw error
          })
          for await (const text of app.transfer.exportRows(entity, format)) {
            if (broken) break
            if (!destination.write(text)) await once(destination, 'drain')
          }
          if (options.out) {
            destination.end()
            await once(destination, 'finish')
            process.stderr.write(`exported ${entity} to ${options.out}\n`)
          }
        })
      } catch (error) {
        process.exitCode = reportFailure(error, false)
      }
    })
}
