import { sql } from 'kysely'
import { AppError, newId } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import type {
  Article,
  ArticleKind,
  ArticleRecordInput,
  ArticleVersion,
  SaveOutcome,
  StoredChunk,
} from '../../knowledge/articles.js'
import { writeAudit } from '../audit.js'
import type { Db } from '../database.js'
import { inTransaction, type RepositoryContext } from '../crm/context.js'
import { listRows, type EntityTable, type ListQuery, type Page } from '../entity-table.js'

export const articlesTable: EntityTable = {
  entity: 'article',
  table: 'kb_articles',
  idKind: 'article',
  notFound: 'KB_ARTICLE_NOT_FOUND',
  columns: { paraphrases: 'json', tags: 'json', createdAt: 'time', updatedAt: 'time' },
  sortable: ['createdAt', 'updatedAt', 'id', 'title', 'language'],
  defaultSort: ['-updatedAt'],
  filters: { kind: 'text', language: 'text', status: 'text', externalId: 'text', translationGroup: 'text' },
  search: ['title', 'body', 'externalId'],
  references: [],
}

const versionColumns = { paraphrases: 'json', createdAt: 'time' } as const

/**
 * Knowledge-base records (articles and FAQ entries), their versions, product and intent links, and the
 * retrieval index kept in the database: the analysed chunks of every published record plus a change log
 * whose last number is the index version. A process serving retrieval loads the chunks once and then
 * applies the changes after its version (see `changesSince`).
 */
