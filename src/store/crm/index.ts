export { createCustomersRepository, type CustomersRepository } from './customers-repository.js'
export { createWorkspaceRepository, type WorkspaceRepository } from './workspace-repository.js'
export { createSimpleRepository, type SimpleRepository } from './simple-repository.js'
export { type RepositoryContext } from './context.js'
export * from './tables.js'
export { createPrivacyRepository, type PrivacyRepository, ERASED_TEXT } from './privacy-repository.js'
export { createCustomer360 } from './customer-360.js'
export { createProductsRepository, type ProductsRepository } from './products-repository.js'
export { createOrdersRepository, type OrdersRepository } from './orders-repository.js'
export { createEventsRepository, type EventsRepository } from './events-repository.js'
export { createInboxesRepository, type InboxesRepository } from './inboxes-repository.js'
export { createConversationsRepository, type ConversationsRepository } from './conversations-repository.js'
export { createMessagesRepository, type MessagesRepository } from './messages-repository.js'
export {
  createInboundRepository,
  type ChannelInboundMessage,
  type InboundRepository,
} from './inbound-repository.js'
export { createNotesRepository, type NotesRepository } from './notes-repository.js'
export { createTasksRepository, type TasksRepository } from './tasks-repository.js'
export {
  createAttachmentsRepository,
  type AttachmentsRepository,
  type AttachmentContent,
} from './attachments-repository.js'
export {
  createInboxRepository,
  INBOX_QUEUES,
  type InboxRepository,
  type InboxQueue,
  type InboxItem,
} from './inbox-repository.js'
