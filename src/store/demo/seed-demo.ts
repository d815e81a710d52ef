import { createWriteStream } from 'node:fs'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { sql } from 'kysely'
import { AppError, newId, type Clock } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import {
  DEMO_ATTRIBUTE_DEFINITIONS,
  generateCompanies,
  generateConversations,
  generateCustomers,
  generateEvents,
  generateOrders,
  generateProducts,
  type DemoOptions,
} from '../../crm/demo/index.js'
import { normalizeEmail, normalizePhone } from '../../crm/identity.js'
import { writeAudit } from '../audit.js'
import type { Store } from '../database.js'
import {
  attributeDefinitionsTable,
  companiesTable,
  consentEventsTable,
  conversationsTable,
  customersTable,
  eventsTable,
  identitiesTable,
  inboxesTable,
  messagesTable,
  orderItemsTable,
  ordersTable,
  productsTable,
} from '../crm/tables.js'
import { insertMany } from './bulk.js'

export interface SeedOptions {
  readonly customers: number
  readonly seed: number
  /** Behaviour events to generate; default 20 per customer. */
  readonly events?: number
  readonly reset?: boolean
  /** Where to write the ground-truth labels of the seeded messages (JSON lines), or null. */
  readonly labelsFile?: string | null
  readonly onProgress?: (done: number, total: number, phase: string) => void
}

export interface SeedResult {
  seeded: boolean
  customers: number
  companies: number
  products: number
  orders: number
  events: number
  conversations: number
  messages: number
  inboxes: number
  seconds: number
}

/** Tables holding CRM data, children first, so a reset can empty them in order. */
const DATA_TABLES = [
  'agent_decisions',
  'training_examples',
  'attachments',
  'notes',
  'tasks',
  'messages',
  'conversations',
  'events',
  'order_items',
  'orders',
  'consent_events',
  'identities',
  'customers',
  'companies',
  'kb_article_products',
  'products',
  'inboxes',
  'import_jobs',
]

