import { AppError, systemClock, type Clock, type Config } from './core/index.js'
import { systemActor } from './crm/actor.js'
import { createNluService, ensureBuiltinModels } from './learning/index.js'
import { createActionService } from './actions/index.js'
import { createAgent, runTool, type ToolPorts } from './agent/index.js'
import type { Actor } from './crm/actor.js'
import { createKnowledgeService } from './knowledge/index.js'
import { createOpenAiCompatibleModel } from './llm/index.js'
import { createDatabaseQueue, createRedisQueue } from './queue/index.js'
import type { Queue } from './workflow/queue-port.js'
import { createEngine } from './workflow/engine.js'
import { createWorkflowServices } from './wiring/workflow-services.js'
import { newId } from './core/index.js'
import type { CatalogueProduct } from './nlp/index.js'
import type { Company } from './crm/companies.js'
import type { companyCreateSchema, companyPatchSchema } from './crm/companies.js'
import type { AttributeDefinition } from './crm/attributes.js'
import type { attributeDefinitionCreateSchema, attributeDefinitionPatchSchema } from './crm/attributes.js'
import type { z } from 'zod'
import {
  attributeDefinitionsTable,
  auditTable,
  companiesTable,
  createCustomer360,
  createModelRegistry,
  createPrivacyRepository,
  createAccessRepository,
  createAttachmentsRepository,
  createConversationsRepository,
  createCustomersRepository,
  createEventsRepository,
  createInboundRepository,
  createInboxesRepository,
  createMessagesRepository,
  createNotesRepository,
  createOrdersRepository,
  createProductsRepository,
  createTasksRepository,
  createSimpleRepository,
  createWorkspaceRepository,
  createKnowledgeRepository,
  createAgentRepository,
  createActionStore,
  createActionsRepository,
  createWorkflowsRepository,
  createRunsRepository,
  createContextSource,
  orderSummary,
  createTransferService,
  migrateToLatest,
  openStore,
  type Store,
} from './store/index.js'

export interface AppOptions {
  readonly clock?: Clock
  /** Postgres schema (tests run each in their own). */
  readonly schema?: string
  /** An already-open store (tests); the app then does not close it. */
  readonly store?: Store
}

/**
 * The composition root: opens the store, applies migrations, and wires repositories and services.
 * `server/` and `cli/` call only this.
 *
 * @example
 *   const app = await createApp(loadConfig(process.env))
 *   const customer = await app.crm.customers.create({ name: '王小明' }, cliActor)
 */
