export type { Channel, ChannelInbox, DeliveryReceipt, InboundMessage, OutboundMessage } from './channel.js'
export {
  acceptWebhook,
  inboxSecret,
  signWebhook,
  signedHeaders,
  verifyWebhook,
  SIGNATURE_WINDOW_MS,
  type ReplayGuard,
  type VerifiedWebhook,
  type WebhookHeaders,
} from './signature.js'
export { createChannels, type Channels, type ChannelsOptions } from './registry.js'
export {
  createDeliverer,
  retryDelay,
  type ClaimedDelivery,
  type Deliverer,
  type DelivererOptions,
  type DeliveryReport,
  type OutboxPort,
} from './deliverer.js'
export { stripQuotedHistory } from './email/quoted-history.js'
export { isOptOut } from './sms/opt-out.js'
export {
  createNotifier,
  notificationText,
  type NotificationDelivery,
  type NotificationPort,
  type Notifier,
  type NotifierOptions,
} from './notifier.js'
