import { AppError, type Money } from '../../core/index.js'
import type { ContextMessage, CustomerContext, OrderSummary } from '../../agent/decision.js'
import type { ContextSource, MessageContext } from '../../agent/agent-service.js'
import type { RepositoryContext } from '../crm/context.js'
import type { AgentRepository } from './agent-repository.js'

type Customer360 = (id: string) => Promise<{
  customer: {
    id: string
    name: string | null
    locale: string
    tier: string
    tags: string[]
    attributes: Record<string, unknown>
  }
  consent: { purpose: string; channel: string; status: string }[]
  stats: { lifetimeValue: { amount: number; currency: string } }
  openOrders: Record<string, unknown>[]
  recentOrders: Record<string, unknown>[]
}>

const PREVIOUS_MESSAGES = 6

export function orderSummary(order: Record<string, unknown>): OrderSummary {
  const items = (order.items as { name?: string | null; sku?: string; quantity?: number }[] | undefined) ?? []
  return {
    id: String(order.id),
    number: String(order.number),
    status: String(order.status),
    paymentStatus:
      order.paymentStatus === null || order.paymentStatus === undefined ? null : String(order.paymentStatus),
    carrier: (order.carrier as string | null) ?? null,
    trackingNumber: (order.trackingNumber as string | null) ?? null,
    placedAt: String(order.placedAt),
    shippedAt: (order.shippedAt as string | null) ?? null,
    expectedAt: (order.expectedAt as string | null) ?? null,
    deliveredAt: (order.deliveredAt as string | null) ?? null,
    total: { amount: Number(order.totalAmount ?? 0), currency: String(order.currency ?? 'CNY') } as Money,
    items: items.map((item) => ({ name: item.name ?? item.sku ?? '', quantity: Number(item.quantity ?? 1) })),
  }
}

/**
 * The customer context of the reasoner (issue 4, item 3), read from the CRM: tier, lifetime value, open
 * and recent orders, the conversation's last messages, recent sentiment from earlier decisions, consent.
 */
export function createContextSource(
  context: RepositoryContext,
  customer360: Customer360,
  agent: Pick<AgentRepository, 'conversationDecisions'>,
): ContextSource {
  const { store } = context

  async function forCustomer(customerId: string | null, channel: string): Promise<CustomerContext> {
    if (!customerId)
      return {
        customer: null,
        openOrders: [],
        recentOrders: [],
        conversation: null,
        recentSentiment: [],
        consent: {},
        channel,
      }
    const view = await customer360(customerId)
    const consent: Record<string, boolean> = {}
    for (const event of view.consent)
      consent[`${event.purpose}:${event.channel}`] = event.status === 'granted'
    return {
      customer: {
        id: view.customer.id,
        name: view.customer.name,
        locale: view.customer.locale,
        tier: view.customer.tier,
        tags: view.customer.tags,
        attributes: view.customer.attributes,
        lifetimeValue: view.stats.lifetimeValue as Money,
      },
      openOrders: view.openOrders.map(orderSummary),
      recentOrders: view.recentOrders.slice(0, 5).map(orderSummary),
      conversation: null,
      recentSentiment: [],
      consent,
      channel,
    }
  }

  async function forMessage(messageId: string): Promise<MessageContext> {
    const row = messageId.includes('\u0000')
      ? undefined
      : await store.db
          .selectFrom('messages')
          .innerJoin('conversations', 'conversations.id', 'messages.conversationId')
          .select([
            'messages.id as id',
            'messages.text as text',
            'messages.conversationId as conversationId',
            'messages.customerId as customerId',
            'messages.direction as direction',
            'messages.sentAt as sentAt',
            'conversations.channel as channel',
            'conversations.status as status',
            'conversations.handler as handler',
          ])
          .where('messages.id', '=', messageId)
          .executeTakeFirst()
    if (!row)
      throw new AppError('CRM_MESSAGE_NOT_FOUND', `message "${messageId}" does not exist`, {
        details: { id: messageId },
      })
    const base = await forCustomer(String(row.customerId), String(row.channel))
    const previousRows = await store.db
      .selectFrom('messages')
      .select(['id', 'direction', 'authorKind', 'text', 'sentAt'])
      .where('conversationId', '=', String(row.conversationId))
      .where((eb) =>
        eb.or([
          eb('sentAt', '<', row.sentAt as string),
          eb.and([eb('sentAt', '=', row.sentAt as string), eb('id', '<', String(row.id))]),
        ]),
      )
      .orderBy('sentAt', 'desc')
      .orderBy('id', 'desc')
      .limit(PREVIOUS_MESSAGES)
      .execute()
    const previousMessages: ContextMessage[] = previousRows.reverse().map((m) => ({
      direction: m.direction === 'outbound' ? 'outbound' : 'inbound',
      authorKind: String(m.authorKind),
      text: String(m.text),
      at: String(store.codec.decode<{ sentAt: string }>({ sentAt: 'time' }, { sentAt: m.sentAt }).sentAt),
    }))
    const decisions = await agent.conversationDecisions(String(row.conversationId), 5)
    const recentSentiment = decisions
      .map(
        (decision) =>
          (decision.record.perception as { sentiment?: { label: string; score: number } | null } | undefined)
            ?.sentiment,
      )
      .filter((sentiment): sentiment is { label: string; score: number } => Boolean(sentiment))
      .map((sentiment) => ({ label: sentiment.label, score: sentiment.score }))
    return {
      message: {
        id: String(row.id),
        text: String(row.text),
        conversationId: String(row.conversationId),
        customerId: String(row.customerId),
        channel: String(row.channel),
        direction: String(row.direction),
      },
      context: {
        ...base,
        conversation: {
          id: String(row.conversationId),
          status: String(row.status),
          handler: String(row.handler),
          previousMessages,
        },
        recentSentiment,
      },
    }
  }

  return { forCustomer, forMessage }
}
