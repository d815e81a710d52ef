/**
 * Fingerprints of frozen corpora (issue 3). A fingerprint is the sha256 (hex) of the corpus's canonical JSON
 * lines: each record serialised with its keys sorted (recursively) and no extra whitespace, records joined by
 * "\n" with a final "\n". Blank lines are ignored, so the fingerprint does not depend on key order, spacing or
 * a trailing newline — only on the records and their order.
 */
import { createHash } from 'node:crypto'

export type CorpusLine = string | Readonly<Record<string, unknown>>

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key])
    return out
  }
  return value
}

/** JSON with keys sorted at every level and no whitespace. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

/** sha256 (hex) over the canonical form of the given JSONL lines (strings are parsed) or records. */
export function fingerprintCorpus(lines: readonly CorpusLine[]): string {
  const hash = createHash('sha256')
  for (const line of lines) {
    if (typeof line === 'string') {
      if (line.trim() === '') continue
      hash.update(canonicalJson(JSON.parse(line)) + '\n')
    } else {
      hash.update(canonicalJson(line) + '\n')
    }
  }
  return hash.digest('hex')
}

/** Fingerprint of a whole JSONL document (e.g. a file's contents). */
export function fingerprintJsonl(content: string): string {
  return fingerprintCorpus(content.split(/\r?\n/))
}
