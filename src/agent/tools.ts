/**
 * The agent's tools (issue 4, item 6): `{ name, description, inputSchema, execute }`, after the Vercel AI
 * SDK's shape, for the executor and for LLM drafting (a tool-calling loop can hand a model their JSON
 * schemas). Each validates its input with zod before it runs and works through a small port, so the domain
 * never sees the store. Results are plain JSON; anything personal in them is redacted before it reaches a
 * model (see draft.ts).
 */
import { z } from 'zod'
import { AppError } from '../core/index.js'
import type { Actor } from '../crm/actor.js'
import type { OrderSummary } from './decision.js'

/** What the tools need from the rest of the system (implemented in app.ts over the repositories). */
export interface ToolPorts {
  findOrder(reference: {
    orderId?: string
    number?: string
    customerId?: string
  }): Promise<OrderSummary | null>
  customerSummary(customerId: string): Promise<Record<string, unknown> | null>
  searchKnowledge(
    query: string,
    options: { limit: number; language?: 'zh' | 'en' },
  ): Promise<
    { externalId: string | null; articleId: string; title: string; passage: string; strength: number }[]
  >
  createTask(
    input: {
      title: string
      description?: string
      customerId?: string
      conversationId?: string
      dueAt?: string
    },
    actor: Actor,
  ): Promise<{ id: string }>
  handOff(
    input: { conversationId: string; assigneeId?: string; reason: string; note?: string },
    actor: Actor,
  ): Promise<{ conversationId: string; handler: string }>
}

export interface ToolContext {
  readonly ports: ToolPorts
  readonly actor: Actor
  readonly now: Date
}

export interface Tool<Input> {
  readonly name: string
  readonly description: string
  readonly inputSchema: z.ZodType<Input>
  execute(input: Input, context: ToolContext): Promise<unknown>
}

const id = z.string().min(1).max(64)

function defineTool<Input>(tool: Tool<Input>): Tool<Input> {
  return tool
}

export const lookupOrder = defineTool({
  name: 'lookup_order',
  description:
    "An order's status, carrier, tracking number, expected delivery and items, by id or order number.",
  inputSchema: z
    .strictObject({
      orderId: id.optional(),
      number: z.string().min(1).max(64).optional(),
      customerId: id.optional(),
    })
    .refine((input) => input.orderId !== undefined || input.number !== undefined, {
      message: 'give orderId or number',
      path: ['orderId'],
    }),
  async execute(input, context) {
    const order = await context.ports.findOrder(input)
    if (!order) {
      throw new AppError(
        'CRM_ORDER_NOT_FOUND',
        `no order ${input.orderId ?? input.number}${input.customerId ? ' for this customer' : ''}`,
      )
    }
    return order
  },
})

export const lookupCustomer = defineTool({
  name: 'lookup_customer',
  description: "A customer's tier, lifetime value, locale, open orders and consent.",
  inputSchema: z.strictObject({ customerId: id }),
  async execute(input, context) {
    const summary = await context.ports.customerSummary(input.customerId)
    if (!summary)
      throw new AppError('CRM_CUSTOMER_NOT_FOUND', `customer "${input.customerId}" does not exist`)
    return summary
  },
})

export const searchKnowledge = defineTool({
  name: 'search_knowledge',
  description: 'The best knowledge-base passages for a question, in either language.',
  inputSchema: z.strictObject({
    query: z.string().min(1).max(2000),
    limit: z.number().int().min(1).max(10).default(3),
    language: z.enum(['zh', 'en']).optional(),
  }),
  async execute(input, context) {
    return context.ports.searchKnowledge(input.query, { limit: input.limit, language: input.language })
  },
})

export const createTask = defineTool({
  name: 'create_task',
  description: 'A follow-up task for the team, on a customer or a conversation.',
  inputSchema: z.strictObject({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(5000).optional(),
    customerId: id.optional(),
    conversationId: id.optional(),
    dueAt: z.iso.datetime().optional(),
  }),
  async execute(input, context) {
    return context.ports.createTask(input, context.actor)
  },
})

export const handOff = defineTool({
  name: 'hand_off',
  description: 'Give the conversation to a person (a colleague or the unassigned queue), with the reason.',
  inputSchema: z.strictObject({
    conversationId: id,
    assigneeId: id.optional(),
    reason: z.string().trim().min(1).max(100),
    note: z.string().max(2000).optional(),
  }),
  async execute(input, context) {
    return context.ports.handOff(input, context.actor)
  },
})

export const scheduleCallback = defineTool({
  name: 'schedule_callback',
  description: 'Promise the customer a call back: a task due at the agreed time (in the future).',
  inputSchema: z.strictObject({
    customerId: id,
    conversationId: id.optional(),
    at: z.iso.datetime(),
    note: z.string().max(2000).optional(),
  }),
  async execute(input, context) {
    if (new Date(input.at).getTime() <= context.now.getTime()) {
      throw new AppError(
        'CORE_VALIDATION_FAILED',
        `callback time ${input.at} is in the past; give a future time`,
        {
          details: { field: 'at' },
        },
      )
    }
    return context.ports.createTask(
      {
        title: 'Call the customer back',
        description: input.note,
        customerId: input.customerId,
        conversationId: input.conversationId,
        dueAt: input.at,
      },
      context.actor,
    )
  },
})

export const AGENT_TOOLS = [
  lookupOrder,
  lookupCustomer,
  searchKnowledge,
  createTask,
  handOff,
  scheduleCallback,
] as const

/**
 * Runs a tool by name with untrusted input (from an LLM or an API caller): unknown tools and invalid input
 * are clear errors naming the problem; nothing runs on invalid input.
 */
export async function runTool(name: string, input: unknown, context: ToolContext): Promise<unknown> {
  const tool = AGENT_TOOLS.find((candidate) => candidate.name === name) as Tool<unknown> | undefined
  if (!tool) {
    throw new AppError(
      'CORE_VALIDATION_FAILED',
      `unknown tool "${name}"; known: ${AGENT_TOOLS.map((t) => t.name).join(', ')}`,
    )
  }
  const parsed = tool.inputSchema.safeParse(input)
  if (!parsed.success) {
    throw new AppError(
      'CORE_VALIDATION_FAILED',
      `invalid input for ${name}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`).join('; ')}`,
      {
        details: {
          tool: name,
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      },
    )
  }
  return tool.execute(parsed.data, context)
}

/** The tools' JSON schemas, as an OpenAI-compatible `tools` array. */
export function toolDefinitions() {
  return AGENT_TOOLS.map((tool) => ({
    type: 'function' as const,
    function: {
      name: tool.name,
      description: tool.description,
      parameters: z.toJSONSchema(tool.inputSchema),
    },
  }))
}
