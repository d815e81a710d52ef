import type { Actor } from '../crm/actor.js'
import { newId } from '../core/index.js'
import type { Codec } from './codec.js'
import type { Db } from './database.js'

export interface AuditInput {
  readonly action: string
  readonly targetType: string
  readonly targetId: string | null
  /** Names of the fields written — never their values. */
  readonly fields?: readonly string[]
  readonly details?: Readonly<Record<string, string | number | boolean | null>>
}

/** Writes one audit entry, inside the caller's transaction. Field names only: values never reach the log. */
export async function writeAudit(
  db: Db,
  codec: Codec,
  actor: Actor,
  input: AuditInput,
  at: Date,
): Promise<void> {
  const fields = {
    names: [...(input.fields ?? [])].sort(),
    ...(input.details ? { details: input.details } : {}),
  }
  await db
    .insertInto('audit_log')
    .values({
      id: newId('audit', at.getTime()),
      actorKind: actor.kind,
      actorId: actor.id,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId,
      fields: codec.json(fields),
      requestId: actor.requestId,
      at: at.toISOString(),
    })
    .execute()
}
