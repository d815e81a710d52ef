import { listProducts } from './catalogue.js'
import { COMPANIES } from './people.js'
import type { DemoCompany, DemoOptions, DemoProduct } from './types.js'

/**
 * The public demo-data generator of the Lumen 光屿 shop. Everything is a pure function of `DemoOptions`
 * (seed, number of customers, the `now` anchor): the same options give byte-identical output. Each customer's
 * data comes from sub-seeds of (seed, customer), so customers can be generated alone, in any order or in
 * parallel, and streaming 100,000 customers or 1,000,000 events needs constant memory.
 *
 * @example
 * const options = { customers: 500, seed: 42, now: new Date('2026-11-25T00:00:00Z') }
 * for (const customer of generateCustomers(options)) {
 *   const orders = [...generateOrders(options, customer)]
 *   for (const conversation of generateConversations(options, customer, orders)) console.log(conversation.messages)
 * }
 */

export { generateCustomer, generateCustomers, customerKey } from './customers.js'
export { generateOrders } from './orders.js'
export { generateEvents } from './events.js'
export { generateConversations } from './conversations.js'
export type * from './types.js'

/** The ~30 companies some customers work for (same for every seed). */
export function generateCompanies(_options?: DemoOptions): DemoCompany[] {
  return COMPANIES.map((company) => ({
    key: company.key,
    name: company.region === 'intl' ? company.en : company.zh,
    domain: company.domain,
    names: { zh: company.zh, en: company.en },
    industry: company.industry,
  }))
}

/** The catalogue: 63 products with bilingual names and descriptions, prices in fen (CNY). */
export function generateProducts(): DemoProduct[] {
  return listProducts()
}
