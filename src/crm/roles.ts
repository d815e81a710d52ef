/**
 * Roles, lowest to highest for people: viewer < agent < admin. `integration` is a machine role allowed only on
 * ingestion routes (the API channel), which agents and admins may use too.
 */
export const ROLES = ['viewer', 'agent', 'admin', 'integration'] as const
export type Role = (typeof ROLES)[number]
export const USER_ROLES = ['viewer', 'agent', 'admin'] as const
export type UserRole = (typeof USER_ROLES)[number]

/** What a route requires: `public` needs no login at all. */
export type MinRole = 'public' | 'viewer' | 'agent' | 'admin' | 'integration'

const RANK: Record<UserRole, number> = { viewer: 1, agent: 2, admin: 3 }

/** True when a principal with `role` may call an operation that requires `min`. */
export function roleAllows(role: Role, min: MinRole): boolean {
  if (min === 'public') return true
  if (min === 'integration') return role === 'integration' || role === 'agent' || role === 'admin'
  if (role === 'integration') return false
  return RANK[role] >= RANK[min]
}
