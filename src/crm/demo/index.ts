/** Public surface of the demo-data generator (the Lumen 光屿 demo shop). */
export {
  generateCompanies,
  generateProducts,
  generateCustomer,
  generateCustomers,
  generateOrders,
  generateEvents,
  generateConversations,
  customerKey,
} from './generate.js'
export type * from './types.js'
export { DEMO_ATTRIBUTE_DEFINITIONS, type DemoAttributeDefinition } from './attribute-definitions.js'
export { INTENTS, type Intent } from './phrase-types.js'
export { SHOP } from './catalogue.js'
export { createRandom, hashSeed, type Random } from './random.js'
