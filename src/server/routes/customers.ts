import { z } from 'zod'
import { AppError } from '../../core/index.js'
import {
  consentCreateSchema,
  customerCreateSchema,
  customerListQuerySchema,
  customerMergeSchema,
  customerPatchSchema,
  identityCreateSchema,
  roleAllows,
} from '../../crm/index.js'
import type { App } from '../../app.js'
import { idParams, type ApiServer } from './types.js'

const tags = ['customers']

/** Customers, their identities and consent, the customer 360, merge, privacy export and erasure. */
export function customerRoutes(server: ApiServer, app: App): void {
  const customers = app.crm.customers

  server.get(
    '/api/v1/customers',
    {
      schema: {
        tags,
        summary: 'List and search customers (q: name, email or phone)',
        querystring: customerListQuerySchema,
      },
      config: { minRole: 'viewer' },
    },
    async (request) => customers.list(request.query),
  )

  server.post(
    '/api/v1/customers',
    {
      schema: { tags, summary: 'Create a customer', body: customerCreateSchema },
      config: { minRole: 'agent' },
    },
    async (request, reply) => {
      reply.status(201)
      return customers.create(request.body, request.actor)
    },
  )

  server.get(
    '/api/v1/customers/:id',
    { schema: { tags, summary: 'Get a customer', params: idParams }, config: { minRole: 'viewer' } },
    async (request) => customers.get(request.params.id),
  )

  server.patch(
    '/api/v1/customers/:id',
    {
      schema: {
        tags,
        summary: 'Update a customer (merge; null clears)',
        params: idParams,
        body: customerPatchSchema,
      },
      config: { minRole: 'agent' },
    },
    async (request) => customers.update(request.params.id, request.body, request.actor),
  )

  server.delete(
    '/api/v1/customers/:id',
    {
      schema: {
        tags,
        summary: 'Archive a customer (restorable); with ?erase=true (admin) anonymise irreversibly',
        params: idParams,
        querystring: z.strictObject({ erase: z.enum(['true', 'false']).default('false') }),
      },
      config: { minRole: 'agent' },
    },
    async (request) => {
      if (request.query.erase === 'true') {
        if (!request.principal || !roleAllows(request.principal.role, 'admin')) {
          throw new AppError('AUTH_FORBIDDEN', 'erasing a customer needs the admin role', {
            details: { required: 'admin', role: request.principal?.role ?? null },
          })
        }
        return app.privacy.erase(request.params.id, request.actor)
      }
      return customers.archive(request.params.id, request.actor)
    },
  )

  server.post(
    '/api/v1/customers/:id/restore',
    {
      schema: { tags, summary: 'Restore an archived customer', params: idParams },
      config: { minRole: 'agent' },
    },
    async (request) => customers.restore(request.params.id, request.actor),
  )

  server.get(
    '/api/v1/customers/:id/360',
    {
      schema: {
        tags,
        summary: 'The customer 360: profile, orders, lifetime value, conversations, tasks, consent',
        params: idParams,
      },
      config: { minRole: 'viewer' },
    },
    async (request) => app.insights.customer360(request.params.id),
  )

  server.get(
    '/api/v1/customers/:id/export',
    {
      schema: {
        tags,
        summary: 'Everything held about one person, as JSON (data subject access)',
        params: idParams,
      },
      config: { minRole: 'admin' },
    },
    async (request) => app.privacy.exportCustomer(request.params.id, request.actor),
  )

  server.post(
    '/api/v1/customers/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge another customer (loserId) into this one; the loser becomes a tombstone',
        params: idParams,
        body: customerMergeSchema,
      },
      config: { minRole: 'agent' },
    },
    async (request) => app.privacy.merge(request.params.id, request.body.loserId, request.actor),
  )

  server.get(
    '/api/v1/customers/:id/identities',
    {
      schema: { tags, summary: "A customer's channel identities", params: idParams },
      config: { minRole: 'viewer' },
    },
    async (request) => ({ items: await customers.listIdentities(request.params.id), nextCursor: null }),
  )

  server.post(
    '/api/v1/customers/:id/identities',
    {
      schema: {
        tags,
        summary: 'Add a channel identity (email, phone, chat, api)',
        params: idParams,
        body: identityCreateSchema,
      },
      config: { minRole: 'agent' },
    },
    async (request, reply) => {
      reply.status(201)
      return customers.addIdentity(request.params.id, request.body, request.actor)
    },
  )

  server.delete(
    '/api/v1/identities/:id',
    {
      schema: { tags, summary: 'Remove a channel identity', params: idParams },
      config: { minRole: 'agent' },
    },
    async (request, reply) => {
      await customers.removeIdentity(request.params.id, request.actor)
      reply.status(204)
    },
  )

  server.get(
    '/api/v1/customers/:id/consent',
    {
      schema: {
        tags,
        summary: 'Current consent per purpose × channel, and the full event log',
        params: idParams,
      },
      config: { minRole: 'viewer' },
    },
    async (request) => customers.consent(request.params.id),
  )

  server.post(
    '/api/v1/customers/:id/consent',
    {
      schema: {
        tags,
        summary: 'Record consent granted or withdrawn (append-only)',
        params: idParams,
        body: consentCreateSchema,
      },
      config: { minRole: 'agent' },
    },
    async (request, reply) => {
      reply.status(201)
      return customers.recordConsent(request.params.id, request.body, request.actor)
    },
  )
}
