import { AppError, newId } from '../../core/index.js'
import { generateToken, hashPassword, hashToken, verifyPassword } from '../../auth/index.js'
import type { Actor } from '../../crm/actor.js'
import type { Role, UserRole } from '../../crm/roles.js'
import { normalizeEmail } from '../../crm/identity.js'
import { writeAudit } from '../audit.js'
import type { ColumnKinds } from '../codec.js'
import { translateConstraintError } from '../entity-table.js'
import { inTransaction, type RepositoryContext } from '../crm/context.js'

export interface User {
  id: string
  email: string
  name: string | null
  role: UserRole
  active: boolean
  lastLoginAt: string | null
  createdAt: string
  updatedAt: string
}

export interface ApiToken {
  id: string
  name: string | null
  role: Role
  prefix: string
  createdBy: string | null
  createdAt: string
  expiresAt: string | null
  revokedAt: string | null
  lastUsedAt: string | null
}

/** Who made a request: a user (session or their token) or an API token. */
export interface Principal {
  readonly kind: 'user' | 'token'
  readonly id: string
  readonly role: Role
  readonly user: User | null
}

const userColumns: ColumnKinds = { active: 'bool', lastLoginAt: 'time', createdAt: 'time', updatedAt: 'time' }
const tokenColumns: ColumnKinds = {
  createdAt: 'time',
  expiresAt: 'time',
  revokedAt: 'time',
  lastUsedAt: 'time',
}

function publicUser(row: Record<string, unknown>): User {
  const { passwordHash: _hidden, ...user } = row
  return user as unknown as User
}

