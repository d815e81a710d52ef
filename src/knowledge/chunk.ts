/**
 * Splitting knowledge-base articles into passages ("chunks") that retrieval ranks and the agent quotes.
 *
 * An article is a title and a Markdown body. The body is cut
 * 1. by headings (ATX `#`…`######`, and setext `===` / `---` underlines; `#` inside fenced code is code),
 *    and a chunk never crosses a heading: its `headingPath` names the headings above it;
 * 2. then by blocks (paragraphs, lists, fenced code, separated by blank lines), which are packed in order
 *    into chunks of at most `maxUnits` (a short paragraph joins its neighbours, and a short tail joins the
 *    chunk before it when that stays under 1.25 × `maxUnits`);
 * 3. a block longer than `maxUnits` is cut at sentence ends (`。！？；` and `.!?;` before a space, line
 *    breaks), and a sentence longer than `maxUnits` at the last space (or anywhere, for Chinese) that fits.
 * Size is counted in *units*: one per alphabetic word or number, one half per Han character — so the
 * defaults (80 to 200 units) mean about 80–200 English words or 160–400 Chinese characters.
 *
 * `start`/`end` are UTF-16 offsets into the body with `body.slice(start, end) === text` (the display text,
 * Markdown as written). The indexed text is `lead` + `text`, where `lead` is the title and the heading path:
 * the title helps every passage match, but is not shown as part of it.
 *
 * FAQ entries are one chunk each, never split: the display text is the answer (offsets into the answer) and
 * the lead is the question with all its paraphrases.
 *
 * @example
 *   chunkArticle({ id: 'returns', title: 'Returns', body: '# Policy\nWithin 30 days.\n\n# Refunds\n…' })
 *   // [{ chunkId: 'returns#0', headingPath: ['Policy'], text: 'Within 30 days.', start: 9, end: 24, … }, …]
 */
import { AppError } from '../core/index.js'

export type ChunkKind = 'section' | 'faq'

export interface Chunk {
  /** `<articleId>#<index>`. */
  readonly chunkId: string
  readonly articleId: string
  /** Position of the chunk in its article, from 0. */
  readonly index: number
  readonly kind: ChunkKind
  /** Headings above the chunk, outermost first (FAQ: the question). */
  readonly headingPath: readonly string[]
  /** UTF-16 offsets into the article body (FAQ: into the answer). */
  readonly start: number
  readonly end: number
  /** What is shown: `body.slice(start, end)`. */
  readonly text: string
  /** Indexed but not shown: title and heading path (FAQ: question and paraphrases). */
  readonly lead: string
  /** `lead` and `text`: what the analyzer indexes. */
  readonly indexText: string
}

export interface ArticleInput {
  readonly id: string
  readonly title: string
  /** Markdown. */
  readonly body: string
}

export interface FaqEntryInput {
  readonly question: string
  /** Other ways customers ask the same question. */
  readonly paraphrases?: readonly string[]
  readonly answer: string
}

export interface ChunkOptions {
  /** A chunk tail smaller than this joins the chunk before it (default 80 units). */
  readonly minUnits?: number
  /** Chunks are packed up to this size (default 200 units). */
  readonly maxUnits?: number
}

export const DEFAULT_MIN_UNITS = 80
export const DEFAULT_MAX_UNITS = 200

interface Span {
  readonly start: number
  readonly end: number
}

interface Section {
  readonly headingPath: readonly string[]
  readonly blocks: Span[]
}

function isHan(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x20000 && code <= 0x3ffff)
  )
}

const WORD_CHAR = /[\p{L}\p{N}]/u

/**
 * Size of a text in units: one per run of (non-Han) letters and digits, one half per Han character.
 *
 * @example
 *   textUnits('Refunds take 5 days') // 4
 *   textUnits('退款需要五天') // 3
 */
