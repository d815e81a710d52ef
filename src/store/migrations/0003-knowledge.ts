import type { Kysely, Migration } from 'kysely'
import type { Dialect, Tables } from '../database.js'
import { columnTypes } from './types.js'

/**
 * The knowledge base (articles and FAQ entries, versioned, linked to products and intents), its retrieval
 * index kept in the database (analysed chunks plus a version every process polls), agent policies, and
 * the decision record of every message the agent handled.
 */
export function knowledgeMigration(dialect: Dialect): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<Tables>) {
      await db.schema
        .createTable('kb_articles')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('external_id', 'text', (c) => c.unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('question', 'text')
        .addColumn('paraphrases', t.json, (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('translation_group', 'text')
        .addColumn('tags', t.json, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('kb_articles_kind').on('kb_articles').columns(['kind', 'status']).execute()
      await db.schema
        .createIndex('kb_articles_translation')
        .on('kb_articles')
        .column('translation_group')
        .execute()

      await db.schema
        .createTable('kb_article_versions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('article_id', 'text', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('question', 'text')
        .addColumn('paraphrases', t.json, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addUniqueConstraint('kb_article_versions_version', ['article_id', 'version'])
        .execute()

      await db.schema
        .createTable('kb_article_products')
        .addColumn('article_id', 'text', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
        .addColumn('product_id', 'text', (c) => c.notNull().references('products.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('kb_article_products_pk', ['article_id', 'product_id'])
        .execute()
      await db.schema
        .createIndex('kb_article_products_product')
        .on('kb_article_products')
        .column('product_id')
        .execute()
      await db.schema
        .createTable('kb_article_intents')
        .addColumn('article_id', 'text', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
        .addColumn('intent', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('kb_article_intents_pk', ['article_id', 'intent'])
        .execute()
      await db.schema
        .createIndex('kb_article_intents_intent')
        .on('kb_article_intents')
        .column('intent')
        .execute()

      // The retrieval index: every published article's chunks with their analysed terms; a process
      // rebuilds its in-memory BM25 index from them and follows `kb_index_changes` to stay current.
      await db.schema
        .createTable('kb_chunks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('article_id', 'text', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('heading', 'text', (c) => c.notNull())
        .addColumn('passage', 'text', (c) => c.notNull())
        .addColumn('start_offset', 'integer', (c) => c.notNull())
        .addColumn('end_offset', 'integer', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('terms', t.json, (c) => c.notNull())
        .addColumn('length', 'integer', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('kb_chunks_article').on('kb_chunks').column('article_id').execute()
      await db.schema
        .createTable('kb_index_changes')
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('article_id', 'text', (c) => c.notNull())
        .addColumn('changed_at', t.time, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('agent_policy_sets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('version', 'integer', (c) => c.notNull().unique())
        .addColumn('document', t.json, (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('active', t.bool, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('agent_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', t.json, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('agent_decisions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('message_id', 'text', (c) => c.unique().references('messages.id').onDelete('cascade'))
        .addColumn('conversation_id', 'text', (c) => c.references('conversations.id').onDelete('cascade'))
        .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('confidence', t.float, (c) => c.notNull())
        .addColumn('intent', 'text')
        .addColumn('sentiment', 'text')
        .addColumn('hand_off_reason', 'text')
        .addColumn('record', t.json, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('agent_decisions_conversation')
        .on('agent_decisions')
        .columns(['conversation_id', 'created_at'])
        .execute()
      await db.schema
        .createIndex('agent_decisions_customer')
        .on('agent_decisions')
        .column('customer_id')
        .execute()
    },
    async down() {},
  }
}
