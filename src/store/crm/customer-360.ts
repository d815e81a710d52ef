import type { Customer } from '../../crm/customers.js'
import { currentConsent, type ConsentEvent } from '../../crm/customers.js'
import { getRow } from '../entity-table.js'
import type { RepositoryContext } from './context.js'
import {
  companiesTable,
  consentEventsTable,
  conversationsTable,
  customersTable,
  eventsTable,
  identitiesTable,
  notesTable,
  orderItemsTable,
  ordersTable,
  tasksTable,
} from './tables.js'

const OPEN_ORDER_STATUSES = ['pending', 'paid', 'shipped']
const NOT_REVENUE = ['cancelled', 'refunded']

/** The customer 360: everything an agent (or the AI) needs to know about a customer, in one read. */
export function createCustomer360(context: RepositoryContext, baseCurrency: () => Promise<string>) {
  const { store } = context
  const { codec, db } = store

  return async function customer360(id: string) {
    let customer = await getRow<Customer>(store, customersTable, id)
    // A merged customer's 360 is the winner's.
    const mergedFrom = customer.mergedIntoId !== null ? customer.id : null
    if (customer.mergedIntoId !== null)
      customer = await getRow<Customer>(store, customersTable, customer.mergedIntoId)
    const customerId = customer.id
    const currency = await baseCurrency()

    const [company, identities, consentRows, orderRows, conversationRows, taskRows, noteRows, eventRows] =
      await Promise.all([
        customer.companyId
          ? db.selectFrom('companies').selectAll().where('id', '=', customer.companyId).executeTakeFirst()
          : Promise.resolve(undefined),
        db
          .selectFrom('identities')
          .selectAll()
          .where('customerId', '=', customerId)
          .orderBy('createdAt')
          .execute(),
        db.selectFrom('consent_events').selectAll().where('customerId', '=', customerId).execute(),
        db
          .selectFrom('orders')
          .selectAll()
          .where('customerId', '=', customerId)
          .orderBy('placedAt', 'desc')
          .orderBy('id', 'desc')
          .execute(),
        db
          .selectFrom('conversations')
          .selectAll()
          .where('customerId', '=', customerId)
          .orderBy('createdAt', 'desc')
          .limit(10)
          .execute(),
        db
          .selectFrom('tasks')
          .selectAll()
          .where('customerId', '=', customerId)
          .where('status', '=', 'open')
          .orderBy('createdAt', 'desc')
          .limit(20)
          .execute(),
        db
          .selectFrom('notes')
          .selectAll()
          .where('customerId', '=', customerId)
          .orderBy('createdAt', 'desc')
          .limit(5)
          .execute(),
        db
          .selectFrom('events')
          .selectAll()
          .where('customerId', '=', customerId)
          .orderBy('occurredAt', 'desc')
          .limit(20)
          .execute(),
      ])

    const orders = orderRows.map((row) =>
      codec.decode<Record<string, unknown> & { id: string }>(ordersTable.columns, row),
    )
    const openOrders = orders.filter((o) => OPEN_ORDER_STATUSES.includes(String(o.status)))
    const shownOrders = [...new Map([...openOrders, ...orders.slice(0, 10)].map((o) => [o.id, o])).values()]
    const itemRows =
      shownOrders.length === 0
        ? []
        : await db
            .selectFrom('order_items')
            .selectAll()
            .where(
              'orderId',
              'in',
              shownOrders.map((o) => o.id),
            )
            .orderBy('position')
            .execute()
    const items = itemRows.map((row) => codec.decode<{ orderId: string }>(orderItemsTable.columns, row))
    const withItems = (order: Record<string, unknown> & { id: string }) => ({
      ...order,
      items: items.filter((item) => item.orderId === order.id),
    })

    let lifetime = 0
    const otherCurrencies = new Map<string, number>()
    for (const order of orders) {
      if (NOT_REVENUE.includes(String(order.status))) continue
      const refunded = ((order.refunds as { amount: number }[]) ?? []).reduce(
        (sum, r) => sum + (r.amount ?? 0),
        0,
      )
      const net = Number(order.totalAmount) - refunded
      if (order.currency === currency) lifetime += net
      else
        otherCurrencies.set(String(order.currency), (otherCurrencies.get(String(order.currency)) ?? 0) + net)
    }
    const conversations = conversationRows.map((row) =>
      codec.decode<Record<string, unknown>>(conversationsTable.columns, row),
    )

    return {
      customer,
      mergedFrom,
      company: company ? codec.decode(companiesTable.columns, company) : null,
      identities: identities.map((row) => codec.decode(identitiesTable.columns, row)),
      consent: currentConsent(
        consentRows.map((row) => codec.decode<ConsentEvent>(consentEventsTable.columns, row)),
      ),
      stats: {
        orderCount: orders.length,
        lifetimeValue: { amount: lifetime, currency },
        /** Totals in other currencies are reported apart, never summed into the base currency. */
        otherCurrencies: [...otherCurrencies].map(([code, amount]) => ({ amount, currency: code })),
        lastOrderAt: orders[0]?.placedAt ?? null,
        openConversations: conversations.filter((c) => c.status === 'open' || c.status === 'pending').length,
        openTasks: taskRows.length,
      },
      openOrders: openOrders.map(withItems),
      recentOrders: orders.slice(0, 10).map(withItems),
      conversations,
      tasks: taskRows.map((row) => codec.decode(tasksTable.columns, row)),
      notes: noteRows.map((row) => codec.decode(notesTable.columns, row)),
      recentEvents: eventRows.map((row) => codec.decode(eventsTable.columns, row)),
    }
  }
}