export function textUnits(text: string): number {
  let units = 0
  let inWord = false
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    if (isHan(code)) {
      units += 0.5
      inWord = false
    } else if (code < 0x80 ? /[a-z0-9]/i.test(char) : WORD_CHAR.test(char)) {
      if (!inWord) units++
      inWord = true
    } else inWord = false
  }
  return units
}

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/
const FENCE = /^ {0,3}(`{3,}|~{3,})/
const BLANK = /^[ \t]*$/

interface Line extends Span {
  readonly text: string
}

function linesOf(body: string): Line[] {
  const lines: Line[] = []
  let start = 0
  while (start <= body.length) {
    const newline = body.indexOf('\n', start)
    const stop = newline < 0 ? body.length : newline
    const end = stop > start && body.charCodeAt(stop - 1) === 13 ? stop - 1 : stop
    lines.push({ start, end, text: body.slice(start, end) })
    if (newline < 0) break
    start = newline + 1
  }
  return lines
}

/** Shrink a span to its non-white-space part. */
function trimSpan(body: string, span: Span): Span | undefined {
  let { start, end } = span
  while (start < end && /\s/.test(body[start])) start++
  while (end > start && /\s/.test(body[end - 1])) end--
  return end > start ? { start, end } : undefined
}

/** Sections (heading path + content blocks) of a Markdown body. */
function sectionsOf(body: string): Section[] {
  const sections: Section[] = []
  const headings: { level: number; text: string }[] = []
  let current: Section = { headingPath: [], blocks: [] }
  let paragraph: Line[] = []
  let fence: { char: string; length: number; start: number } | undefined

  const closeParagraph = (): void => {
    if (paragraph.length === 0) return
    const block = trimSpan(body, { start: paragraph[0].start, end: paragraph[paragraph.length - 1].end })
    if (block) current.blocks.push(block)
    paragraph = []
  }
  const openSection = (level: number, text: string): void => {
    if (current.blocks.length > 0) sections.push(current)
    while (headings.length > 0 && headings[headings.length - 1].level >= level) headings.pop()
    headings.push({ level, text: cleanHeading(text) })
    current = { headingPath: headings.map((heading) => heading.text).filter((t) => t !== ''), blocks: [] }
  }

  for (const line of linesOf(body)) {
    if (fence) {
      const closing = FENCE.exec(line.text)
      if (closing && closing[1][0] === fence.char && closing[1].length >= fence.length) {
        if (BLANK.test(line.text.slice(closing[0].length))) {
          const block = trimSpan(body, { start: fence.start, end: line.end })
          if (block) current.blocks.push(block)
          fence = undefined
        }
      }
      continue
    }
    const opening = FENCE.exec(line.text)
    if (opening) {
      closeParagraph()
      fence = { char: opening[1][0], length: opening[1].length, start: line.start }
      continue
    }
    const atx = ATX_HEADING.exec(line.text)
    if (atx) {
      closeParagraph()
      openSection(atx[1].length, atx[2] ?? '')
      continue
    }
    const underline = SETEXT_UNDERLINE.exec(line.text)
    if (underline && paragraph.length > 0) {
      const text = paragraph.map((part) => part.text.trim()).join(' ')
      paragraph = []
      openSection(underline[1][0] === '=' ? 1 : 2, text)
      continue
    }
    if (BLANK.test(line.text) || underline) {
      // A blank line ends a paragraph; a `---` after a blank line is a thematic break.
      closeParagraph()
      continue
    }
    paragraph.push(line)
  }
  if (fence) {
    const block = trimSpan(body, { start: fence.start, end: body.length })
    if (block) current.blocks.push(block)
  }
  closeParagraph()
  if (current.blocks.length > 0) sections.push(current)
  return sections
}

function cleanHeading(text: string): string {
  return text
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
}

const SENTENCE_END = /[。！？；…]+[」』”’）)]*|[.!?;]+["'”’)\]]*(?=\s)|\n/g

/** Cut a span at sentence ends, then cut sentences still over `maxUnits`. */
function splitLong(body: string, span: Span, maxUnits: number): Span[] {
  const text = body.slice(span.start, span.end)
  const sentences: Span[] = []
  let from = 0
  for (const match of text.matchAll(SENTENCE_END)) {
    const to = (match.index ?? 0) + match[0].length
    const piece = trimSpan(body, { start: span.start + from, end: span.start + to })
    if (piece) sentences.push(piece)
    from = to
  }
  const last = trimSpan(body, { start: span.start + from, end: span.end })
  if (last) sentences.push(last)
  const pieces: Span[] = []
  for (const sentence of sentences) {
    if (textUnits(body.slice(sentence.start, sentence.end)) <= maxUnits) pieces.push(sentence)
    else pieces.push(...hardSplit(body, sentence, maxUnits))
  }
  return pack(body, pieces, maxUnits)
}

/** Cut a sentence into pieces of at most `maxUnits`, preferring to cut at white space. */
function hardSplit(body: string, span: Span, maxUnits: number): Span[] {
  const pieces: Span[] = []
  let start = span.start
  let units = 0
  let inWord = false
  let lastSpace = -1
  let i = span.start
  while (i < span.end) {
    const code = body.codePointAt(i) ?? 0
    const width = code > 0xffff ? 2 : 1
    const char = body.slice(i, i + width)
    let cost = 0
    if (isHan(code)) {
      cost = 0.5
      inWord = false
    } else if (WORD_CHAR.test(char)) {
      cost = inWord ? 0 : 1
      inWord = true
    } else {
      inWord = false
      if (/\s/.test(char)) lastSpace = i
    }
    if (units + cost > maxUnits && i > start) {
      const cut = lastSpace > start ? lastSpace : i
      const piece = trimSpan(body, { start, end: cut })
      if (piece) pieces.push(piece)
      start = cut
      lastSpace = -1
      units = textUnits(body.slice(start, i))
      inWord = false
      continue
    }
    units += cost
    i += width
  }
  const piece = trimSpan(body, { start, end: span.end })
  if (piece) pieces.push(piece)
  return pieces
}

/** Pack consecutive pieces greedily into spans of at most `maxUnits`. */
function pack(body: string, pieces: readonly Span[], maxUnits: number): Span[] {
  const packed: Span[] = []
  let current: Span | undefined
  let units = 0
  for (const piece of pieces) {
    const size = textUnits(body.slice(piece.start, piece.end))
    if (current && units + size <= maxUnits) {
      current = { start: current.start, end: piece.end }
      units += size
    } else {
      if (current) packed.push(current)
      current = piece
      units = size
    }
  }
  if (current) packed.push(current)
  return packed
}

function chunkSection(body: string, section: Section, minUnits: number, maxUnits: number): Span[] {
  const pieces: Span[] = []
  for (const block of section.blocks) {
    if (textUnits(body.slice(block.start, block.end)) <= maxUnits) pieces.push(block)
    else pieces.push(...splitLong(body, block, maxUnits))
  }
  const spans = pack(body, pieces, maxUnits)
  if (spans.length >= 2) {
    const tail = spans[spans.length - 1]
    const before = spans[spans.length - 2]
    const tailUnits = textUnits(body.slice(tail.start, tail.end))
    const merged = textUnits(body.slice(before.start, tail.end))
    if (tailUnits < minUnits && merged <= maxUnits * 1.25)
      spans.splice(-2, 2, { start: before.start, end: tail.end })
  }
  return spans
}

function checkText(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new AppError('KB_INVALID_ARTICLE', `${what} must be a string`)
  return value
}

function checkId(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new AppError(
      'KB_INVALID_ARTICLE',
      `${what} must be a non-empty string, got ${JSON.stringify(value)}`,
    )
  return value
}

function sizes(options: ChunkOptions): { minUnits: number; maxUnits: number } {
  const maxUnits = options.maxUnits ?? DEFAULT_MAX_UNITS
  const minUnits = options.minUnits ?? DEFAULT_MIN_UNITS
  if (!(maxUnits >= 1 && minUnits >= 0 && minUnits <= maxUnits))
    throw new AppError(
      'KB_INVALID_ARTICLE',
      `chunk sizes min ${minUnits}, max ${maxUnits}: need 0 ≤ min ≤ max, max ≥ 1`,
    )
  return { minUnits, maxUnits }
}

/**
 * Chunks of a Markdown article; see the module comment. An article whose body has no text gives one empty
 * chunk, so that its title can still be found.
 */
export function chunkArticle(article: ArticleInput, options: ChunkOptions = {}): Chunk[] {
  const articleId = checkId(article?.id, 'article id')
  const title = checkText(article.title, `title of article "${articleId}"`).trim()
  const body = checkText(article.body, `body of article "${articleId}"`)
  const { minUnits, maxUnits } = sizes(options)
  const chunks: Chunk[] = []
  for (const section of sectionsOf(body)) {
    for (const span of chunkSection(body, section, minUnits, maxUnits)) {
      const text = body.slice(span.start, span.end)
      const lead = [title, ...section.headingPath].filter((part) => part !== '').join('\n')
      chunks.push({
        chunkId: `${articleId}#${chunks.length}`,
        articleId,
        index: chunks.length,
        kind: 'section',
        headingPath: section.headingPath,
        start: span.start,
        end: span.end,
        text,
        lead,
        indexText: lead === '' ? text : `${lead}\n\n${text}`,
      })
    }
  }
  if (chunks.length === 0)
    chunks.push({
      chunkId: `${articleId}#0`,
      articleId,
      index: 0,
      kind: 'section',
      headingPath: [],
      start: 0,
      end: 0,
      text: '',
      lead: title,
      indexText: title,
    })
  return chunks
}

