import { useQuery, useQueryClient } from '@tanstack/react-query'
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react'
import { api, onUnauthorized } from './api'
import { workspaceQuery } from './workspace'
import { preloadPage } from '../routes'

export type Role = 'viewer' | 'agent' | 'admin' | 'integration'

export interface SessionUser {
  readonly id: string
  readonly email: string
  readonly name: string | null
  readonly role: Role
}

interface SessionAnswer {
  user: SessionUser | null
  role: Role | null
}

export interface Session {
  /** null while signed out. */
  readonly user: SessionUser | null
  readonly loading: boolean
  signIn(email: string, password: string): Promise<void>
  signOut(): Promise<void>
  /** True when the user's role is at least `role`. */
  can(role: Exclude<Role, 'integration'>): boolean
}

const RANK: Record<Role, number> = { viewer: 1, agent: 2, integration: 2, admin: 3 }
const SessionContext = createContext<Session | null>(null)
export const SESSION_KEY = ['session'] as const

/** The signed-in user (`GET /api/v1/session`, 200 `{user: null}` when signed out); a 401 anywhere signs out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient()
  // Signed in: fetch the workspace and the current page's code at once instead of one after the other.
  const signedIn = () => {
    void queryClient.prefetchQuery(workspaceQuery)
    preloadPage(location.pathname)
  }
  const query = useQuery({
    queryKey: SESSION_KEY,
    queryFn: async () => {
      const answer = await api.get<SessionAnswer>('/session')
      if (answer.user) signedIn()
      return answer
    },
    staleTime: Infinity,
    retry: false,
  })

  useEffect(
    () =>
      onUnauthorized(() => {
        queryClient.setQueryData<SessionAnswer>(SESSION_KEY, { user: null, role: null })
      }),
    [queryClient],
  )

  const signIn = useCallback(
    async (email: string, password: string) => {
      const answer = await api.post<{ user: SessionUser }>(
        '/session',
        { email, password },
        { keepSession: true },
      )
      queryClient.setQueryData<SessionAnswer>(SESSION_KEY, { user: answer.user, role: answer.user.role })
    },
    [queryClient],
  )

  const signOut = useCallback(async () => {
    await queryClient.cancelQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] })
    await api.del('/session')
    queryClient.setQueryData<SessionAnswer>(SESSION_KEY, { user: null, role: null })
  }, [queryClient])

  const user = query.data?.user ?? null
  // Signed out: once the pages are gone (their observers with them), drop what they had loaded, so the next
  // person to sign in sees nothing of it. Removing earlier would make the still-mounted pages fetch again.
  useEffect(() => {
    if (user === null) queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] })
  }, [user, queryClient])
  const value = useMemo<Session>(
    () => ({
      user,
      loading: query.isPending,
      signIn,
      signOut,
      can: (role) => user !== null && RANK[user.role] >= RANK[role],
    }),
    [user, query.isPending, signIn, signOut],
  )
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside <SessionProvider>')
  return session
}
