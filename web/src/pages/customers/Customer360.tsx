import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, Navigate, useParams } from 'react-router-dom'
import { Badge } from '../../components/Badge'
import { DataState } from '../../components/DataState'
import { Icon } from '../../components/Icon'
import { Page } from '../../components/Page'
import { api } from '../../lib/api'
import { formatDate, formatMoney, formatNumber } from '../../lib/format'
import { useSession } from '../../lib/session'
import { Duplicates } from './Duplicates'
import { PrivacyActions } from './PrivacyActions'
import { ProfileCard } from './ProfileCard'
import { Consent, Conversations, Identities, Notes, Orders, Surveys, Tasks, Timeline } from './Sections'
import type { Customer360 as Customer360Data } from './types'

/** The customer 360: profile, identities, consent, orders, timeline, conversations, surveys, notes, tasks. */
export function Customer360() {
  const { t } = useTranslation('customers')
  const { id = '' } = useParams()
  const query = useQuery({
    queryKey: ['customer', id, '360'],
    queryFn: () => api.get<Customer360Data>(`/customers/${id}/360`),
  })
  const title = query.data?.customer.name ?? t('customer360')
  return (
    <Page
      title={title}
      actions={
        <Link to="/customers" className="button button--ghost">
          <Icon name="back" />
          <span>{t('backToList')}</span>
        </Link>
      }
    >
      <DataState query={query} label={t('customer360')}>
        {(data) =>
          // a merged customer's 360 is the winner's: show it under the winner's address
          data.customer.id !== id ? (
            <Navigate to={`/customers/${data.customer.id}`} replace />
          ) : (
            <Customer360Body data={data} />
          )
        }
      </DataState>
    </Page>
  )
}

function Customer360Body({ data }: { data: Customer360Data }) {
  const { t } = useTranslation('customers')
  const session = useSession()
  const { customer, stats } = data
  return (
    <div className="c360">
      {customer.erasedAt && (
        <p className="c360__banner" role="status">
          {t('erasedBanner', { date: formatDate(customer.erasedAt) })}
        </p>
      )}
      <dl className="c360__stats" aria-label={t('stats.label')}>
        <div className="card">
          <dt>{t('stats.lifetimeValue')}</dt>
          <dd>{formatMoney(stats.lifetimeValue.amount, stats.lifetimeValue.currency)}</dd>
          {stats.otherCurrencies.length > 0 && (
            <dd className="muted small">
              {stats.otherCurrencies.map((money) => formatMoney(money.amount, money.currency)).join(' + ')}
            </dd>
          )}
        </div>
        <div className="card">
          <dt>{t('stats.orders')}</dt>
          <dd>{formatNumber(stats.orderCount)}</dd>
          <dd className="muted small">
            {t('stats.lastOrder', { date: formatDate(stats.lastOrderAt, 'date') })}
          </dd>
        </div>
        <div className="card">
          <dt>{t('stats.openConversations')}</dt>
          <dd>{formatNumber(stats.openConversations)}</dd>
        </div>
        <div className="card">
          <dt>{t('stats.openTasks')}</dt>
          <dd>{formatNumber(stats.openTasks)}</dd>
        </div>
        <div className="card">
          <dt>{t('fields.tier')}</dt>
          <dd>
            <Badge tone={customer.tier === 'vip' || customer.tier === 'gold' ? 'warning' : 'neutral'}>
              {t(`tier.${customer.tier}`)}
            </Badge>
          </dd>
          {data.company && <dd className="muted small">{data.company.name}</dd>}
        </div>
      </dl>
      <div className="c360__grid">
        <div className="c360__column">
          <ProfileCard customer={customer} />
          <Identities data={data} />
          <Consent customerId={customer.id} />
          <Duplicates customerId={customer.id} customerName={customer.name ?? customer.id} />
          {session.can('admin') && <PrivacyActions customer={customer} />}
        </div>
        <div className="c360__column c360__column--wide">
          <Conversations data={data} />
          <Orders data={data} />
          <Timeline data={data} />
          <div className="c360__pair">
            <Surveys customerId={customer.id} />
            <Tasks data={data} />
          </div>
          <Notes data={data} />
        </div>
      </div>
    </div>
  )
}
