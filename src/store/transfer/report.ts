/** A row that was not imported: its line in the file and what is wrong with it. */
export interface RejectedRow {
  readonly line: number
  readonly errors: string[]
}

/**
 * The result of an import (CONTRACTS: `{inserted, updated, rejected: [{line, errors}]}`), plus `rows` read and,
 * when more rows were rejected than are listed, `truncated: true` (the list keeps the first
 * `MAX_REJECTED_LISTED`, so memory stays bounded whatever the file holds).
 */
export interface ImportReport {
  inserted: number
  updated: number
  rejected: RejectedRow[]
  rows: number
  truncated?: boolean
}

export const MAX_REJECTED_LISTED = 10_000

export interface ReportBuilder {
  reject(line: number, errors: readonly string[]): void
  readonly report: ImportReport
  /** Rejections counted, listed or not. */
  readonly rejectedTotal: number
  finish(): ImportReport
}

export function createReportBuilder(): ReportBuilder {
  const report: ImportReport = { inserted: 0, updated: 0, rejected: [], rows: 0 }
  let total = 0
  return {
    report,
    get rejectedTotal() {
      return total
    },
    reject(line, errors) {
      total++
      if (report.rejected.length < MAX_REJECTED_LISTED) report.rejected.push({ line, errors: [...errors] })
      else report.truncated = true
    },
    finish() {
      report.rejected.sort((a, b) => a.line - b.line)
      return report
    },
  }
}
