import { AppError } from '../../core/index.js'
import type { Channel } from '../channel.js'

/**
 * The `api` and `chat` channels: the conversation itself is the delivery (API clients read replies from
 * `GET /api/v1/conversations/{id}/messages`, the widget from its stream), so sending marks the reply sent.
 * Their messages arrive through their own routes, not a signed webhook.
 */
export function createConversationChannel(kind: 'api' | 'chat'): Channel {
  return {
    kind,
    async receive() {
      throw new AppError(
        'CHANNEL_NOT_FOUND',
        `the ${kind} channel has no signed webhook; ${kind === 'api' ? 'POST /api/v1/channels/api/messages with a bearer token' : 'use the chat widget'}`,
      )
    },
    async send() {
      return { providerMessageId: null }
    },
  }
}
