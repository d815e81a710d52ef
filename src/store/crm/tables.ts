import type { EntityTable } from '../entity-table.js'

/** Generic read/write descriptions of the CRM tables (see entity-table.ts). */
export const customersTable: EntityTable = {
  entity: 'customer',
  table: 'customers',
  idKind: 'customer',
  notFound: 'CRM_CUSTOMER_NOT_FOUND',
  columns: {
    tags: 'json',
    attributes: 'json',
    firstSeenAt: 'time',
    lastSeenAt: 'time',
    archivedAt: 'time',
    erasedAt: 'time',
    createdAt: 'time',
    updatedAt: 'time',
  },
  sortable: ['createdAt', 'updatedAt', 'id', 'tier', 'locale'],
  defaultSort: ['-createdAt'],
  filters: {
    tier: 'text',
    lifecycleStage: 'text',
    companyId: 'text',
    locale: 'text',
    ownerId: 'text',
    externalId: 'text',
  },
  search: ['name', 'email', 'phone', 'externalId'],
  references: [],
}

export const identitiesTable: EntityTable = {
  entity: 'identity',
  table: 'identities',
  idKind: 'identity',
  notFound: 'CRM_IDENTITY_NOT_FOUND',
  columns: { verified: 'bool', createdAt: 'time' },
  sortable: ['createdAt', 'id'],
  defaultSort: ['createdAt'],
  filters: { kind: 'text', customerId: 'text' },
  search: ['address'],
  references: [],
}

export const consentEventsTable: EntityTable = {
  entity: 'consent event',
  table: 'consent_events',
  idKind: 'consent',
  notFound: 'CRM_CUSTOMER_NOT_FOUND',
  columns: { at: 'time' },
  sortable: ['at', 'id'],
  defaultSort: ['at'],
  filters: { purpose: 'text', channel: 'text', status: 'text' },
  search: [],
  references: [],
}

export const companiesTable: EntityTable = {
  entity: 'company',
  table: 'companies',
  idKind: 'company',
  notFound: 'CRM_COMPANY_NOT_FOUND',
  columns: { attributes: 'json', archivedAt: 'time', createdAt: 'time', updatedAt: 'time' },
  sortable: ['createdAt', 'updatedAt', 'name', 'id'],
  defaultSort: ['name'],
  filters: { domain: 'text', industry: 'text', externalId: 'text' },
  search: ['name', 'domain'],
  references: [{ table: 'customers', column: 'companyId', entity: 'customer' }],
}

export const attributeDefinitionsTable: EntityTable = {
  entity: 'attribute definition',
  table: 'attribute_definitions',
  idKind: 'attribute',
  notFound: 'CRM_ATTRIBUTE_NOT_FOUND',
  columns: { labels: 'json', options: 'json', required: 'bool', createdAt: 'time', updatedAt: 'time' },
  sortable: ['createdAt', 'key', 'entity', 'id'],
  defaultSort: ['entity', 'key'],
  filters: { entity: 'text', type: 'text' },
  search: ['key'],
  references: [],
}

export const productsTable: EntityTable = {
  entity: 'product',
  table: 'products',
  idKind: 'product',
  notFound: 'CRM_PRODUCT_NOT_FOUND',
  columns: {
    name: 'json',
    description: 'json',
    attributes: 'json',
    priceAmount: 'int',
    active: 'bool',
    createdAt: 'time',
    updatedAt: 'time',
  },
  sortable: ['createdAt', 'updatedAt', 'sku', 'priceAmount', 'id'],
  defaultSort: ['sku'],
  filters: { category: 'text', currency: 'text', active: 'bool', sku: 'text' },
  search: ['sku', 'searchText'],
  references: [
    { table: 'order_items', column: 'productId', entity: 'order item' },
    { table: 'events', column: 'productId', entity: 'event' },
  ],
}

