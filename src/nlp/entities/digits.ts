/**
 * Shared scanner for numbers written with separators (`138 0013 8000`, `6222-0202-0011-2233`, `+86 (21) 6888 8888`).
 * Phone and bank-card extraction both read these chunks and try windows of whole digit groups.
 */

/** A maximal run of digits. */
export interface DigitGroup {
  readonly start: number
  readonly end: number
}

export interface DigitChunk {
  readonly start: number
  readonly end: number
  readonly groups: readonly DigitGroup[]
}

/**
 * A chunk starts with `+`, `(` or a digit that does not follow a word character or `+`, then takes one
 * character per step: a digit, or a separator that is followed (within two more separators) by a digit.
 * One character per step and nothing after the loop: the match is unique and linear, with no backtracking.
 */
const CHUNK = /(?<![\w+])(?:\+(?=\(?\d)|\((?=\d))?\d(?:\d|[ \-.\u00a0()/](?=[ \-.\u00a0()/]{0,2}\d))*/g

/** Finds number chunks; chunks glued to a following Latin letter (`4111…abc`) are codes and are skipped. */
export function findDigitChunks(text: string): DigitChunk[] {
  const chunks: DigitChunk[] = []
  CHUNK.lastIndex = 0
  for (let match = CHUNK.exec(text); match !== null; match = CHUNK.exec(text)) {
    const start = match.index
    const end = start + match[0].length
    const next = text.charCodeAt(end)
    if ((next >= 65 && next <= 90) || (next >= 97 && next <= 122) || next === 95) continue
    const groups: DigitGroup[] = []
    let groupStart = -1
    for (let index = start; index < end; index += 1) {
      const code = text.charCodeAt(index)
      const digit = code >= 48 && code <= 57
      if (digit && groupStart < 0) groupStart = index
      if (!digit && groupStart >= 0) {
        groups.push({ start: groupStart, end: index })
        groupStart = -1
      }
    }
    if (groupStart >= 0) groups.push({ start: groupStart, end })
    chunks.push({ start, end, groups })
  }
  return chunks
}

/** The digits of `text` between two offsets. */
export function digitsOf(text: string, start: number, end: number): string {
  let digits = ''
  for (let index = start; index < end; index += 1) {
    const code = text.charCodeAt(index)
    if (code >= 48 && code <= 57) digits += text[index]
  }
  return digits
}
