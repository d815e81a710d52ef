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
import { createWorkflowActions } from './wiring/workflow-actions.js'
import { createScheduler } from './workflow/scheduler.js'
import { createSweeper } from './workflow/sweeper.js'
import { createChannels, createDeliverer, createNotifier } from './channels/index.js'
import { createLiveHub } from './channels/index.js'
import { createImapPoller } from './channels/index.js'
import { createChannelIngest } from './wiring/channel-ingest.js'
import { createTrainingWiring } from './wiring/training.js'
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
  createSweepRepository,
  createSurveysRepository,
  createOutboxDeliveries,
  createNotificationDeliveries,
  fanOutNotification,
  createWebhookReceipts,
  createEmailMailboxes,
  createLiveEventsRepository,
  createChatVisitors,
  recordLiveEvent,
  LIVE_EVENT_RETENTION_MS,
  createContextSource,
  orderSummary,
  createTransferService,
  migrateToLatest,
  openStore,
  type Store,
} from './store/index.js'
import { createInboxRepository } from './store/index.js'
import { createCustomerSidecarRepository, createDashboardRepository } from './store/index.js'

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

  // Triggers (issue 5): the app layer, not the store, starts workflows when records change. The closures
  // read `engine`, created below; they run only after createApp returned.
  const conversationsRepository = createConversationsRepository(context)
  const ordersRepository = createOrdersRepository(context)
  const eventsRepository = createEventsRepository(context)
  /** Fires `conversation.resolved` once per resolution (keyed on its resolvedAt) when it is resolved. */
  async function conversationChanged(conversationId: string): Promise<void> {
    const row = await store.db
      .selectFrom('conversations')
      .select(['status', 'resolvedAt', 'customerId'])
      .where('id', '=', conversationId)
      .executeTakeFirst()
    if (!row || row.status !== 'resolved' || row.resolvedAt === null) return
    const resolvedAt = store.codec.decode<{ at: string }>({ at: 'time' }, { at: row.resolvedAt }).at
    await engine.trigger(
      'conversation.resolved',
      { conversationId, customerId: String(row.customerId) },
      `resolved:${conversationId}:${resolvedAt}`,
    )
  }

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
    orders: {
      ...ordersRepository,
      async create(...args: Parameters<typeof ordersRepository.create>) {
        const order = await ordersRepository.create(...args)
        await engine.trigger(
          'order.created',
          { orderId: order.id, customerId: order.customerId },
          `order:${order.id}`,
        )
        return order
      },
    },
    events: {
      ...eventsRepository,
      async create(...args: Parameters<typeof eventsRepository.create>) {
        const event = await eventsRepository.create(...args)
        await engine.trigger(
          'event.tracked',
          { eventName: event.type, customerId: event.customerId ?? null },
          `event:${event.id}`,
        )
        return event
      },
    },
    inboxes: createInboxesRepository(context),
    conversations: {
      ...conversationsRepository,
      async update(...args: Parameters<typeof conversationsRepository.update>) {
        const updated = await conversationsRepository.update(...args)
        await conversationChanged(updated.id)
        return updated
      },
    },
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
    /** The 360's surveys and duplicate suggestions (store/console). */
    customerSidecar: createCustomerSidecarRepository(context),
    /** The console dashboard's aggregates, per day in the workspace time zone (store/console). */
    dashboard: createDashboardRepository(context, async () => (await workspace.get()).timeZone),
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

  /** Training jobs with progress and the models' evaluation reports (wiring/training.ts). */
  const training = createTrainingWiring({ context, models, nlu, clock })

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
      ? createRedisQueue({
          url: config.redisUrl,
          clock,
          ...(config.queuePrefix ? { prefix: config.queuePrefix } : {}),
        })
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
      more: createWorkflowActions({
        store,
        clock,
        actions,
        perceive: (text, perceiveContext) => nlu.perceive(text, perceiveContext),
        conditionOptions: async () => {
          const current = await workspace.get()
          return {
            now: clock.now(),
            timeZone: current.timeZone,
            businessHours: current.businessHours,
            baseCurrency: current.baseCurrency,
          }
        },
        surveyAnswerUrl: `http://${config.host}:${config.port}/api/v1/surveys/`,
        webhookSecret: secret,
        conversationChanged,
        async addIdentity(customerId, kind, address) {
          try {
            await crm.customers.addIdentity(customerId, { kind, address, verified: false }, systemActor)
            return { status: 'added' }
          } catch (error) {
            // the owner of a known address decides: this customer (known) or another (a duplicate to suggest)
            if (!(error instanceof AppError) || error.code !== 'CRM_DUPLICATE') throw error
            const owner = (error.details as { customerId?: unknown } | undefined)?.customerId
            return owner === undefined || owner === customerId
              ? { status: 'known' }
              : { status: 'duplicate', customerId: String(owner) }
          }
        },
      }),
      // a run that failed for good is never silent: the team's queue gets a notice
      notify: async (run, error) => {
        const now = clock.now()
        const id = newId('notification', now.getTime())
        await store.db.transaction().execute(async (db) => {
          await db
            .insertInto('notifications')
            .values({
              id,
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
          await fanOutNotification(db, { notificationId: id, userId: null, at: now })
          await recordLiveEvent(
            db,
            store.codec,
            { kind: 'notification.created', conversationId: run.conversationId, notificationId: id },
            now,
          )
        })
      },
    }),
  })
  /** Enqueues the ticks of `schedule` workflows, once per cron slot (run it where workers run). */
  const scheduler = createScheduler({
    workflows: {
      async enabled(trigger) {
        const list = await workflowsRepository.all({ enabled: true, triggerType: trigger })
        return list.map((w) => ({ id: w.id, key: w.key, version: w.version, definition: w.definition }))
      },
    },
    queue: jobs,
    clock,
    timeZone: async () => (await workspace.get()).timeZone,
  })
  /** Re-enqueues runs whose job was lost and prunes old run data (run it where workers run). */
  const sweeper = createSweeper({
    store: createSweepRepository(context),
    queue: jobs,
    clock,
    runRetentionMs: config.runRetentionDays * 86_400_000,
    decisionRetentionMs: config.decisionRetentionDays * 86_400_000,
    // live-event announcements only serve reconnecting streams: a day is plenty
    alsoPrune: (now) => liveEvents.prune(new Date(now.getTime() - LIVE_EVENT_RETENTION_MS)),
  })
  const workflows = { repository: workflowsRepository, runs, engine, scheduler, sweeper }
  const surveysRepository = createSurveysRepository(context)
  /** Satisfaction surveys: an answer is recorded once and starts (or resumes) `survey.answered` runs. */
  const surveys = {
    async answer(token: string, input: { score: number; comment: string | null }) {
      const answered = await surveysRepository.answer(token, input)
      await engine.trigger(
        'survey.answered',
        { conversationId: answered.conversationId, customerId: answered.customerId },
        `survey:${answered.id}`,
        { 'survey.id': answered.id, 'survey.score': answered.score, 'survey.comment': answered.comment },
      )
      return answered
    },
  }

  const liveEvents = createLiveEventsRepository(context)
  const chatVisitors = createChatVisitors(context)
  /**
   * Live updates (src/channels/live): one poller per process follows `live_events` and fans out to the
   * console's and the chat widgets' streams; it polls only while someone listens.
   */
  const live = { hub: createLiveHub({ source: liveEvents }), events: liveEvents }
  const channelAdapters = createChannels({
    workspaceSecret: secret,
    clock,
    smtpUrl: config.smtpUrl,
    visitors: chatVisitors,
    emailLimits: { maxBytes: config.emailMaxBytes, attachmentMaxBytes: config.emailAttachmentMaxBytes },
  })
  /** One ingest path for webhooks and IMAP: file (identity, envelope, attachments), then start the runs. */
  const ingest = createChannelIngest({
    receive: (input, actor) => crm.inbound.receive(input, actor),
    trigger: async (receipt) => {
      await engine.trigger(
        'message.received',
        {
          messageId: receipt.messageId,
          conversationId: receipt.conversationId,
          customerId: receipt.customerId,
        },
        `message:${receipt.messageId}`,
      )
    },
    clock,
    emailLimits: channelAdapters.emailLimits,
  })
  const mailboxes = createEmailMailboxes(context)
  /** Channels (src/channels): signed webhooks in (with their replay guard), the outbox deliverer out. */
  const channels = {
    adapters: channelAdapters,
    replays: createWebhookReceipts(context),
    /** Chat widget visitors (tokens → visitor, customer). */
    visitors: chatVisitors,
    ingest,
    /** Email inboxes' IMAP polling state (`status`) and the poller (run it where workers run). */
    mailboxes,
    imap: createImapPoller({
      mailboxes,
      ingest: (inbox, raw) => ingest.fileRawEmail(inbox, raw, systemActor),
      clock,
      passwords: config.imapPasswords,
      defaultPollSeconds: config.imapPollSeconds,
      maxBytes: config.emailMaxBytes,
    }),
    deliverer: createDeliverer({
      outbox: createOutboxDeliveries(context),
      channelFor: channelAdapters.forInbox,
      clock,
    }),
    /** Notifications beyond the console: email to the assignee or team, a chat-ops webhook. */
    notifier: createNotifier({
      deliveries: createNotificationDeliveries(context),
      smtp: channelAdapters.smtp,
      from: config.notifyFrom,
      consoleUrl: config.publicUrl,
      secret,
      clock,
    }),
  }

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
    /** The console inbox's reads: queues, latest perception, explanations (store/crm/inbox-repository.ts). */
    inbox: createInboxRepository(context),
    access,
    privacy,
    insights,
    audit,
    transfer,
    models,
    nlu,
    training,
    knowledge,
    agent,
    actions,
    workflows,
    surveys,
    channels,
    live,
    /** Trains and registers the built-in models when the shipped corpora have none yet (worker thread). */
    ensureBuiltinModels: (log?: (message: string) => void) => ensureBuiltinModels(models, systemActor, log),
    async close(): Promise<void> {
      await training.jobs.close()
      await live.hub.close()
      await queue?.close()
      channelAdapters.close()
      await transfer.close()
      if (!options.store) await store.close()
    },
  }
}

export type App = Awaited<ReturnType<typeof createApp>>
export { AppError }
