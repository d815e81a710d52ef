import { AppError, newId } from '../../core/index.js'
import type { Actor } from '../../crm/actor.js'
import { writeAudit } from '../audit.js'
import { inTransaction, type RepositoryContext } from '../crm/context.js'

export interface StoredPolicySet {
  id: string
  version: number
  document: unknown
  source: string
  active: boolean
  createdBy: string | null
  createdAt: string
}

export interface StoredDecision {
  id: string
  messageId: string | null
  conversationId: string | null
  customerId: string | null
  action: string
  confidence: number
  intent: string | null
  sentiment: string | null
  handOffReason: string | null
  record: Record<string, unknown>
  createdAt: string
}

const policyColumns = { document: 'json', active: 'bool', createdAt: 'time' } as const
const decisionColumns = { record: 'json', createdAt: 'time' } as const

/**
 * The agent's stored state: versioned policy sets (one active), settings such as the tuned thresholds, and
 * the decision record of every message the agent handled (one per message; handling it again replaces it).
 */
export function createAgentRepository(context: RepositoryContext) {
  const { store, clock } = context
  const codec = store.codec

  async function activePolicySet(): Promise<StoredPolicySet | null> {
    const row = await store.db
      .selectFrom('agent_policy_sets')
      .selectAll()
      .where('active', '=', codec.bool(true))
      .executeTakeFirst()
    return row ? codec.decode<StoredPolicySet>(policyColumns, row) : null
  }

  async function policySets(): Promise<StoredPolicySet[]> {
    const rows = await store.db
      .selectFrom('agent_policy_sets')
      .selectAll()
      .orderBy('version', 'desc')
      .execute()
    return rows.map((row) => codec.decode<StoredPolicySet>(policyColumns, row))
  }

  /** Stores a validated policy set as the next version and makes it the active one. */
  async function savePolicySet(document: unknown, source: string, actor: Actor): Promise<StoredPolicySet> {
    return inTransaction(store, async (db) => {
      const last = await db
        .selectFrom('agent_policy_sets')
        .select((eb) => eb.fn.max('version').as('version'))
        .executeTakeFirst()
      const now = clock.now()
      const version = Number(last?.version ?? 0) + 1
      const id = newId('policySet', now.getTime())
      await db
        .updateTable('agent_policy_sets')
        .set({ active: codec.bool(false) })
        .execute()
      await db
        .insertInto('agent_policy_sets')
        .values({
          id,
          version,
          document: codec.json(document),
          source,
          active: codec.bool(true),
          createdBy: actor.id,
          createdAt: now.toISOString(),
        })
        .execute()
      await writeAudit(
        db,
        codec,
        actor,
        {
          action: 'agent.policies.save',
          targetType: 'policy_set',
          targetId: id,
          details: { version, source },
        },
        now,
      )
      const row = await db
        .selectFrom('agent_policy_sets')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      return codec.decode<StoredPolicySet>(policyColumns, row)
    })
  }

  async function setting<T>(key: string): Promise<T | null> {
    const row = await store.db
      .selectFrom('agent_settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst()
    if (!row) return null
    return (typeof row.value === 'string' ? JSON.parse(row.value) : row.value) as T
  }

  async function saveSetting(key: string, value: unknown, actor: Actor): Promise<void> {
    await inTransaction(store, async (db) => {
      const now = clock.now()
      const exists = await db
        .selectFrom('agent_settings')
        .select('key')
        .where('key', '=', key)
        .executeTakeFirst()
      if (exists)
        await db
          .updateTable('agent_settings')
          .set({ value: codec.json(value), updatedAt: now.toISOString() })
          .where('key', '=', key)
          .execute()
      else
        await db
          .insertInto('agent_settings')
          .values({ key, value: codec.json(value), updatedAt: now.toISOString() })
          .execute()
      await writeAudit(
        db,
        codec,
        actor,
        { action: 'agent.settings.save', targetType: 'agent_setting', targetId: key },
        now,
      )
    })
  }

  /** Stores the decision record of a message (replacing an earlier one for the same message). */
  async function saveDecision(input: Omit<StoredDecision, 'id' | 'createdAt'>): Promise<StoredDecision> {
    const now = clock.now()
    const id = newId('decision', now.getTime())
    const values = { ...input, record: codec.json(input.record), createdAt: now.toISOString() }
    // one record per message; handling it again (or twice at once) replaces it, atomically
    await store.db
      .insertInto('agent_decisions')
      .values({ id, ...values })
      .$if(input.messageId !== null, (qb) =>
        qb.onConflict((oc) => oc.column('messageId').doUpdateSet({ id, ...values })),
      )
      .execute()
    return { id, ...input, createdAt: now.toISOString() }
  }

  async function decisionForMessage(messageId: string): Promise<StoredDecision> {
    const row = messageId.includes('\u0000')
      ? undefined
      : await store.db
          .selectFrom('agent_decisions')
          .selectAll()
          .where('messageId', '=', messageId)
          .executeTakeFirst()
    if (!row) {
      throw new AppError(
        'AGENT_DECISION_NOT_FOUND',
        `message "${messageId}" has no decision record: the agent has not handled it`,
        {
          details: { messageId },
        },
      )
    }
    return codec.decode<StoredDecision>(decisionColumns, row)
  }

  /** Decisions on a conversation's earlier messages, most recent first. */
  async function conversationDecisions(conversationId: string, limit = 5): Promise<StoredDecision[]> {
    const rows = await store.db
      .selectFrom('agent_decisions')
      .selectAll()
      .where('conversationId', '=', conversationId)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
    return rows.map((row) => codec.decode<StoredDecision>(decisionColumns, row))
  }

  return {
    activePolicySet,
    policySets,
    savePolicySet,
    setting,
    saveSetting,
    saveDecision,
    decisionForMessage,
    conversationDecisions,
  }
}

export type AgentRepository = ReturnType<typeof createAgentRepository>
