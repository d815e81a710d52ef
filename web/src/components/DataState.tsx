import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

interface QueryLike<T> {
  readonly data: T | undefined
  readonly error: unknown
  readonly isPending: boolean
  refetch(): unknown
}

export interface DataStateProps<T> {
  /** A react-query result (or anything with data / error / isPending / refetch). */
  readonly query: QueryLike<T>
  /** True when the loaded data has nothing to show (an empty list). */
  readonly isEmpty?: (data: T) => boolean
  /** Shown when `isEmpty` holds; a default sentence otherwise. */
  readonly empty?: ReactNode
  /** What the loading text names ("conversations"). */
  readonly label?: string
  readonly children: (data: T) => ReactNode
}

/**
 * Loading, empty and error states for one query, the same on every page: a busy region while loading,
 * the API's error in words with a retry button, an empty message, else `children(data)`.
 *
 * @example
 *   <DataState query={customers} isEmpty={(page) => page.items.length === 0} empty={t('noCustomers')}>
 *     {(page) => <CustomerTable rows={page.items} />}
 *   </DataState>
 */
export function DataState<T>({ query, isEmpty, empty, label, children }: DataStateProps<T>) {
  const { t } = useTranslation()
  if (query.isPending) {
    return (
      <div className="data-state data-state--loading" role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" />
        {label ? t('state.loadingWhat', { what: label }) : t('state.loading')}
      </div>
    )
  }
  if (query.error) {
    const message = query.error instanceof Error ? query.error.message : t('errors.unknown', { status: '?' })
    return (
      <div className="data-state data-state--error" role="alert">
        <p>{message}</p>
        <button type="button" className="button" onClick={() => void query.refetch()}>
          {t('actions.retry')}
        </button>
      </div>
    )
  }
  if (query.data === undefined) return null
  if (isEmpty?.(query.data)) {
    return <div className="data-state data-state--empty">{empty ?? t('state.empty')}</div>
  }
  return <>{children(query.data)}</>
}
