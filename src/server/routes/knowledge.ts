import { z } from 'zod'
import { AppError } from '../../core/index.js'
import { listQueryBase } from '../../crm/index.js'
import {
  applyArticlePatch,
  articleCreateSchema,
  articlePatchSchema,
  faqCreateSchema,
  toRecordInput,
  type Article,
  type ArticleKind,
} from '../../knowledge/index.js'
import type { App } from '../../app.js'
import type { ApiServer } from './types.js'

const tags = ['knowledge']
const idParams = z.strictObject({ id: z.string().min(1).max(200) })
const listQuery = z.strictObject({
  ...listQueryBase,
  language: z.enum(['zh', 'en']).optional(),
  status: z.enum(['draft', 'published']).optional(),
  externalId: z.string().max(200).optional(),
  translationGroup: z.string().max(200).optional(),
})

/** An FAQ entry as the API shows it: question and answer, not title and body. */
function faqView(article: Article) {
  const { title: _title, body, kind: _kind, ...rest } = article
  return { ...rest, question: article.question ?? article.title, answer: body }
}

/** Knowledge base: articles and FAQ entries (versioned), search as the agent sees it. */
export function knowledgeRoutes(server: ApiServer, app: App): void {
  const kinds: { kind: ArticleKind; path: string; noun: string }[] = [
    { kind: 'article', path: '/api/v1/kb/articles', noun: 'article' },
    { kind: 'faq', path: '/api/v1/kb/faqs', noun: 'FAQ entry' },
  ]
  for (const { kind, path, noun } of kinds) {
    const view = (article: Article) => (kind === 'faq' ? faqView(article) : article)
    server.get(
      path,
      {
        schema: {
          tags,
          summary: `List ${noun === 'article' ? 'articles' : 'FAQ entries'} (filters, sort, q)`,
          querystring: listQuery,
        },
        config: { minRole: 'viewer' },
      },
      async (request) => {
        const { limit, cursor, sort, q, ...filters } = request.query
        const page = await app.knowledge.repository.list({ limit, cursor, sort, q, filters }, kind)
        return { items: page.items.map(view), nextCursor: page.nextCursor }
      },
    )
    server.post(
      path,
      {
        schema: {
          tags,
          summary: `Create an ${noun} (or update the one with the same externalId: a new version)`,
          body: kind === 'faq' ? faqCreateSchema : articleCreateSchema,
        },
        config: { minRole: 'agent' },
      },
      async (request, reply) => {
        const record =
          kind === 'faq'
            ? toRecordInput('faq', faqCreateSchema.parse(request.body))
            : toRecordInput('article', articleCreateSchema.parse(request.body))
        const { article, outcome } = await app.knowledge.save(record, request.actor)
        reply.code(outcome === 'inserted' ? 201 : 200)
        return view(article)
      },
    )
    server.get(
      `${path}/:id`,
      {
        schema: { tags, summary: `Get an ${noun} by id or external id`, params: idParams },
        config: { minRole: 'viewer' },
      },
      async (request) => view(await app.knowledge.repository.get(request.params.id, kind)),
    )
    server.get(
      `${path}/:id/versions`,
      {
        schema: { tags, summary: `Every version of an ${noun}, newest first`, params: idParams },
        config: { minRole: 'viewer' },
      },
      async (request) => ({
        items: await app.knowledge.repository.versions(request.params.id, kind),
        nextCursor: null,
      }),
    )
    server.patch(
      `${path}/:id`,
      {
        schema: {
          tags,
          summary: `Update an ${noun} (merge; a change makes a new version)`,
          params: idParams,
          body: articlePatchSchema,
        },
        config: { minRole: 'agent' },
      },
      async (request) => {
        const foreign =
          kind === 'article'
            ? (['question', 'answer', 'paraphrases'] as const).filter(
                (field) => request.body[field] !== undefined,
              )
            : []
        if (foreign.length > 0) {
          throw new AppError(
            'CORE_VALIDATION_FAILED',
            `${foreign.join(', ')} belong to FAQ entries; an article has title and body`,
            { details: { fields: foreign } },
          )
        }
        const current = await app.knowledge.repository.get(request.params.id, kind)
        const { article } = await app.knowledge.save(
          applyArticlePatch(current, request.body),
          request.actor,
          current.id,
        )
        return view(article)
      },
    )
    server.delete(
      `${path}/:id`,
      {
        schema: { tags, summary: `Delete an ${noun} with its versions`, params: idParams },
        config: { minRole: 'admin' },
      },
      async (request, reply) => {
        await app.knowledge.remove(request.params.id, request.actor, kind)
        reply.code(204)
        return null
      },
    )
  }

  server.get(
    '/api/v1/kb/search',
    {
      schema: {
        tags,
        summary: 'Search the knowledge base as the agent does (both languages; one hit per article)',
        querystring: z.strictObject({
          q: z.string().min(1).max(2000),
          limit: z.coerce.number().int().min(1).max(50).default(5),
          language: z.enum(['zh', 'en']).optional(),
        }),
      },
      config: { minRole: 'viewer' },
    },
    async (request) => {
      const result = await app.knowledge.search(request.query.q, {
        limit: request.query.limit,
        language: request.query.language,
      })
      return {
        queryLanguage: result.queryLanguage,
        indexVersion: result.indexVersion,
        translatedTerms: result.translatedTerms,
        items: result.hits.map((hit) => ({
          articleId: hit.articleId,
          externalId: hit.externalId,
          kind: hit.kind,
          title: hit.title,
          language: hit.articleLanguage,
          heading: hit.heading,
          passage: hit.passage,
          score: hit.score,
          strength: hit.strength,
          crossLingual: hit.crossLingual,
          matchedTerms: hit.matchedTerms,
        })),
      }
    },
  )
}
