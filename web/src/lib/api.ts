import i18n from './i18n'

/** One problem with one field, as the API reports validation failures. */
export interface FieldIssue {
  readonly path: string
  readonly message: string
}

/**
 * A failed API call. `message` is written for a person, in the current language; `code` and `status` are
 * the API's (`status` 0 when the server could not be reached), `serverMessage` its own English text.
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly serverMessage: string
  readonly issues: readonly FieldIssue[]
  constructor(
    status: number,
    code: string,
    message: string,
    serverMessage: string,
    issues: FieldIssue[] = [],
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.serverMessage = serverMessage
    this.issues = issues
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>

export interface RequestOptions {
  /** A 401 from this call does not end the session (the sign-in form's own wrong-password answer). */
  readonly keepSession?: boolean
  readonly signal?: AbortSignal
  readonly headers?: Record<string, string>
}

type UnauthorizedListener = () => void
const unauthorizedListeners = new Set<UnauthorizedListener>()

/** Called whenever the API answers 401: the session ended (the app shows the sign-in form). */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener)
  return () => unauthorizedListeners.delete(listener)
}

/** `/api/v1` + path + the query without empty values. */
export function apiUrl(path: string, query?: Query): string {
  const url = `/api/v1${path.startsWith('/') ? path : `/${path}`}`
  if (!query) return url
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    params.set(key, String(value))
  }
  const search = params.toString()
  return search ? `${url}?${search}` : url
}

function humanMessage(status: number, code: string, serverMessage: string, issues: FieldIssue[]): string {
  const t = i18n.t.bind(i18n)
  const byCode = `common:errors.code.${code}`
  if (code && i18n.exists(byCode)) return t(byCode)
  if (status === 400 || status === 422) {
    if (issues.length > 0) {
      const list = issues
        .slice(0, 5)
        .map((issue) => `${issue.path}: ${issue.message}`)
        .join('; ')
      return t('common:errors.invalidFields', { list })
    }
    return t('common:errors.invalid', { detail: serverMessage })
  }
  if (status === 401) return t('common:errors.unauthenticated')
  if (status === 403) return t('common:errors.forbidden')
  if (status === 404) return t('common:errors.notFound')
  if (status === 409) return t('common:errors.conflict', { detail: serverMessage })
  if (status === 413) return t('common:errors.tooLarge')
  if (status === 429) return t('common:errors.rateLimited')
  if (status >= 500) return t('common:errors.server')
  return t('common:errors.unknown', { status })
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  query?: Query,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
  if (body !== undefined) headers['content-type'] = 'application/json'
  let response: Response
  try {
    response = await fetch(apiUrl(path, query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    })
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') throw error
    throw new ApiError(0, 'NETWORK', i18n.t('common:errors.network'), String(error))
  }
  if (response.status === 204) return undefined as T
  const text = await response.text()
  let data: unknown = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (!response.ok) {
    const error = (
      data as { error?: { code?: string; message?: string; details?: { issues?: FieldIssue[] } } } | null
    )?.error
    const code = error?.code ?? ''
    const serverMessage = error?.message ?? response.statusText
    const issues = Array.isArray(error?.details?.issues) ? error.details.issues : []
    if (response.status === 401 && !options.keepSession)
      for (const listener of unauthorizedListeners) listener()
    throw new ApiError(
      response.status,
      code,
      humanMessage(response.status, code, serverMessage, issues),
      serverMessage,
      issues,
    )
  }
  return data as T
}

/**
 * The HTTP API (`/api/v1`), with the session cookie. Errors become an {@link ApiError} whose message a
 * person can read; a 401 signs the console out.
 *
 * @example
 *   const page = await api.get<Page<Conversation>>('/conversations', { status: 'open', limit: 50 })
 *   await api.post(`/conversations/${id}/takeover`, {})
 */
export const api = {
  get: <T>(path: string, query?: Query, options?: RequestOptions) =>
    request<T>('GET', path, undefined, query, options),
  post: <T>(path: string, body: unknown = {}, options?: RequestOptions) =>
    request<T>('POST', path, body, undefined, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, body, undefined, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PUT', path, body, undefined, options),
  del: <T = void>(path: string, query?: Query, options?: RequestOptions) =>
    request<T>('DELETE', path, undefined, query, options),
}

/** The API's list shape. */
export interface Page<T> {
  readonly items: T[]
  readonly nextCursor: string | null
}
