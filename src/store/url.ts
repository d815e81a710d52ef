import { AppError } from '../core/index.js'

export type DatabaseTarget =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | { readonly dialect: 'postgres'; readonly connectionString: string }

/**
 * Reads `AGENTCRM_DATABASE_URL`: `postgres://`/`postgresql://` → Postgres; `sqlite:PATH`, `file:PATH`
 * or a bare path → SQLite (relative to the working directory). Anything else is an error listing these forms.
 *
 * @example
 *   parseDatabaseUrl('sqlite:.agentcrm/agentcrm.db') // { dialect: 'sqlite', path: '.agentcrm/agentcrm.db' }
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const value = url.trim()
  if (/^postgres(ql)?:\/\//i.test(value)) return { dialect: 'postgres', connectionString: value }
  if (value === ':memory:') return { dialect: 'sqlite', path: ':memory:' }
  let path: string | null = null
  if (/^sqlite:/i.test(value)) path = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')
  else if (/^file:/i.test(value)) path = value.slice('file:'.length).replace(/^\/\/(?=\/)/, '')
  else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !/^[a-z][a-z0-9+.-]*:(?![\\/])/i.test(value))
    path = value
  if (path === null || path === '' || path.includes('\0')) {
    throw new AppError(
      'STORE_UNSUPPORTED_URL',
      `AGENTCRM_DATABASE_URL "${url}" is not a database address; use postgres://…, postgresql://…, sqlite:PATH, file:PATH or a bare file path`,
      { details: { url } },
    )
  }
  return { dialect: 'sqlite', path }
}
