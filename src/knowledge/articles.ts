/**
 * Knowledge-base records as the API and the importer see them: articles (Markdown) and FAQ entries
 * (question, paraphrases, answer). Both are stored as one kind of record (`kind`), so retrieval, citations
 * and versions treat them alike; an FAQ's title is its question and its body its answer.
 */
import { z } from 'zod'
import { cleanText } from '../crm/common.js'

export const ARTICLE_KINDS = ['article', 'faq'] as const
export type ArticleKind = (typeof ARTICLE_KINDS)[number]
export const ARTICLE_STATUSES = ['draft', 'published'] as const
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number]

const text = (max: number) => cleanText(max)

/** An external id: what a file's front matter or a CSV row calls the record (`returns-policy-zh`). */
export const externalIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/,
    'use letters, digits and . _ : / - (starting with a letter or digit)',
  )

/** An intent label the article answers (built-in or a workspace's own). */
export const intentLabelSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_]*$/, 'use lower-case letters, digits and _ (like refund_request)')

const tagsSchema = z.array(text(64).trim().min(1)).max(50)
/** Product ids (`prd_…`) or SKUs. */
const productsSchema = z.array(z.string().min(1).max(64)).max(200)
const intentsSchema = z.array(intentLabelSchema).max(50)

const common = {
  externalId: externalIdSchema.optional(),
  language: z.enum(['zh', 'en']),
  status: z.enum(ARTICLE_STATUSES).default('published'),
  tags: tagsSchema.default([]),
  products: productsSchema.default([]),
  intents: intentsSchema.default([]),
  translationGroup: text(200).trim().min(1).nullable().optional(),
}

export const articleCreateSchema = z.strictObject({
  ...common,
  title: text(300).trim().min(1),
  body: text(200_000).trim().min(1),
})
export type ArticleCreate = z.output<typeof articleCreateSchema>

export const faqCreateSchema = z.strictObject({
  ...common,
  question: text(1_000).trim().min(1),
  answer: text(20_000).trim().min(1),
  paraphrases: z.array(text(1_000).trim().min(1)).max(100).default([]),
})
export type FaqCreate = z.output<typeof faqCreateSchema>

export const articlePatchSchema = z.strictObject({
  externalId: externalIdSchema.nullable().optional(),
  language: z.enum(['zh', 'en']).optional(),
  status: z.enum(ARTICLE_STATUSES).optional(),
  // No defaults here: a field left out of a patch keeps its value (zod applies an inner default even
  // under .optional()).
  tags: tagsSchema.optional(),
  products: productsSchema.optional(),
  intents: intentsSchema.optional(),
  translationGroup: common.translationGroup,
  title: text(300).trim().min(1).optional(),
  body: text(200_000).trim().min(1).optional(),
  question: text(1_000).trim().min(1).optional(),
  answer: text(20_000).trim().min(1).optional(),
  paraphrases: z.array(text(1_000).trim().min(1)).max(100).optional(),
})
export type ArticlePatch = z.output<typeof articlePatchSchema>

/** What the store keeps for a record of either kind. */
export interface ArticleRecordInput {
  readonly kind: ArticleKind
  readonly externalId: string | null
  readonly title: string
  readonly body: string
  readonly question: string | null
  readonly paraphrases: readonly string[]
  readonly language: 'zh' | 'en'
  readonly status: ArticleStatus
  readonly tags: readonly string[]
  readonly products: readonly string[]
  readonly intents: readonly string[]
  readonly translationGroup: string | null
}

export interface Article {
  id: string
  externalId: string | null
  kind: ArticleKind
  title: string
  body: string
  question: string | null
  paraphrases: string[]
  language: 'zh' | 'en'
  status: ArticleStatus
  version: number
  translationGroup: string | null
  tags: string[]
  /** Linked product ids. */
  products: string[]
  intents: string[]
  createdAt: string
  updatedAt: string
}

export interface ArticleVersion {
  id: string
  articleId: string
  version: number
  title: string
  body: string
  question: string | null
  paraphrases: string[]
  status: ArticleStatus
  createdBy: string | null
  createdAt: string
}

/** A record from either create schema, in the store's shape. */
export function toRecordInput(kind: 'article', input: ArticleCreate): ArticleRecordInput
export function toRecordInput(kind: 'faq', input: FaqCreate): ArticleRecordInput
export function toRecordInput(kind: ArticleKind, input: ArticleCreate | FaqCreate): ArticleRecordInput {
  const shared = {
    kind,
    externalId: input.externalId ?? null,
    language: input.language,
    status: input.status,
    tags: input.tags,
    products: input.products,
    intents: input.intents,
    translationGroup: input.translationGroup ?? null,
  }
  if (kind === 'faq') {
    const faq = input as FaqCreate
    return {
      ...shared,
      title: faq.question,
      body: faq.answer,
      question: faq.question,
      paraphrases: faq.paraphrases,
    }
  }
  const article = input as ArticleCreate
  return { ...shared, title: article.title, body: article.body, question: null, paraphrases: [] }
}

/** Applies a patch to a stored record (merge semantics; `null` clears the nullable fields). */
export function applyArticlePatch(current: Article, patch: ArticlePatch): ArticleRecordInput {
  const isFaq = current.kind === 'faq'
  const question = isFaq ? (patch.question ?? patch.title ?? current.question ?? current.title) : null
  return {
    kind: current.kind,
    externalId: patch.externalId === undefined ? current.externalId : patch.externalId,
    title: isFaq ? (question ?? current.title) : (patch.title ?? current.title),
    body: isFaq ? (patch.answer ?? patch.body ?? current.body) : (patch.body ?? current.body),
    question,
    paraphrases: isFaq ? (patch.paraphrases ?? current.paraphrases) : [],
    language: patch.language ?? current.language,
    status: patch.status ?? current.status,
    tags: patch.tags ?? current.tags,
    products: patch.products ?? current.products,
    intents: patch.intents ?? current.intents,
    translationGroup:
      patch.translationGroup === undefined ? current.translationGroup : patch.translationGroup,
  }
}

/** One chunk of a published record as the retrieval index keeps it (analysed by `src/knowledge`). */
export interface StoredChunk {
  readonly id: string
  readonly articleId: string
  readonly position: number
  readonly heading: string
  readonly passage: string
  readonly start: number
  readonly end: number
  readonly language: string
  readonly terms: readonly string[]
}

export type SaveOutcome = 'inserted' | 'updated' | 'unchanged'