export async function countCustomers(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Fills the database with the demo shop: a bilingual catalogue, customers (about half zh-CN), orders, behaviour
 * events, inboxes and conversations covering the 18 built-in intents. Deterministic for a seed and a day.
 * Commits in chunks so a large seed neither holds one giant transaction nor blocks for long.
 */
export async function seedDemo(
  store: Store,
  clock: Clock,
  actor: Actor,
  options: SeedOptions,
): Promise<SeedResult> {
  const started = Date.now()
  const existing = await countCustomers(store)
  if (existing > 0 && !options.reset) {
    throw new AppError(
      'CRM_NOT_EMPTY',
      `the database already holds ${existing} customers; use --reset to start over or --if-empty to leave it`,
      { details: { customers: existing } },
    )
  }
  if (options.reset) {
    await store.db.transaction().execute(async (db) => {
      for (const table of DATA_TABLES) await db.deleteFrom(table).execute()
    })
  }
  // Anchor on the start of today (UTC) so the same seed gives the same data all day.
  const today = clock.now()
  const now = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()))
  const demo: DemoOptions = { customers: options.customers, seed: options.seed, now }
  const at = now.toISOString()
  const counts = {
    customers: 0,
    companies: 0,
    products: 0,
    orders: 0,
    events: 0,
    conversations: 0,
    messages: 0,
    inboxes: 0,
  }

  const inboxes = [
    { key: 'chat', name: '网站在线客服 Website chat', channel: 'chat', address: 'widget' },
    { key: 'email', name: 'support@lumen-demo.com', channel: 'email', address: 'support@lumen-demo.com' },
    { key: 'sms', name: '短信 SMS', channel: 'sms', address: '+8610690000000' },
    { key: 'phone', name: '客服热线 Hotline', channel: 'phone', address: '+864008000000' },
    { key: 'api', name: 'API', channel: 'api', address: 'api' },
  ] as const
  const inboxIds = new Map<string, string>()
  const companyIds = new Map<string, string>()
  const productIds = new Map<string, string>()
  const productNames = new Map<string, string>()

  await store.db.transaction().execute(async (db) => {
    // Define the custom attributes the demo data carries, unless the workspace already has them.
    const defined = new Set(
      (await db.selectFrom('attribute_definitions').select(['entity', 'key']).execute()).map(
        (r) => `${r.entity}:${r.key}`,
      ),
    )
    await insertMany(
      store,
      db,
      'attribute_definitions',
      attributeDefinitionsTable.columns,
      DEMO_ATTRIBUTE_DEFINITIONS.filter((d) => !defined.has(`${d.entity}:${d.key}`)).map((d) => ({
        id: newId('attribute'),
        entity: d.entity,
        key: d.key,
        type: d.type,
        labels: d.labels,
        options: d.options,
        required: false,
        createdAt: at,
        updatedAt: at,
      })),
    )
    await insertMany(
      store,
      db,
      'inboxes',
      inboxesTable.columns,
      inboxes.map((inbox) => {
        const id = newId('inbox')
        inboxIds.set(inbox.key, id)
        return {
          id,
          name: inbox.name,
          channel: inbox.channel,
          address: inbox.address,
          settings: {},
          active: true,
          createdAt: at,
          updatedAt: at,
        }
      }),
    )
    counts.inboxes = inboxes.length
    const companies = generateCompanies(demo)
    await insertMany(
      store,
      db,
      'companies',
      companiesTable.columns,
      companies.map((company) => {
        const id = newId('company')
        companyIds.set(company.key, id)
        return {
          id,
          externalId: `demo-${company.key}`,
          name: company.name,
          domain: company.domain,
          industry: null,
          attributes: {},
          createdAt: at,
          updatedAt: at,
        }
      }),
    )
    counts.companies = companies.length
    const products = generateProducts()
    await insertMany(
      store,
      db,
      'products',
      productsTable.columns,
      products.map((product) => {
        const id = newId('product')
        productIds.set(product.sku, id)
        productNames.set(product.sku, product.name.en ?? product.name.zh ?? product.sku)
        return {
          id,
          sku: product.sku,
          name: product.name,
          searchText: [product.sku, product.name.zh, product.name.en, product.category]
            .filter(Boolean)
            .join(' ')
            .toLowerCase(),
          category: product.category,
          priceAmount: product.priceAmount,
          currency: product.currency,
          description: product.description ?? null,
          attributes: product.attributes ?? {},
          active: true,
          createdAt: at,
          updatedAt: at,
        }
      }),
    )
    counts.products = products.length
  })

  const labels = options.labelsFile ? openLabels(options.labelsFile) : null
  const customerIds = new Map<string, string>()
  const seenIdentities = new Set<string>()
  const chunkSize = 1000
  let batch = emptyBatch()

  const flush = async () => {
    const current = batch
    batch = emptyBatch()
    await store.db.transaction().execute(async (db) => {
      await insertMany(store, db, 'customers', customersTable.columns, current.customers)
      await insertMany(store, db, 'identities', identitiesTable.columns, current.identities)
      await insertMany(store, db, 'consent_events', consentEventsTable.columns, current.consent)
      await insertMany(store, db, 'orders', ordersTable.columns, current.orders)
      await insertMany(store, db, 'order_items', orderItemsTable.columns, current.items)
      await insertMany(store, db, 'conversations', conversationsTable.columns, current.conversations)
      await insertMany(store, db, 'messages', messagesTable.columns, current.messages)
    })
    options.onProgress?.(counts.customers, options.customers, 'customers')
  }

  for (const customer of generateCustomers(demo)) {
    const id = newId('customer', Date.parse(customer.firstSeenAt))
    customerIds.set(customer.key, id)
    let email = customer.email ? normalizeEmail(customer.email) : null
    let phone = customer.phone ? normalizePhone(customer.phone, 'CN') : null
    if (email && seenIdentities.has(`email:${email}`)) email = null
    if (phone && seenIdentities.has(`phone:${phone}`)) phone = null
    batch.customers.push({
      id,
      externalId: customer.externalId,
      name: customer.name,
      email,
      phone,
      locale: customer.locale,
      companyId: customer.companyKey ? (companyIds.get(customer.companyKey) ?? null) : null,
      tier: customer.tier,
      lifecycleStage: 'customer',
      acquisitionSource: customer.acquisitionSource,
      firstSeenAt: customer.firstSeenAt,
      lastSeenAt: null,
      ownerId: null,
      tags: customer.tags,
      attributes: customer.attributes,
      createdAt: customer.firstSeenAt,
      updatedAt: customer.firstSeenAt,
    })
    for (const [kind, address] of [
      ['email', email],
      ['phone', phone],
    ] as const) {
      if (!address) continue
      seenIdentities.add(`${kind}:${address}`)
      batch.identities.push({
        id: newId('identity'),
        customerId: id,
        kind,
        address,
        verified: false,
        createdAt: customer.firstSeenAt,
      })
    }
    if (email && customer.tags.includes('newsletter')) {
      batch.consent.push({
        id: newId('consent'),
        customerId: id,
        purpose: 'marketing',
        channel: 'email',
        status: 'granted',
        source: 'signup form',
        at: customer.firstSeenAt,
        recordedBy: null,
      })
    }
    const orders = [...generateOrders(demo, customer)]
    for (const order of orders) {
      const orderId = newId('order', Date.parse(order.placedAt))
      batch.orders.push({
        id: orderId,
        number: order.number,
        externalId: order.externalId,
        customerId: id,
        status: order.status,
        currency: order.currency,
        subtotalAmount: order.subtotalAmount,
        discountAmount: order.discountAmount,
        shippingAmount: order.shippingAmount,
        totalAmount: order.totalAmount,
        couponCode: order.couponCode,
        paymentMethod: order.paymentMethod,
        paymentStatus: order.paymentStatus,
        shippingAddress: order.shippingAddress,
        carrier: order.carrier,
        trackingNumber: order.trackingNumber,
        placedAt: order.placedAt,
        shippedAt: order.shippedAt,
        expectedAt: order.expectedAt,
        deliveredAt: order.deliveredAt,
        refunds: order.refunds,
        returns: order.returns,
        attributes: {},
        createdAt: order.placedAt,
        updatedAt: order.deliveredAt ?? order.shippedAt ?? order.placedAt,
      })
      order.items.forEach((item, position) => {
        batch.items.push({
          id: newId('orderItem'),
          orderId,
          position,
          productId: productIds.get(item.sku) ?? null,
          sku: item.sku,
          name: productNames.get(item.sku) ?? null,
          quantity: item.quantity,
          unitAmount: item.unitAmount,
        })
      })
      counts.orders++
    }
    for (const conversation of generateConversations(demo, customer, orders)) {
      const conversationId = newId('conversation', Date.parse(conversation.createdAt))
      const inboxId = inboxIds.get(conversation.channel) ?? inboxIds.get('chat')!
      const outbound = conversation.messages.find((m) => m.direction === 'outbound')
      const last = conversation.messages.at(-1)
      batch.conversations.push({
        id: conversationId,
        inboxId,
        customerId: id,
        channel: conversation.channel,
        status: conversation.status,
        handler: conversation.handler,
        priority: conversation.priority,
        assigneeId: null,
        subject: conversation.subject,
        tags: [],
        firstResponseAt: outbound?.sentAt ?? null,
        resolvedAt:
          conversation.status === 'resolved' || conversation.status === 'closed'
            ? (last?.sentAt ?? null)
            : null,
        lastMessageAt: last?.sentAt ?? null,
        createdAt: conversation.createdAt,
        updatedAt: last?.sentAt ?? conversation.createdAt,
      })
      conversation.messages.forEach((message, index) => {
        const messageId = newId('message', Date.parse(message.sentAt))
        batch.messages.push({
          id: messageId,
          conversationId,
          inboxId,
          customerId: id,
          direction: message.direction,
          authorKind: message.authorKind,
          authorId: null,
          text: message.text,
          channelMessageId: message.direction === 'inbound' ? `demo-${conversation.key}-${index}` : null,
          contentHash: null,
          deliveryStatus: message.direction === 'outbound' ? 'sent' : null,
          sentAt: message.sentAt,
          createdAt: message.sentAt,
        })
        if (message.label && labels) {
          labels.write(
            `${JSON.stringify({ messageId, conversationId, conversation: conversation.key, index, channel: conversation.channel, locale: customer.locale, text: message.text, intent: message.label.intent, sentiment: message.label.sentiment })}\n`,
          )
        }
        counts.messages++
      })
      counts.conversations++
    }
    counts.customers++
    if (batch.customers.length >= chunkSize) await flush()
  }
  await flush()
  if (labels)
    await new Promise<void>((resolve, reject) =>
      labels.end((error?: Error | null) => (error ? reject(error) : resolve())),
    )

  const eventCount = options.events ?? options.customers * 20
  let events: Record<string, unknown>[] = []
  for (const event of generateEvents(demo, eventCount)) {
    events.push({
      id: newId('event', Date.parse(event.occurredAt)),
      type: event.type,
      customerId: event.customerKey ? (customerIds.get(event.customerKey) ?? null) : null,
      anonymousId:
        event.customerKey && customerIds.has(event.customerKey)
          ? null
          : (event.anonymousId ?? `anon-${event.sessionId}`),
      sessionId: event.sessionId,
      productId: event.sku ? (productIds.get(event.sku) ?? null) : null,
      properties: event.properties,
      source: event.source,
      occurredAt: event.occurredAt,
      createdAt: event.occurredAt,
    })
    if (events.length >= 5000) {
      const chunk = events
      events = []
      await store.db
        .transaction()
        .execute((db) => insertMany(store, db, 'events', eventsTable.columns, chunk))
      counts.events += chunk.length
      options.onProgress?.(counts.events, eventCount, 'events')
    }
  }
  if (events.length > 0) {
    const chunk = events
    await store.db.transaction().execute((db) => insertMany(store, db, 'events', eventsTable.columns, chunk))
    counts.events += chunk.length
  }
  // Fresh statistics after a bulk load, so both planners pick the indexes (Postgres otherwise sorts whole tables).
  await sql`analyze`.execute(store.db)
  await store.db.transaction().execute((db) =>
    writeAudit(
      db,
      store.codec,
      actor,
      {
        action: 'demo.seed',
        targetType: 'workspace',
        targetId: null,
        details: { customers: counts.customers, seed: options.seed, reset: Boolean(options.reset) },
      },
      clock.now(),
    ),
  )
  return { seeded: true, ...counts, seconds: Math.round((Date.now() - started) / 10) / 100 }
}

function emptyBatch() {
  return {
    customers: [] as Record<string, unknown>[],
    identities: [] as Record<string, unknown>[],
    consent: [] as Record<string, unknown>[],
    orders: [] as Record<string, unknown>[],
    items: [] as Record<string, unknown>[],
    conversations: [] as Record<string, unknown>[],
    messages: [] as Record<string, unknown>[],
  }
}

function openLabels(path: string) {
  mkdirSync(dirname(path), { recursive: true })
  return createWriteStream(path, { encoding: 'utf8' })
}
