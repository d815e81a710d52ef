import { apiInboundMessageSchema } from '../../crm/index.js'
import type { App } from '../../app.js'
import type { ApiServer } from './types.js'

/** Inbound channels. The API channel takes a bearer token (integration, agent or admin) and no signature. */
export function channelRoutes(server: ApiServer, app: App): void {
  server.post(
    '/api/v1/channels/api/messages',
    {
      schema: {
        tags: ['channels'],
        summary:
          'Deliver a customer message through the API channel (202). The same messageId with the same content answers duplicate: true and changes nothing; with different content 409 CHANNEL_MESSAGE_ID_REUSED',
        body: apiInboundMessageSchema,
      },
      config: { minRole: 'integration' },
    },
    async (request, reply) => {
      const receipt = await app.crm.inbound.receiveApiMessage(request.body, request.actor)
      // Start the message.received workflows. Also on a redelivery: the run is keyed on the message, so
      // a sender retrying after a failed trigger gets its run, and one that succeeded gets no second one.
      await app.workflows.engine.trigger(
        'message.received',
        {
          messageId: receipt.messageId,
          conversationId: receipt.conversationId,
          customerId: receipt.customerId,
        },
        `message:${receipt.messageId}`,
      )
      reply.status(202)
      return receipt
    },
  )
}