export async function createApp(config: Config, options: AppOptions = {}) {
  const clock = options.clock ?? systemClock
  const store = options.store ?? (await openStore({ url: config.databaseUrl, schema: options.schema }))
  const migration = await migrateToLatest(store)
  if (migration.error) {
    if (!options.store) await store.close()
    throw migration.error
  }
  const workspace = createWorkspaceRepository({ store, clock, defaultRegion: config.defaultRegion })
  const settings = await workspace.ensure()
  const context = { store, clock, defaultRegion: settings.defaultRegion }

  const crm = {
    customers: createCustomersRepository(context),
    companies: createSimpleRepository<
      Company,
      z.output<typeof companyCreateSchema>,
      z.output<typeof companyPatchSchema>
    >(context, { spec: companiesTable, attributesEntity: 'company', required: ['name'] }),
    attributeDefinitions: createSimpleRepository<
      AttributeDefinition,
      z.output<typeof attributeDefinitionCreateSchema>,
      z.output<typeof attributeDefinitionPatchSchema>
    >(context, { spec: attributeDefinitionsTable }),
    products: createProductsRepository(context),
    orders: createOrdersRepository(context),
    events: createEventsRepository(context),
    inboxes: createInboxesRepository(context),
    conversations: createConversationsRepository(context),
    messages: createMessagesRepository(context),
    inbound: createInboundRepository(context),
    notes: createNotesRepository(context),
    tasks: createTasksRepository(context),
    attachments: createAttachmentsRepository(context),
  }
  const access = createAccessRepository(context)
  const privacy = createPrivacyRepository(context)
  const insights = {
    customer360: createCustomer360(context, async () => (await workspace.get()).baseCurrency),
  }
  const auditLog = createSimpleRepository<{ id: string }, object, object>(context, {
    spec: auditTable,
    hasUpdatedAt: false,
  })
  const audit = { list: auditLog.list, get: auditLog.get }
  const transfer = createTransferService({ store, clock, defaultRegion: settings.defaultRegion })
  const secret = await workspace.secret(config.secret)
  const models = createModelRegistry(context)
  let catalogue: { at: number; products: CatalogueProduct[] } = { at: 0, products: [] }
  const nlu = createNluService({
    registry: models,
    clock,
    settings: async () => workspace.get(),
    // The product gazetteer for entity extraction, refreshed at most once a minute.
    products: async () => {
      if (Date.now() - catalogue.at > 60_000) {
        const rows = await store.db
          .selectFrom('products')
          .select(['id', 'name'])
          .where('active', '=', store.codec.bool(true))
          .execute()
        catalogue = {
          at: Date.now(),
          products: rows.map((row) => {
            const name = store.codec.decode<{ name: { zh?: string; en?: string } }>(
              { name: 'json' },
              row,
            ).name
            return { id: String(row.id), names: [name.zh, name.en].filter((n): n is string => Boolean(n)) }
          }),
        }
      }
      return catalogue.products
    },
  })

  const knowledgeRepository = createKnowledgeRepository(context)
  const knowledge = {
    ...createKnowledgeService({ store: knowledgeRepository }),
    repository: knowledgeRepository,
  }
  const agentRepository = createAgentRepository(context)
  const llm = config.llm
    ? createOpenAiCompatibleModel({
        baseUrl: config.llm.baseUrl,
        model: config.llm.model,
        apiKey: config.llm.apiKey ?? undefined,
      })
    : null
  const contexts = createContextSource(context, insights.customer360 as never, agentRepository)
  const toolPorts: ToolPorts = {
    async findOrder({ orderId, number, customerId }) {
      let query = store.db.selectFrom('orders').select('id')
      if (orderId) query = query.where('id', '=', orderId)
      if (number) query = query.where('number', '=', number.trim().toUpperCase())
      if (customerId) query = query.where('customerId', '=', customerId)
      const row = await query.executeTakeFirst()
      if (!row) return null
      const order = await crm.orders.get(String(row.id))
      return orderSummary({ ...order, totalAmount: order.total.amount, currency: order.total.currency })
    },
    async customerSummary(customerId) {
      const found = await store.db
        .selectFrom('customers')
        .select('id')
        .where('id', '=', customerId)
        .executeTakeFirst()
      if (!found) return null
      const view = await contexts.forCustomer(customerId, 'api')
      return { customer: view.customer, openOrders: view.openOrders, consent: view.consent }
    },
    async searchKnowledge(query, options) {
      const result = await knowledge.search(query, options)
      return result.hits.map((hit) => ({
        externalId: hit.externalId,
        articleId: hit.articleId,
        title: hit.title,
        passage: hit.passage,
        strength: hit.strength,
      }))
    },
    createTask: (input, actor) => crm.tasks.create({ ...input, status: 'open', priority: 'normal' }, actor),
    async handOff(input, actor) {
      const updated = await crm.conversations.update(
        input.conversationId,
        { handler: 'human', ...(input.assigneeId ? { assigneeId: input.assigneeId } : {}) },
        actor,
      )
      return { conversationId: updated.id, handler: updated.handler }
    },
  }
  const agent = {
    ...createAgent({
      perceive: (text, perceiveContext) => nlu.perceive(text, perceiveContext),
      modelVersions: () => nlu.versions(),
      knowledge,
      store: agentRepository,
      contexts,
      settings: async () => workspace.get(),
      clock,
      llm,
    }),
    repository: agentRepository,
    llm,
    /** Runs one of the agent's tools (lookup_order, …) with untrusted input, validated first. */
    runTool: (name: string, input: unknown, actor: Actor) =>
      runTool(name, input, { ports: toolPorts, actor, now: clock.now() }),
  }

  /**
   * The executor (src/actions): actions in one transaction each, the agent → actions bridge
   * (`applyDecision(messageId)`), takeover, approvals; `repository` reads drafts, notifications, outbox.
   */
  const actions = {
    ...createActionService({ store: createActionStore(context), clock, agent }),
    repository: createActionsRepository(context),
  }

  // The job queue: the database (embedded) or BullMQ on Redis (queue mode), created on first use so
  // commands that never enqueue never connect to Redis.
  let queue: Queue | null = null
  const jobs = () =>
    (queue ??= config.redisUrl
      ? createRedisQueue({ url: config.redisUrl, clock })
      : createDatabaseQueue({ store, clock }))

  const workflowsRepository = createWorkflowsRepository(context)
  const runs = createRunsRepository(context)

  /** Workflows as data, and the engine that runs them through the job queue (src/workflow/engine.ts). */
  const engine = createEngine({
    runs,
    workflows: {
      async enabled(trigger) {
        const list = await workflowsRepository.all({ enabled: true, triggerType: trigger })
        return list.map((w) => ({ id: w.id, key: w.key, version: w.version, definition: w.definition }))
      },
      async find(idOrKey) {
        const found = await workflowsRepository.find(idOrKey)
        return found
          ? {
              id: found.id,
              key: found.key,
              version: found.version,
              definition: found.definition,
              enabled: found.enabled,
            }
          : null
      },
    },
    queue: jobs,
    clock,
    services: createWorkflowServices({
      store,
      clock,
      agent,
      perceive: (text, perceiveContext) => nlu.perceive(text, perceiveContext),
      actions,
      settings: async () => workspace.get(),
      // a run that failed for good is never silent: the team's queue gets a notice
      notify: async (run, error) => {
        const now = clock.now()
        await store.db
          .insertInto('notifications')
          .values({
            id: newId('notification', now.getTime()),
            kind: 'workflow_failed',
            conversationId: run.conversationId,
            userId: null,
            payload: store.codec.json({
              runId: run.id,
              workflow: run.workflowKey,
              step: run.currentStep,
              error,
            }),
            readAt: null,
            createdAt: now.toISOString(),
          })
          .execute()
      },
    }),
  })
  const workflows = { repository: workflowsRepository, runs, engine }

  return {
    config,
    clock,
    store,
    /** The job queue of this install (see `src/workflow/queue-port.ts`). */
    queue: jobs,
    secret,
    migrations: migration.applied,
    workspace,
    crm,
    access,
    privacy,
    insights,
    audit,
    transfer,
    models,
    nlu,
    knowledge,
    agent,
    actions,
    workflows,
    /** Trains and registers the built-in models when the shipped corpora have none yet (worker thread). */
    ensureBuiltinModels: (log?: (message: string) => void) => ensureBuiltinModels(models, systemActor, log),
    async close(): Promise<void> {
      await queue?.close()
      await transfer.close()
      if (!options.store) await store.close()
    },
  }
}

export type App = Awaited<ReturnType<typeof createApp>>
export { AppError }
