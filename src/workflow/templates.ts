import { z } from 'zod'

/**
 * Texts in workflow steps (reply templates, notes, task titles, survey questions, notifications) are
 * templates: plain text with `{{fact}}` placeholders naming a fact of the run (`{{customer.name}}`,
 * `{{survey.score}}`, `{{decision.reply}}`). A text is a string, or `{zh, en}` when it is shown to customers
 * in their own language. Placeholders are checked against the facts the run has at that step.
 */
export type TemplateText = string | { readonly zh?: string; readonly en?: string }

/** The longest template text. */
export const MAX_TEMPLATE_CHARS = 5_000

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g
const PLACEHOLDER_NAME = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$/

/** One `{{name}}` in a text, with its position. */
export interface Placeholder {
  readonly name: string
  readonly start: number
}

/**
 * The placeholders of a text, and the syntax problems: an unclosed `{{`, a stray `}}`, a name that is
 * not a dotted fact name.
 *
 * @example
 *   templatePlaceholders('Hi {{customer.name}}') // → { placeholders: [{ name: 'customer.name', start: 3 }], problems: [] }
 */
export function templatePlaceholders(text: string): {
  placeholders: Placeholder[]
  problems: string[]
} {
  const placeholders: Placeholder[] = []
  const problems: string[] = []
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1].trim()
    if (!PLACEHOLDER_NAME.test(name)) {
      problems.push(
        `placeholder "{{${match[1]}}}" must name a fact such as {{customer.name}} or {{decision.reply}}`,
      )
    } else placeholders.push({ name, start: match.index })
  }
  const rest = text.replace(PLACEHOLDER, '')
  if (rest.includes('{{'))
    problems.push('a placeholder is not closed: write {{fact}}, such as {{customer.name}}')
  else if (rest.includes('}}')) problems.push('"}}" closes no placeholder: write {{fact}}')
  return { placeholders, problems }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  return JSON.stringify(value)
}

function checkText(
  value: unknown,
  path: (string | number)[],
  context: z.core.$RefinementCtx,
  required: boolean,
): void {
  if (typeof value !== 'string') {
    context.addIssue({
      code: 'custom',
      path,
      message: value === undefined && required ? 'text is required' : `expected text; got ${describe(value)}`,
    })
    return
  }
  if (value.trim() === '') context.addIssue({ code: 'custom', path, message: 'text must not be empty' })
  else if (value.length > MAX_TEMPLATE_CHARS) {
    context.addIssue({
      code: 'custom',
      path,
      message: `text has ${value.length} characters; at most ${MAX_TEMPLATE_CHARS}`,
    })
  } else if (value.includes('\u0000')) {
    context.addIssue({ code: 'custom', path, message: 'text must not contain NUL characters' })
  }
  for (const problem of templatePlaceholders(value).problems)
    context.addIssue({ code: 'custom', path, message: problem })
}

function textSchema(bilingual: boolean) {
  const shapes = bilingual ? '{zh, en} with both languages' : 'text or {zh, en}'
  return z
    .unknown()
    .superRefine((value, context) => {
      if (typeof value === 'string' && !bilingual) {
        checkText(value, [], context, true)
        return
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        context.addIssue({ code: 'custom', message: `expected ${shapes}; got ${describe(value)}` })
        return
      }
      const record = value as Record<string, unknown>
      for (const key of Object.keys(record)) {
        if (key !== 'zh' && key !== 'en') {
          context.addIssue({
            code: 'custom',
            path: [key],
            message: `unknown language "${key}"; texts are written in zh and en`,
          })
        }
      }
      const languages = (['zh', 'en'] as const).filter((language) => record[language] !== undefined)
      if (bilingual) {
        for (const language of ['zh', 'en'] as const) {
          if (record[language] === undefined) {
            context.addIssue({
              code: 'custom',
              path: [language],
              message: `the ${language === 'zh' ? 'Chinese (zh)' : 'English (en)'} text is required: customers get it in their own language`,
            })
          } else checkText(record[language], [language], context, true)
        }
        return
      }
      if (languages.length === 0)
        context.addIssue({ code: 'custom', message: 'give the text in zh, en or both' })
      for (const language of languages) checkText(record[language], [language], context, true)
    })
    .meta({
      description: bilingual
        ? 'Text in both languages, {zh, en}, with {{fact}} placeholders.'
        : 'Text, or {zh, en}, with {{fact}} placeholders such as {{customer.name}}.',
    }) as unknown as z.ZodType<TemplateText>
}

/** A template: text or `{zh, en}` (at least one), with `{{fact}}` placeholders. */
export const templateSchema = textSchema(false)

/** A template a customer reads in their own language: `{zh, en}`, both required. */
export const bilingualTemplateSchema = textSchema(true) as z.ZodType<{
  readonly zh: string
  readonly en: string
}>

/** The language a customer reads: `zh` for a Chinese locale, else `en`. */
export type TemplateLanguage = 'zh' | 'en'

/**
 * Fills a template's `{{fact}}` placeholders from a run's facts, in `language` (a `{zh, en}` text falls
 * back to the other language when one is missing). A missing fact becomes an empty string; a list is
 * joined with commas; an object (a money amount) is written as JSON.
 *
 * @example
 *   renderTemplate({ zh: '您好，{{customer.name}}', en: 'Hi {{customer.name}}' }, { 'customer.name': 'Li' }, 'en') // → 'Hi Li'
 */
export function renderTemplate(
  template: TemplateText,
  facts: Readonly<Record<string, unknown>>,
  language: TemplateLanguage = 'zh',
): string {
  const text =
    typeof template === 'string'
      ? template
      : language === 'en'
        ? (template.en ?? template.zh ?? '')
        : (template.zh ?? template.en ?? '')
  return text.replace(PLACEHOLDER, (_match, raw: string) => {
    const value = facts[raw.trim()]
    if (value === undefined || value === null) return ''
    if (Array.isArray(value)) return value.map(String).join(', ')
    if (typeof value === 'object') return JSON.stringify(value)
    return String(value)
  })
}
