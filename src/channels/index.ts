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
export { parseRawEmail, type MimeLimits } from './email/mime.js'
export {
  createImapPoller,
  type ImapPoller,
  type ImapPollerOptions,
  type MailboxPort,
  type MailboxPosition,
  type PollReport,
  type RawMailIngest,
} from './email/imap-poller.js'
export { isOptOut } from './sms/opt-out.js'
export {
  createNotifier,
  notificationText,
  type NotificationDelivery,
  type NotificationPort,
  type Notifier,
  type NotifierOptions,
} from './notifier.js'
export {
  createChatChannel,
  chatPayloadSchema,
  requireVisitor,
  visitorToken,
  VISITOR_HEADER,
  type VisitorLookup,
} from './chat/chat-channel.js'
export { chatSettings, normalizeOrigin, CHAT_DEFAULTS, type ChatSettings } from './chat/chat-settings.js'
export { createRateLimiter, type RateLimit, type RateLimiter } from './chat/rate-limit.js'
export {
  createLiveHub,
  type LiveHub,
  type LiveHubOptions,
  type LiveListener,
  type LiveEventSource,
} from './live/live-hub.js'