export const ordersTable: EntityTable = {
  entity: 'order',
  table: 'orders',
  idKind: 'order',
  notFound: 'CRM_ORDER_NOT_FOUND',
  columns: {
    subtotalAmount: 'int',
    discountAmount: 'int',
    shippingAmount: 'int',
    totalAmount: 'int',
    shippingAddress: 'json',
    refunds: 'json',
    returns: 'json',
    attributes: 'json',
    placedAt: 'time',
    shippedAt: 'time',
    expectedAt: 'time',
    deliveredAt: 'time',
    createdAt: 'time',
    updatedAt: 'time',
  },
  sortable: ['placedAt', 'createdAt', 'updatedAt', 'number', 'totalAmount', 'id'],
  defaultSort: ['-placedAt'],
  filters: {
    customerId: 'text',
    status: 'text',
    paymentStatus: 'text',
    currency: 'text',
    externalId: 'text',
    number: 'text',
    carrier: 'text',
  },
  search: ['number', 'externalId', 'trackingNumber'],
  references: [],
}

export const orderItemsTable: EntityTable = {
  entity: 'order item',
  table: 'order_items',
  idKind: 'orderItem',
  notFound: 'CRM_ORDER_NOT_FOUND',
  columns: { unitAmount: 'int' },
  sortable: ['position', 'id'],
  defaultSort: ['position'],
  filters: {},
  search: [],
  references: [],
}

export const eventsTable: EntityTable = {
  entity: 'event',
  table: 'events',
  idKind: 'event',
  notFound: 'CRM_EVENT_NOT_FOUND',
  columns: { properties: 'json', occurredAt: 'time', createdAt: 'time' },
  sortable: ['occurredAt', 'createdAt', 'id'],
  defaultSort: ['-occurredAt'],
  filters: {
    type: 'text',
    customerId: 'text',
    anonymousId: 'text',
    sessionId: 'text',
    productId: 'text',
    source: 'text',
  },
  search: ['type'],
  references: [],
}

export const inboxesTable: EntityTable = {
  entity: 'inbox',
  table: 'inboxes',
  idKind: 'inbox',
  notFound: 'CRM_INBOX_NOT_FOUND',
  columns: { settings: 'json', active: 'bool', createdAt: 'time', updatedAt: 'time' },
  sortable: ['createdAt', 'name', 'id'],
  defaultSort: ['createdAt'],
  filters: { channel: 'text', active: 'bool' },
  search: ['name', 'address'],
  references: [
    { table: 'conversations', column: 'inboxId', entity: 'conversation' },
    { table: 'messages', column: 'inboxId', entity: 'message' },
  ],
}

export const conversationsTable: EntityTable = {
  entity: 'conversation',
  table: 'conversations',
  idKind: 'conversation',
  notFound: 'CRM_CONVERSATION_NOT_FOUND',
  columns: {
    tags: 'json',
    firstResponseAt: 'time',
    resolvedAt: 'time',
    lastMessageAt: 'time',
    createdAt: 'time',
    updatedAt: 'time',
  },
  sortable: ['createdAt', 'updatedAt', 'id', 'priority', 'status'],
  defaultSort: ['-createdAt'],
  filters: {
    status: 'text',
    handler: 'text',
    priority: 'text',
    channel: 'text',
    inboxId: 'text',
    customerId: 'text',
    assigneeId: 'text',
  },
  search: ['subject'],
  references: [
    { table: 'messages', column: 'conversationId', entity: 'message' },
    { table: 'notes', column: 'conversationId', entity: 'note' },
    { table: 'tasks', column: 'conversationId', entity: 'task' },
    { table: 'attachments', column: 'conversationId', entity: 'attachment' },
  ],
}

