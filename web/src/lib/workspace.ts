import { api } from './api'
import { setWorkspaceFormat } from './format'

export interface Workspace {
  readonly name: string
  readonly timeZone: string
  readonly baseCurrency: string
  readonly [field: string]: unknown
}

/** The workspace settings query (time zone and currency for formatting); prefetched right after sign-in. */
export const workspaceQuery = {
  queryKey: ['workspace'],
  queryFn: async (): Promise<Workspace> => {
    const answer = await api.get<Workspace>('/workspace')
    setWorkspaceFormat(answer)
    return answer
  },
  staleTime: 5 * 60_000,
} as const
