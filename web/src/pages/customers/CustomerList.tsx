import { useInfiniteQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router-dom'
import { Badge } from '../../components/Badge'
import { DataState } from '../../components/DataState'
import { Icon } from '../../components/Icon'
import { Page } from '../../components/Page'
import { api, type Page as ListPage } from '../../lib/api'
import { formatRelative } from '../../lib/format'
import type { Customer } from './types'

const PAGE_SIZE = 25

/** Customers: search by name, email or phone; 25 at a time with "load more". */
export function CustomerList() {
  const { t } = useTranslation('customers')
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const [search, setSearch] = useState(q)
  const query = useInfiniteQuery({
    queryKey: ['customers', { q }],
    queryFn: ({ pageParam }) =>
      api.get<ListPage<Customer>>('/customers', { q, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const next = new URLSearchParams(params)
    if (search.trim()) next.set('q', search.trim())
    else next.delete('q')
    setParams(next, { replace: true })
  }

  return (
    <Page title={t('title')}>
      <form className="customers__search" role="search" onSubmit={submit}>
        <label htmlFor="customer-search" className="visually-hidden">
          {t('list.searchLabel')}
        </label>
        <input
          id="customer-search"
          type="search"
          value={search}
          placeholder={t('list.searchPlaceholder')}
          onChange={(event) => setSearch(event.target.value)}
        />
        <button type="submit" className="button">
          <Icon name="search" />
          <span>{t('common:actions.search')}</span>
        </button>
      </form>
      <DataState
        query={query}
        label={t('list.loading')}
        isEmpty={(data) => data.pages[0].items.length === 0}
        empty={q ? t('list.noMatch', { q }) : t('list.empty')}
      >
        {(data) => (
          <>
            <div className="card customers__table-card">
              <table className="table customers__table">
                <caption className="visually-hidden">{t('list.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('fields.name')}</th>
                    <th scope="col">{t('fields.email')}</th>
                    <th scope="col" className="customers__col-phone">
                      {t('fields.phone')}
                    </th>
                    <th scope="col">{t('fields.tier')}</th>
                    <th scope="col" className="customers__col-seen">
                      {t('fields.lastSeenAt')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.pages.flatMap((page) =>
                    page.items.map((customer) => (
                      <tr key={customer.id}>
                        <td>
                          <Link to={`/customers/${customer.id}`} className="customers__name">
                            {customer.name ?? t('unnamed')}
                          </Link>
                        </td>
                        <td className="customers__email">{customer.email ?? '—'}</td>
                        <td className="customers__col-phone">{customer.phone ?? '—'}</td>
                        <td>
                          <Badge
                            tone={customer.tier === 'vip' || customer.tier === 'gold' ? 'warning' : 'neutral'}
                          >
                            {t(`tier.${customer.tier}`)}
                          </Badge>
                        </td>
                        <td className="customers__col-seen">{formatRelative(customer.lastSeenAt)}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
            {query.hasNextPage && (
              <button
                type="button"
                className="button customers__more"
                onClick={() => void query.fetchNextPage()}
                disabled={query.isFetchingNextPage}
              >
                {query.isFetchingNextPage ? t('common:state.loading') : t('common:actions.loadMore')}
              </button>
            )}
          </>
        )}
      </DataState>
    </Page>
  )
}