/** Users, API tokens and console sessions. */
export function createAccessRepository(context: RepositoryContext) {
  const { store, clock } = context
  const codec = store.codec

  async function createUser(
    input: { email: string; password: string; role: UserRole; name?: string | null },
    actor: Actor,
  ): Promise<User> {
    const email = normalizeEmail(input.email)
    if (email === null) {
      throw new AppError('CORE_VALIDATION_FAILED', `"${input.email}" is not an email address`, {
        details: { field: 'email' },
      })
    }
    if (input.password.length < 10) {
      throw new AppError('CORE_VALIDATION_FAILED', 'a password needs at least 10 characters', {
        details: { field: 'password' },
      })
    }
    const now = clock.now()
    const id = newId('user', now.getTime())
    const passwordHash = await hashPassword(input.password)
    try {
      await inTransaction(store, async (db) => {
        await db
          .insertInto('users')
          .values(
            codec.encode(userColumns, {
              id,
              email,
              name: input.name ?? null,
              passwordHash,
              role: input.role,
              active: true,
              createdAt: now,
              updatedAt: now,
            }),
          )
          .execute()
        await writeAudit(
          db,
          codec,
          actor,
          {
            action: 'user.create',
            targetType: 'user',
            targetId: id,
            fields: ['email', 'role', 'name', 'password'],
          },
          now,
        )
      })
    } catch (error) {
      if (
        (error as { code?: string }).code === '23505' ||
        String((error as Error).message).includes('UNIQUE')
      ) {
        throw new AppError('AUTH_USER_EXISTS', `a user with email ${email} already exists`, { cause: error })
      }
      translateConstraintError(error, 'user')
    }
    return getUser(id)
  }

  async function getUser(id: string): Promise<User> {
    const row = await store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new AppError('AUTH_USER_NOT_FOUND', `user "${id}" does not exist`, { details: { id } })
    return publicUser(codec.decode(userColumns, row))
  }

  async function findUserByEmail(email: string): Promise<(User & { passwordHash: string }) | null> {
    const normalized = normalizeEmail(email)
    if (normalized === null) return null
    const row = await store.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', normalized)
      .executeTakeFirst()
    return row ? codec.decode(userColumns, row) : null
  }

  async function listUsers(): Promise<User[]> {
    const rows = await store.db.selectFrom('users').selectAll().orderBy('createdAt').orderBy('id').execute()
    return rows.map((row) => publicUser(codec.decode(userColumns, row)))
  }

  async function countUsers(): Promise<number> {
    const row = await store.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async function setUserActive(email: string, active: boolean, actor: Actor): Promise<User> {
    const user = await findUserByEmail(email)
    if (!user)
      throw new AppError('AUTH_USER_NOT_FOUND', `no user has the email ${email}`, { details: { email } })
    const now = clock.now()
    await inTransaction(store, async (db) => {
      await db
        .updateTable('users')
        .set(codec.encode(userColumns, { active, updatedAt: now }))
        .where('id', '=', user.id)
        .execute()
      if (!active) {
        await db
          .updateTable('sessions')
          .set(codec.encode({ revokedAt: 'time' }, { revokedAt: now }))
          .where('userId', '=', user.id)
          .execute()
      }
      await writeAudit(
        db,
        codec,
        actor,
        {
          action: active ? 'user.activate' : 'user.deactivate',
          targetType: 'user',
          targetId: user.id,
          fields: ['active'],
        },
        now,
      )
    })
    return getUser(user.id)
  }

  async function setPassword(email: string, password: string, actor: Actor): Promise<User> {
    const user = await findUserByEmail(email)
    if (!user)
      throw new AppError('AUTH_USER_NOT_FOUND', `no user has the email ${email}`, { details: { email } })
    if (password.length < 10) {
      throw new AppError('CORE_VALIDATION_FAILED', 'a password needs at least 10 characters', {
        details: { field: 'password' },
      })
    }
    const now = clock.now()
    const passwordHash = await hashPassword(password)
    await inTransaction(store, async (db) => {
      await db
        .updateTable('users')
        .set(codec.encode(userColumns, { passwordHash, updatedAt: now }))
        .where('id', '=', user.id)
        .execute()
      await db
        .updateTable('sessions')
        .set(codec.encode({ revokedAt: 'time' }, { revokedAt: now }))
        .where('userId', '=', user.id)
        .where('revokedAt', 'is', null)
        .execute()
      await writeAudit(
        db,
        codec,
        actor,
        { action: 'user.reset_password', targetType: 'user', targetId: user.id, fields: ['password'] },
        now,
      )
    })
    return getUser(user.id)
  }

  async function createToken(
    input: { role: Role; name?: string | null; expiresAt?: Date | null },
    actor: Actor,
  ): Promise<{ token: string; id: string; role: Role }> {
    const now = clock.now()
    const id = newId('token', now.getTime())
    const { token, hash, prefix } = generateToken()
    await inTransaction(store, async (db) => {
      await db
        .insertInto('api_tokens')
        .values(
          codec.encode(tokenColumns, {
            id,
            name: input.name ?? null,
            role: input.role,
            tokenHash: hash,
            prefix,
            createdBy: actor.id,
            createdAt: now,
            expiresAt: input.expiresAt ?? null,
          }),
        )
        .execute()
      await writeAudit(
        db,
        codec,
        actor,
        { action: 'token.create', targetType: 'token', targetId: id, fields: ['role', 'name', 'expiresAt'] },
        now,
      )
    })
    return { token, id, role: input.role }
  }

  async function listTokens(): Promise<ApiToken[]> {
    const rows = await store.db
      .selectFrom('api_tokens')
      .select([
        'id',
        'name',
        'role',
        'prefix',
        'createdBy',
        'createdAt',
        'expiresAt',
        'revokedAt',
        'lastUsedAt',
      ])
      .orderBy('createdAt')
      .orderBy('id')
      .execute()
    return rows.map((row) => codec.decode<ApiToken>(tokenColumns, row))
  }

  async function revokeToken(id: string, actor: Actor): Promise<void> {
    const now = clock.now()
    await inTransaction(store, async (db) => {
      const row = await db.selectFrom('api_tokens').select('id').where('id', '=', id).executeTakeFirst()
      if (!row)
        throw new AppError('AUTH_TOKEN_NOT_FOUND', `token "${id}" does not exist`, { details: { id } })
      await db
        .updateTable('api_tokens')
        .set(codec.encode(tokenColumns, { revokedAt: now }))
        .where('id', '=', id)
        .where('revokedAt', 'is', null)
        .execute()
      await writeAudit(db, codec, actor, { action: 'token.revoke', targetType: 'token', targetId: id }, now)
    })
    for (const [hash, entry] of tokenCache) if (entry.principal.id === id) tokenCache.delete(hash)
  }

  /**
   * Recently verified tokens, by hash, for a few seconds: the hot path of every API request skips a query.
   * A revocation here clears the entry at once; in another process it takes effect within TOKEN_CACHE_MS.
   */
  const tokenCache = new Map<string, { principal: Principal; expiresAt: string | null; until: number }>()
  const TOKEN_CACHE_MS = 5_000

  /** Resolves a bearer token to its principal, or null when it is unknown, revoked or expired. */
  async function authenticateToken(token: string): Promise<Principal | null> {
    if (!token.startsWith('acrm_') || token.length > 200) return null
    const hash = hashToken(token)
    const cached = tokenCache.get(hash)
    const nowMs = Date.now()
    if (cached && cached.until > nowMs) {
      if (cached.expiresAt !== null && cached.expiresAt <= clock.now().toISOString()) return null
      return cached.principal
    }
    const principal = await lookupToken(hash)
    if (principal) {
      if (tokenCache.size >= 1000) tokenCache.delete(tokenCache.keys().next().value as string)
      tokenCache.set(hash, { ...principal, until: nowMs + TOKEN_CACHE_MS })
      return principal.principal
    }
    tokenCache.delete(hash)
    return null
  }

  async function lookupToken(
    hash: string,
  ): Promise<{ principal: Principal; expiresAt: string | null } | null> {
    const row = await store.db
      .selectFrom('api_tokens')
      .select(['id', 'role', 'expiresAt', 'revokedAt'])
      .where('tokenHash', '=', hash)
      .executeTakeFirst()
    if (!row) return null
    const decoded = codec.decode<{
      id: string
      role: Role
      expiresAt: string | null
      revokedAt: string | null
    }>(tokenColumns, row)
    if (decoded.revokedAt !== null) return null
    if (decoded.expiresAt !== null && decoded.expiresAt <= clock.now().toISOString()) return null
    return {
      principal: { kind: 'token', id: decoded.id, role: decoded.role, user: null },
      expiresAt: decoded.expiresAt,
    }
  }

  /** Checks email and password; returns the user, or null (same answer for unknown email and wrong password). */
  async function checkCredentials(email: string, password: string): Promise<User | null> {
    const user = await findUserByEmail(email)
    if (!user || !user.active) {
      await hashPassword(password) // spend the same time as a real check
      return null
    }
    if (!(await verifyPassword(password, user.passwordHash))) return null
    return publicUser(user as unknown as Record<string, unknown>)
  }

  async function createSession(
    userId: string,
    ttlHours: number,
  ): Promise<{ token: string; expiresAt: string }> {
    const now = clock.now()
    const { token, hash } = generateToken()
    const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000)
    await inTransaction(store, async (db) => {
      await db
        .insertInto('sessions')
        .values(
          codec.encode(
            { createdAt: 'time', expiresAt: 'time' },
            { id: newId('session', now.getTime()), tokenHash: hash, userId, createdAt: now, expiresAt },
          ),
        )
        .execute()
      await db
        .updateTable('users')
        .set(codec.encode(userColumns, { lastLoginAt: now }))
        .where('id', '=', userId)
        .execute()
      await writeAudit(
        db,
        codec,
        { kind: 'user', id: userId, requestId: null },
        { action: 'session.create', targetType: 'user', targetId: userId },
        now,
      )
    })
    return { token, expiresAt: expiresAt.toISOString() }
  }

  async function authenticateSession(token: string): Promise<Principal | null> {
    if (!token.startsWith('acrm_') || token.length > 200) return null
    const row = await store.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.userId')
      .select(['sessions.expiresAt', 'sessions.revokedAt', 'users.id as userId'])
      .where('sessions.tokenHash', '=', hashToken(token))
      .executeTakeFirst()
    if (!row) return null
    const session = codec.decode<{ expiresAt: string; revokedAt: string | null; userId: string }>(
      { expiresAt: 'time', revokedAt: 'time' },
      row,
    )
    if (session.revokedAt !== null || session.expiresAt <= clock.now().toISOString()) return null
    const user = await getUser(session.userId)
    if (!user.active) return null
    return { kind: 'user', id: user.id, role: user.role, user }
  }

  async function endSession(token: string): Promise<void> {
    await store.db
      .updateTable('sessions')
      .set(codec.encode({ revokedAt: 'time' }, { revokedAt: clock.now() }))
      .where('tokenHash', '=', hashToken(token))
      .execute()
  }

  return {
    createUser,
    getUser,
    listUsers,
    countUsers,
    setUserActive,
    setPassword,
    createToken,
    listTokens,
    revokeToken,
    authenticateToken,
    checkCredentials,
    createSession,
    authenticateSession,
    endSession,
  }
}

export type AccessRepository = ReturnType<typeof createAccessRepository>
