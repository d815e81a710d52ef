import { useQuery } from '@tanstack/react-query'
import { useId, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router-dom'
import { Badge, type BadgeTone } from '../../components/Badge'
import { DataState } from '../../components/DataState'
import { api, type Page } from '../../lib/api'
import { formatDate, formatMoney, formatNumber } from '../../lib/format'
import type { ConsentEvent, Customer360, Survey } from './types'

/** A titled card; `count` shows how many rows it holds. */
export function Section({
  title,
  count,
  children,
  className = '',
}: {
  title: string
  count?: number
  children: ReactNode
  className?: string
}) {
  const id = useId()
  return (
    <section className={`card c360__card ${className}`} aria-labelledby={id}>
      <header className="c360__card-header">
        <h2 id={id}>
          {title}
          {count !== undefined && <span className="c360__count">{formatNumber(count)}</span>}
        </h2>
      </header>
      {children}
    </section>
  )
}

function Empty({ children }: { children: ReactNode }) {
  return <p className="muted small">{children}</p>
}

const STATUS_TONE: Record<string, BadgeTone> = {
  open: 'warning',
  pending: 'info',
  resolved: 'success',
  closed: 'neutral',
  paid: 'info',
  shipped: 'info',
  delivered: 'success',
  cancelled: 'neutral',
  refunded: 'danger',
}

export function Identities({ data }: { data: Customer360 }) {
  const { t } = useTranslation('customers')
  return (
    <Section title={t('identities.title')} count={data.identities.length}>
      {data.identities.length === 0 ? (
        <Empty>{t('identities.empty')}</Empty>
      ) : (
        <ul className="c360__list">
          {data.identities.map((identity) => (
            <li key={identity.id}>
              <Badge>{t(`channel.${identity.kind}`, { defaultValue: identity.kind })}</Badge>{' '}
              <span className="c360__mono">{identity.address}</span>
              {identity.verified && <span className="muted small"> · {t('identities.verified')}</span>}
            </li>
          ))}
        </ul>
      )}
    </Section>
  )
}

export function Consent({ customerId }: { customerId: string }) {
  const { t } = useTranslation('customers')
  const query = useQuery({
    queryKey: ['customer', customerId, 'consent'],
    queryFn: () =>
      api.get<{ current: ConsentEvent[]; events: ConsentEvent[] }>(`/customers/${customerId}/consent`),
  })
  return (
    <Section title={t('consent.title')}>
      <DataState
        query={query}
        label={t('consent.title')}
        isEmpty={(data) => data.events.length === 0}
        empty={<Empty>{t('consent.empty')}</Empty>}
      >
        {(data) => (
          <>
            <ul className="c360__list">
              {data.current.map((event) => (
                <li key={event.id}>
                  <Badge tone={event.status === 'granted' ? 'success' : 'danger'}>
                    {t(`consent.status.${event.status}`)}
                  </Badge>{' '}
                  {t(`consent.purpose.${event.purpose}`, { defaultValue: event.purpose })} ·{' '}
                  {t(`channel.${event.channel}`, { defaultValue: event.channel })}
                </li>
              ))}
            </ul>
            <details className="c360__details">
              <summary>{t('consent.history', { count: data.events.length })}</summary>
              <ol className="c360__timeline">
                {[...data.events].reverse().map((event) => (
                  <li key={event.id}>
                    <time dateTime={event.at}>{formatDate(event.at)}</time>
                    <span>
                      {t(`consent.status.${event.status}`)} ·{' '}
                      {t(`consent.purpose.${event.purpose}`, { defaultValue: event.purpose })} ·{' '}
                      {t(`channel.${event.channel}`, { defaultValue: event.channel })}
                      <span className="muted small"> — {event.source}</span>
                    </span>
                  </li>
                ))}
              </ol>
            </details>
          </>
        )}
      </DataState>
    </Section>
  )
}

export function Orders({ data }: { data: Customer360 }) {
  const { t } = useTranslation('customers')
  return (
    <Section title={t('orders.title')} count={data.stats.orderCount} className="c360__orders">
      {data.recentOrders.length === 0 ? (
        <Empty>{t('orders.empty')}</Empty>
      ) : (
        <div className="c360__scroll">
          <table className="table">
            <caption className="visually-hidden">{t('orders.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('orders.number')}</th>
                <th scope="col">{t('orders.placedAt')}</th>
                <th scope="col">{t('orders.status')}</th>
                <th scope="col" className="c360__items">
                  {t('orders.items')}
                </th>
                <th scope="col" className="c360__num">
                  {t('orders.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.recentOrders.map((order) => (
                <tr key={order.id}>
                  <td className="c360__mono">{order.number}</td>
                  <td>{formatDate(order.placedAt, 'date')}</td>
                  <td>
                    <Badge tone={STATUS_TONE[order.status] ?? 'neutral'}>
                      {t(`orders.statusName.${order.status}`, { defaultValue: order.status })}
                    </Badge>
                  </td>
                  <td className="c360__items">
                    {order.items
                      .map((item) => `${item.name ?? item.sku} × ${formatNumber(item.quantity)}`)
                      .join(', ')}
                  </td>
                  <td className="c360__num">{formatMoney(order.totalAmount, order.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  )
}

/** A short, non-personal summary of an event's properties (product, amount, page). */
function eventDetail(properties: Record<string, unknown>): string {
  const shown = ['productName', 'sku', 'path', 'page', 'query', 'campaign']
    .map((key) => properties[key])
    .filter((value) => typeof value === 'string' || typeof value === 'number')
  return shown.slice(0, 2).join(' · ')
}

export function Timeline({ data }: { data: Customer360 }) {
  const { t } = useTranslation('customers')
  return (
    <Section title={t('timeline.title')} count={data.recentEvents.length}>
      {data.recentEvents.length === 0 ? (
        <Empty>{t('timeline.empty')}</Empty>
      ) : (
        <ol className="c360__timeline" data-testid="timeline">
          {data.recentEvents.map((event) => (
            <li key={event.id}>
              <time dateTime={event.occurredAt}>{formatDate(event.occurredAt)}</time>
              <span>
                <strong>{t(`timeline.type.${event.type}`, { defaultValue: event.type })}</strong>
                {eventDetail(event.properties) && (
                  <span className="muted small"> — {eventDetail(event.properties)}</span>
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Section>
  )
}

export function Conversations({ data }: { data: Customer360 }) {
  const { t } = useTranslation('customers')
  return (
    <Section title={t('conversations.title')} count={data.conversations.length}>
      {data.conversations.length === 0 ? (
        <Empty>{t('conversations.empty')}</Empty>
      ) : (
        <ul className="c360__list c360__conversations">
          {data.conversations.map((conversation) => (
            <li key={conversation.id}>
              <Link to={`/inbox/${conversation.id}`}>
                {conversation.subject ||
                  t('conversations.untitled', { channel: t(`channel.${conversation.channel}`) })}
              </Link>
              <span className="c360__meta">
                <Badge tone={STATUS_TONE[conversation.status] ?? 'neutral'}>
                  {t(`conversations.status.${conversation.status}`, { defaultValue: conversation.status })}
                </Badge>
                <Badge tone={conversation.handler === 'ai' ? 'ai' : 'human'}>
                  {t(`conversations.handler.${conversation.handler}`, { defaultValue: conversation.handler })}
                </Badge>
                <span className="muted small">
                  {t(`channel.${conversation.channel}`, { defaultValue: conversation.channel })} ·{' '}
                  {formatDate(conversation.lastMessageAt ?? conversation.createdAt)}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  )
}

export function Surveys({ customerId }: { customerId: string }) {
  const { t } = useTranslation('customers')
  const query = useQuery({
    queryKey: ['customer', customerId, 'surveys'],
    queryFn: () => api.get<Page<Survey>>(`/customers/${customerId}/surveys`),
  })
  return (
    <Section title={t('surveys.title')}>
      <DataState
        query={query}
        label={t('surveys.title')}
        isEmpty={(data) => data.items.length === 0}
        empty={<Empty>{t('surveys.empty')}</Empty>}
      >
        {(data) => (
          <ul className="c360__list">
            {data.items.map((survey) => (
              <li key={survey.id}>
                {survey.score === null ? (
                  <Badge>{t('surveys.unanswered')}</Badge>
                ) : (
                  <Badge tone={survey.score >= 4 ? 'success' : survey.score <= 2 ? 'danger' : 'warning'}>
                    {t('surveys.score', { score: survey.score })}
                  </Badge>
                )}{' '}
                <span className="muted small">{formatDate(survey.answeredAt ?? survey.sentAt)}</span>
                {survey.comment && <q className="c360__quote">{survey.comment}</q>}
              </li>
            ))}
          </ul>
        )}
      </DataState>
    </Section>
  )
}

export function Notes({ data }: { data: Customer360 }) {
  const { t } = useTranslation('customers')
  return (
    <Section title={t('notes.title')} count={data.notes.length}>
      {data.notes.length === 0 ? (
        <Empty>{t('notes.empty')}</Empty>
      ) : (
        <ul className="c360__list">
          {data.notes.map((note) => (
            <li key={note.id}>
              <p className="c360__note">{note.body}</p>
              <span className="muted small">{formatDate(note.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  )
}

export function Tasks({ data }: { data: Customer360 }) {
  const { t } = useTranslation('customers')
  return (
    <Section title={t('tasks.title')} count={data.tasks.length}>
      {data.tasks.length === 0 ? (
        <Empty>{t('tasks.empty')}</Empty>
      ) : (
        <ul className="c360__list">
          {data.tasks.map((task) => (
            <li key={task.id}>
              <span>{task.title}</span>{' '}
              <Badge tone={task.priority === 'high' || task.priority === 'urgent' ? 'danger' : 'neutral'}>
                {t(`tasks.priority.${task.priority}`, { defaultValue: task.priority })}
              </Badge>
              {task.dueAt && (
                <span className="muted small"> · {t('tasks.due', { date: formatDate(task.dueAt) })}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </Section>
  )
}