/**
 * One chunk per FAQ entry of an article (a FAQ page, or a single question with `entries` of length 1).
 *
 * @example
 *   chunkFaq('faq-refunds', [{ question: 'How do I get a refund?', paraphrases: ['money back?'], answer: '…' }])
 */
export function chunkFaq(articleId: string, entries: readonly FaqEntryInput[]): Chunk[] {
  checkId(articleId, 'FAQ article id')
  if (!Array.isArray(entries as unknown))
    throw new AppError('KB_INVALID_ARTICLE', `entries of "${articleId}" must be an array`)
  return entries.map((entry, index) => {
    const question = checkText(entry?.question, `question ${index} of "${articleId}"`).trim()
    const answer = checkText(entry.answer, `answer ${index} of "${articleId}"`)
    const paraphrases = (entry.paraphrases ?? []).map((text, j) =>
      checkText(text, `paraphrase ${j} of question ${index} of "${articleId}"`).trim(),
    )
    const lead = [question, ...paraphrases].filter((part) => part !== '').join('\n')
    return {
      chunkId: `${articleId}#${index}`,
      articleId,
      index,
      kind: 'faq',
      headingPath: question === '' ? [] : [question],
      start: 0,
      end: answer.length,
      text: answer,
      lead,
      indexText: lead === '' ? answer : `${lead}\n\n${answer}`,
    }
  })
}