export const messagesTable: EntityTable = {
  entity: 'message',
  table: 'messages',
  idKind: 'message',
  notFound: 'CRM_MESSAGE_NOT_FOUND',
  columns: { sentAt: 'time', createdAt: 'time' },
  sortable: ['sentAt', 'createdAt', 'id'],
  defaultSort: ['sentAt'],
  filters: {
    conversationId: 'text',
    customerId: 'text',
    direction: 'text',
    authorKind: 'text',
    deliveryStatus: 'text',
  },
  search: ['text'],
  references: [{ table: 'attachments', column: 'messageId', entity: 'attachment' }],
}

export const attachmentsTable: EntityTable = {
  entity: 'attachment',
  table: 'attachments',
  idKind: 'attachment',
  notFound: 'CRM_ATTACHMENT_NOT_FOUND',
  columns: { size: 'int', content: 'blob', createdAt: 'time' },
  sortable: ['createdAt', 'id'],
  defaultSort: ['-createdAt'],
  filters: { customerId: 'text', conversationId: 'text', messageId: 'text', contentType: 'text' },
  search: ['filename'],
  references: [],
}

export const notesTable: EntityTable = {
  entity: 'note',
  table: 'notes',
  idKind: 'note',
  notFound: 'CRM_NOTE_NOT_FOUND',
  columns: { createdAt: 'time', updatedAt: 'time' },
  sortable: ['createdAt', 'updatedAt', 'id'],
  defaultSort: ['-createdAt'],
  filters: { customerId: 'text', conversationId: 'text', authorId: 'text' },
  search: ['body'],
  references: [],
}

export const tasksTable: EntityTable = {
  entity: 'task',
  table: 'tasks',
  idKind: 'task',
  notFound: 'CRM_TASK_NOT_FOUND',
  columns: { dueAt: 'time', completedAt: 'time', createdAt: 'time', updatedAt: 'time' },
  sortable: ['createdAt', 'updatedAt', 'status', 'priority', 'id'],
  defaultSort: ['-createdAt'],
  filters: {
    customerId: 'text',
    conversationId: 'text',
    assigneeId: 'text',
    status: 'text',
    priority: 'text',
  },
  search: ['title', 'description'],
  references: [],
}

export const importJobsTable: EntityTable = {
  entity: 'import job',
  table: 'import_jobs',
  idKind: 'importJob',
  notFound: 'CRM_IMPORT_JOB_NOT_FOUND',
  columns: {
    dryRun: 'bool',
    rowsRead: 'int',
    report: 'json',
    error: 'json',
    createdAt: 'time',
    finishedAt: 'time',
  },
  sortable: ['createdAt', 'id'],
  defaultSort: ['-createdAt'],
  filters: { entity: 'text', status: 'text' },
  search: [],
  references: [],
}

export const auditTable: EntityTable = {
  entity: 'audit entry',
  table: 'audit_log',
  idKind: 'audit',
  notFound: 'CRM_AUDIT_ENTRY_NOT_FOUND',
  columns: { fields: 'json', at: 'time' },
  sortable: ['at', 'id'],
  defaultSort: ['-at'],
  filters: { targetType: 'text', targetId: 'text', actorId: 'text', action: 'text' },
  search: ['action'],
  references: [],
}

export const trainingExamplesTable: EntityTable = {
  entity: 'training example',
  table: 'training_examples',
  idKind: 'example',
  notFound: 'NLU_EXAMPLE_NOT_FOUND',
  columns: { createdAt: 'time' },
  sortable: ['createdAt', 'id'],
  defaultSort: ['-createdAt'],
  filters: { task: 'text', label: 'text', source: 'text', customerId: 'text', messageId: 'text' },
  search: ['text'],
  references: [],
}

export const modelsTable: EntityTable = {
  entity: 'model',
  table: 'models',
  idKind: 'model',
  notFound: 'NLU_MODEL_NOT_FOUND',
  columns: { labels: 'json', metrics: 'json', artefactBytes: 'int', createdAt: 'time', promotedAt: 'time' },
  sortable: ['createdAt', 'version', 'id'],
  defaultSort: ['-version'],
  filters: { task: 'text', status: 'text' },
  search: [],
  references: [],
}
