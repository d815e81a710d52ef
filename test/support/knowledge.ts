import type { App } from '../../src/app.js'
import { cliActor } from '../../src/crm/index.js'
import { generateProducts } from '../../src/crm/demo/index.js'
import { DEMO_KNOWLEDGE_DIR, importKnowledgePath, type ImportReport } from '../../src/knowledge/index.js'

/** The demo shop's catalogue, which the demo knowledge base links to by SKU. */
export async function seedDemoCatalogue(app: App): Promise<number> {
  const products = generateProducts()
  for (const product of products) {
    await app.crm.products.create(
      {
        sku: product.sku,
        name: product.name,
        category: product.category,
        price: { amount: product.priceAmount, currency: product.currency },
        description: product.description,
        attributes: {},
        active: true,
      },
      cliActor,
    )
  }
  return products.length
}

/** The demo catalogue and the demo knowledge base (data/kb/demo), as `demo seed` installs them. */
export async function importDemoKnowledge(app: App): Promise<ImportReport> {
  await seedDemoCatalogue(app)
  const report = await importKnowledgePath(DEMO_KNOWLEDGE_DIR, app.knowledge, cliActor)
  if (report.rejected.length > 0) throw new Error(`demo KB rejected: ${JSON.stringify(report.rejected)}`)
  return report
}