export function createKnowledgeRepository(context: RepositoryContext) {
  const { store, clock } = context
  const codec = store.codec

  async function links(db: Db, ids: readonly string[]) {
    const products = new Map<string, string[]>()
    const intents = new Map<string, string[]>()
    if (ids.length === 0) return { products, intents }
    for (let i = 0; i < ids.length; i += 500) {
      const slice = ids.slice(i, i + 500)
      const productRows = await db
        .selectFrom('kb_article_products')
        .select(['articleId', 'productId'])
        .where('articleId', 'in', slice)
        .orderBy('productId')
        .execute()
      for (const row of productRows) {
        const list = products.get(String(row.articleId)) ?? []
        list.push(String(row.productId))
        products.set(String(row.articleId), list)
      }
      const intentRows = await db
        .selectFrom('kb_article_intents')
        .select(['articleId', 'intent'])
        .where('articleId', 'in', slice)
        .orderBy('intent')
        .execute()
      for (const row of intentRows) {
        const list = intents.get(String(row.articleId)) ?? []
        list.push(String(row.intent))
        intents.set(String(row.articleId), list)
      }
    }
    // sorted here, not by the database: collations differ (`_` sorts differently under en_US and C)
    for (const list of products.values()) list.sort()
    for (const list of intents.values()) list.sort()
    return { products, intents }
  }

  async function decorate(db: Db, rows: Record<string, unknown>[]): Promise<Article[]> {
    const decoded = rows.map((row) =>
      codec.decode<Omit<Article, 'products' | 'intents'>>(articlesTable.columns, row),
    )
    const { products, intents } = await links(
      db,
      decoded.map((article) => article.id),
    )
    return decoded.map((article) => ({
      ...article,
      products: products.get(article.id) ?? [],
      intents: intents.get(article.id) ?? [],
    }))
  }

  function notFound(idOrExternal: string, kind?: ArticleKind): AppError {
    return new AppError(
      kind === 'faq' ? 'KB_FAQ_NOT_FOUND' : 'KB_ARTICLE_NOT_FOUND',
      `${kind === 'faq' ? 'FAQ entry' : 'article'} "${idOrExternal}" does not exist`,
      { details: { id: idOrExternal } },
    )
  }

  async function find(id: string, db: Db = store.db): Promise<Article | null> {
    if (id.includes('\u0000')) return null
    const row = await db.selectFrom('kb_articles').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? (await decorate(db, [row]))[0] : null
  }

  async function findByExternalId(externalId: string, db: Db = store.db): Promise<Article | null> {
    if (externalId.includes('\u0000')) return null
    const row = await db
      .selectFrom('kb_articles')
      .selectAll()
      .where('externalId', '=', externalId)
      .executeTakeFirst()
    return row ? (await decorate(db, [row]))[0] : null
  }

  /** By id, then by external id; a record of another kind is not found. */
  async function get(idOrExternal: string, kind?: ArticleKind): Promise<Article> {
    const article = (await find(idOrExternal)) ?? (await findByExternalId(idOrExternal))
    if (!article || (kind && article.kind !== kind)) throw notFound(idOrExternal, kind)
    return article
  }

  async function list(query: ListQuery, kind?: ArticleKind): Promise<Page<Article>> {
    const page = await listRows<Record<string, unknown>>(
      store,
      { ...articlesTable, columns: {} },
      query,
      (qb) => (kind ? qb.where('kind', '=', kind) : qb),
    )
    return { items: await decorate(store.db, page.items), nextCursor: page.nextCursor }
  }

  /** Product ids for ids or SKUs; every unknown one is named in one error. */
  async function resolveProducts(db: Db, references: readonly string[]): Promise<string[]> {
    if (references.length === 0) return []
    const unique = [...new Set(references)]
    const rows = await db
      .selectFrom('products')
      .select(['id', 'sku'])
      .where((eb) => eb.or([eb('id', 'in', unique), eb('sku', 'in', unique)]))
      .execute()
    const byReference = new Map<string, string>()
    for (const row of rows) {
      byReference.set(String(row.id), String(row.id))
      byReference.set(String(row.sku), String(row.id))
    }
    const unknown = unique.filter((reference) => !byReference.has(reference))
    if (unknown.length > 0) {
      throw new AppError(
        'KB_UNKNOWN_PRODUCT',
        `unknown product${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}: give a product id (prd_…) or the SKU of a product in the catalogue`,
        { details: { products: unknown } },
      )
    }
    return [...new Set(unique.map((reference) => byReference.get(reference) as string))].sort()
  }

  function sameContent(current: Article, next: ArticleRecordInput, products: readonly string[]): boolean {
    const same = (a: readonly string[], b: readonly string[]) =>
      a.length === b.length && a.every((v, i) => v === b[i])
    return (
      current.kind === next.kind &&
      current.externalId === next.externalId &&
      current.title === next.title &&
      current.body === next.body &&
      current.question === next.question &&
      same(current.paraphrases, next.paraphrases) &&
      current.language === next.language &&
      current.status === next.status &&
      current.translationGroup === next.translationGroup &&
      same(current.tags, next.tags) &&
      same(current.products, products) &&
      same(current.intents, [...new Set(next.intents)].sort())
    )
  }

  async function appendChange(db: Db, articleId: string, at: string): Promise<number> {
    // One version at a time: two Postgres transactions would otherwise both take max + 1 (the second fails
    // on the key), and followers could see a later version commit before an earlier one. SQLite writes are
    // serial already. The lock is held until the transaction commits.
    if (store.dialect === 'postgres') await sql`lock table kb_index_changes in exclusive mode`.execute(db)
    const last = await db
      .selectFrom('kb_index_changes')
      .select((eb) => eb.fn.max('version').as('version'))
      .executeTakeFirst()
    const version = Number(last?.version ?? 0) + 1
    await db.insertInto('kb_index_changes').values({ version, articleId, changedAt: at }).execute()
    return version
  }

  async function writeChunks(db: Db, articleId: string, chunks: readonly StoredChunk[]): Promise<void> {
    await db.deleteFrom('kb_chunks').where('articleId', '=', articleId).execute()
    for (let i = 0; i < chunks.length; i += 100) {
      const rows = chunks.slice(i, i + 100).map((chunk) => ({
        id: chunk.id,
        articleId,
        position: chunk.position,
        heading: chunk.heading,
        passage: chunk.passage,
        startOffset: chunk.start,
        endOffset: chunk.end,
        language: chunk.language,
        terms: codec.json(chunk.terms),
        length: chunk.terms.length,
      }))
      if (rows.length > 0) await db.insertInto('kb_chunks').values(rows).execute()
    }
  }

  /**
   * Inserts or updates a record (found by `id`, else by external id): a changed record gets the next
   * version, its links and chunks are replaced, and the index version moves on — all in one transaction.
   * `chunks` are the analysed chunks of the new content; they are stored only while it is published.
   */
  async function save(
    input: ArticleRecordInput,
    chunksFor: (articleId: string) => StoredChunk[],
    actor: Actor,
    options: { id?: string } = {},
  ): Promise<{ article: Article; outcome: SaveOutcome }> {
    return inTransaction(store, async (db) => {
      const products = await resolveProducts(db, input.products)
      let current = options.id ? await find(options.id, db) : null
      if (options.id && !current) throw notFound(options.id, input.kind)
      if (!current && input.externalId) current = await findByExternalId(input.externalId, db)
      if (current && current.kind !== input.kind) {
        throw new AppError(
          'KB_EXTERNAL_ID_TAKEN',
          `external id "${input.externalId}" belongs to ${current.kind === 'faq' ? 'an FAQ entry' : 'an article'} (${current.id}); give this ${input.kind === 'faq' ? 'FAQ entry' : 'article'} another id`,
          { details: { externalId: input.externalId, id: current.id } },
        )
      }
      if (current && input.externalId && current.externalId !== input.externalId) {
        const other = await findByExternalId(input.externalId, db)
        if (other && other.id !== current.id) {
          throw new AppError(
            'KB_EXTERNAL_ID_TAKEN',
            `external id "${input.externalId}" is taken by ${other.id}`,
            {
              details: { externalId: input.externalId, id: other.id },
            },
          )
        }
      }
      if (current && sameContent(current, input, products)) return { article: current, outcome: 'unchanged' }

      const now = clock.now()
      const at = now.toISOString()
      const id = current?.id ?? newId('article', now.getTime())
      const version = (current?.version ?? 0) + 1
      const row = {
        externalId: input.externalId,
        kind: input.kind,
        title: input.title,
        body: input.body,
        question: input.question,
        paraphrases: codec.json(input.paraphrases),
        language: input.language,
        status: input.status,
        version,
        translationGroup: input.translationGroup,
        tags: codec.json(input.tags),
        updatedAt: at,
      }
      if (current) await db.updateTable('kb_articles').set(row).where('id', '=', id).execute()
      else
        await db
          .insertInto('kb_articles')
          .values({ id, ...row, createdAt: at })
          .execute()
      await db
        .insertInto('kb_article_versions')
        .values({
          id: newId('articleVersion', now.getTime()),
          articleId: id,
          version,
          title: input.title,
          body: input.body,
          question: input.question,
          paraphrases: codec.json(input.paraphrases),
          status: input.status,
          createdBy: actor.id,
          createdAt: at,
        })
        .execute()
      await db.deleteFrom('kb_article_products').where('articleId', '=', id).execute()
      if (products.length > 0)
        await db
          .insertInto('kb_article_products')
          .values(products.map((productId) => ({ articleId: id, productId })))
          .execute()
      await db.deleteFrom('kb_article_intents').where('articleId', '=', id).execute()
      const intents = [...new Set(input.intents)].sort()
      if (intents.length > 0)
        await db
          .insertInto('kb_article_intents')
          .values(intents.map((intent) => ({ articleId: id, intent })))
          .execute()
      await writeChunks(db, id, input.status === 'published' ? chunksFor(id) : [])
      await appendChange(db, id, at)
      await writeAudit(
        db,
        codec,
        actor,
        {
          action: current ? `kb.${input.kind}.update` : `kb.${input.kind}.create`,
          targetType: input.kind,
          targetId: id,
          fields: Object.keys(row),
          details: { version },
        },
        now,
      )
      const article = (await find(id, db)) as Article
      return { article, outcome: current ? 'updated' : 'inserted' }
    })
  }

  /** Deletes a record with its versions, links and chunks; the index version moves on. */
  async function remove(idOrExternal: string, actor: Actor, kind?: ArticleKind): Promise<void> {
    const article = await get(idOrExternal, kind)
    await inTransaction(store, async (db) => {
      await db.deleteFrom('kb_chunks').where('articleId', '=', article.id).execute()
      await db.deleteFrom('kb_article_products').where('articleId', '=', article.id).execute()
      await db.deleteFrom('kb_article_intents').where('articleId', '=', article.id).execute()
      await db.deleteFrom('kb_article_versions').where('articleId', '=', article.id).execute()
      await db.deleteFrom('kb_articles').where('id', '=', article.id).execute()
      const now = clock.now()
      await appendChange(db, article.id, now.toISOString())
      await writeAudit(
        db,
        codec,
        actor,
        { action: `kb.${article.kind}.delete`, targetType: article.kind, targetId: article.id },
        now,
      )
    })
  }

  async function versions(idOrExternal: string, kind?: ArticleKind): Promise<ArticleVersion[]> {
    const article = await get(idOrExternal, kind)
    const rows = await store.db
      .selectFrom('kb_article_versions')
      .selectAll()
      .where('articleId', '=', article.id)
      .orderBy('version', 'desc')
      .execute()
    return rows.map((row) => codec.decode<ArticleVersion>(versionColumns, row))
  }

  /** The current index version (0 for an empty knowledge base). */
  async function indexVersion(): Promise<number> {
    const row = await store.db
      .selectFrom('kb_index_changes')
      .select((eb) => eb.fn.max('version').as('version'))
      .executeTakeFirst()
    return Number(row?.version ?? 0)
  }

  /** Articles changed after `version`, and the version they bring the index to. */
  async function changesSince(version: number): Promise<{ version: number; articleIds: string[] }> {
    const rows = await store.db
      .selectFrom('kb_index_changes')
      .select(['version', 'articleId'])
      .where('version', '>', version)
      .orderBy('version')
      .execute()
    const last = rows.at(-1)
    return {
      version: last ? Number(last.version) : version,
      articleIds: [...new Set(rows.map((row) => String(row.articleId)))],
    }
  }

  /** Published records (all, or the given ones) with their chunks, for building the in-memory index. */
  async function indexedRecords(
    articleIds?: readonly string[],
  ): Promise<{ articles: Article[]; chunks: StoredChunk[] }> {
    const articles: Article[] = []
    const chunks: StoredChunk[] = []
    const batches = articleIds ? chunk(articleIds, 500) : [null]
    for (const batch of batches) {
      let query = store.db.selectFrom('kb_articles').selectAll().where('status', '=', 'published')
      if (batch) query = query.where('id', 'in', batch.length > 0 ? batch : ['\u0000'])
      const rows = await query.orderBy('id').execute()
      articles.push(...(await decorate(store.db, rows)))
      let chunkQuery = store.db.selectFrom('kb_chunks').selectAll()
      if (batch) chunkQuery = chunkQuery.where('articleId', 'in', batch.length > 0 ? batch : ['\u0000'])
      const chunkRows = await chunkQuery.orderBy('articleId').orderBy('position').execute()
      for (const row of chunkRows) {
        chunks.push({
          id: String(row.id),
          articleId: String(row.articleId),
          position: Number(row.position),
          heading: String(row.heading),
          passage: String(row.passage),
          start: Number(row.startOffset),
          end: Number(row.endOffset),
          language: String(row.language),
          terms: (typeof row.terms === 'string' ? JSON.parse(row.terms) : row.terms) as string[],
        })
      }
    }
    return { articles, chunks }
  }

  return {
    get,
    find,
    findByExternalId,
    list,
    save,
    remove,
    versions,
    indexVersion,
    changesSince,
    indexedRecords,
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out.length > 0 ? out : [[]]
}

export type KnowledgeRepository = ReturnType<typeof createKnowledgeRepository>
