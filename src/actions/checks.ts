import { AppError } from '../core/index.js'
import type { ActionTransaction } from './ports.js'

/** Refuses (400) a user id that does not resolve, naming the field; null passes. */
export async function requireUser(
  tx: ActionTransaction,
  userId: string | null | undefined,
  field: string,
): Promise<void> {
  if (userId === null || userId === undefined) return
  if (!(await tx.crm.userExists(userId))) {
    throw new AppError('CRM_INVALID_REFERENCE', `${field} "${userId}" is not a user`, {
      details: { field, id: userId },
    })
  }
}
