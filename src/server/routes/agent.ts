import { z } from 'zod'
import { cleanText, channelKindSchema } from '../../crm/index.js'
import {
  DEFAULT_POLICY_SET,
  parsePolicyFile,
  policyFieldCatalogue,
  toolDefinitions,
} from '../../agent/index.js'
import type { App } from '../../app.js'
import type { ApiServer } from './types.js'

const tags = ['agent']

/** The reasoning agent: try it (no side effects), run it on a stored message, read decision records, policies. */
export function agentRoutes(server: ApiServer, app: App): void {
  server.post(
    '/api/v1/agent/respond',
    {
      schema: {
        tags,
        summary:
          'What the agent would do with a message: decision (action, reply, citations, explanation) and record; no side effects',
        body: z.strictObject({
          customerId: z.string().min(1).max(200).optional(),
          channel: channelKindSchema.default('api'),
          text: cleanText(65_536).min(1),
        }),
      },
      config: { minRole: 'viewer' },
    },
    async (request) => {
      if (request.body.customerId) await app.crm.customers.get(request.body.customerId)
      return app.agent.respond({
        text: request.body.text,
        customerId: request.body.customerId,
        channel: request.body.channel,
      })
    },
  )

  server.post(
    '/api/v1/messages/:id/handle',
    {
      schema: {
        tags,
        summary: 'Run the agent on a stored message and store its decision record (sends nothing)',
        params: z.strictObject({ id: z.string().min(1).max(200) }),
      },
      config: { minRole: 'agent' },
    },
    async (request) => {
      const { decision, record, id } = await app.agent.handle(request.params.id)
      return { id, decision, record }
    },
  )

  server.get(
    '/api/v1/messages/:id/decision',
    {
      schema: {
        tags,
        summary:
          "The agent's decision record for a message: perception, context, retrieval, rules, decision, versions, latency",
        params: z.strictObject({ id: z.string().min(1).max(200) }),
      },
      config: { minRole: 'viewer' },
    },
    async (request) => app.agent.repository.decisionForMessage(request.params.id),
  )

  server.get(
    '/api/v1/agent/policies',
    {
      schema: { tags, summary: 'The active policy set (the built-in one until a set is saved)' },
      config: { minRole: 'viewer' },
    },
    async () => {
      const active = await app.agent.repository.activePolicySet()
      return {
        version: active?.version ?? null,
        builtIn: !active,
        document: active?.document ?? DEFAULT_POLICY_SET,
      }
    },
  )

  server.put(
    '/api/v1/agent/policies',
    {
      schema: {
        tags,
        summary: 'Replace the policy set (validated: every problem is listed with its path)',
        body: z.strictObject({ document: z.unknown() }),
      },
      config: { minRole: 'admin' },
    },
    async (request) => {
      const definitions = await app.crm.attributeDefinitions.list({ limit: 200 })
      const set = parsePolicyFile(
        JSON.stringify(request.body.document ?? null),
        'json',
        policyFieldCatalogue(definitions.items),
      )
      const stored = await app.agent.repository.savePolicySet(set, 'api', request.actor)
      return { version: stored.version, builtIn: false, document: stored.document }
    },
  )

  server.get(
    '/api/v1/agent/tools',
    {
      schema: {
        tags,
        summary: "The agent's tools with their input JSON schemas (OpenAI-compatible `tools` shape)",
      },
      config: { minRole: 'viewer' },
    },
    async () => ({ items: toolDefinitions(), nextCursor: null }),
  )

  server.post(
    '/api/v1/agent/tools/:name',
    {
      schema: {
        tags,
        summary:
          'Run one of the agent tools (lookup_order, lookup_customer, search_knowledge, create_task, hand_off, schedule_callback)',
        params: z.strictObject({ name: z.string().min(1).max(64) }),
        body: z.record(z.string(), z.unknown()),
      },
      config: { minRole: 'agent' },
    },
    async (request) => ({
      result: await app.agent.runTool(request.params.name, request.body, request.actor),
    }),
  )

  server.get(
    '/api/v1/agent/thresholds',
    {
      schema: { tags, summary: 'The decision thresholds in use (tuned by `agent calibrate`)' },
      config: { minRole: 'viewer' },
    },
    async () => app.agent.thresholds(),
  )
}
