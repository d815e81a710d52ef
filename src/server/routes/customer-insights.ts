import type { App } from '../../app.js'
import { idParams, type ApiServer } from './types.js'

const tags = ['customers']

/** What the customer 360 shows beside `/customers/{id}/360`: surveys and duplicate suggestions. */
export function customerInsightRoutes(server: ApiServer, app: App): void {
  server.get(
    '/api/v1/customers/:id/surveys',
    {
      schema: {
        tags,
        summary:
          "The customer's satisfaction surveys and their answers, newest first (never the answer link)",
        params: idParams,
      },
      config: { minRole: 'viewer' },
    },
    async (request) => ({
      items: await app.insights.customerSidecar.surveys(request.params.id),
      nextCursor: null,
    }),
  )

  server.get(
    '/api/v1/customers/:id/duplicates',
    {
      schema: {
        tags,
        summary:
          'Open duplicate suggestions involving the customer (raised when an identity they wrote belongs to another customer); merge with POST /customers/{id}/merge',
        params: idParams,
      },
      config: { minRole: 'viewer' },
    },
    async (request) => ({
      items: await app.insights.customerSidecar.duplicates(request.params.id),
      nextCursor: null,
    }),
  )
}
