import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router-dom'
import { DataState } from '../../components/DataState'
import { Page } from '../../components/Page'
import { api } from '../../lib/api'
import { formatNumber, formatPercent, workspaceTimeZone } from '../../lib/format'
import { CsatChart, IntentChart, SentimentChart, TimesChart, VolumeChart } from './Charts'
import { formatDay, formatDuration } from './format'
import { MAX_DAYS, PRESETS, addDays, customPeriod, presetPeriod, type Period } from './period'
import type { Dashboard } from './types'
import './dashboard.css'

/** The period in the address: `?days=7|30|90` or `?from=YYYY-MM-DD&last=YYYY-MM-DD`; 30 days by default. */
function usePeriod(): [Period, number | null, (next: URLSearchParams) => void] {
  const [params, setParams] = useSearchParams()
  const days = Number(params.get('days') ?? '')
  if ((PRESETS as readonly number[]).includes(days)) return [presetPeriod(days), days, setParams]
  const custom = customPeriod(params.get('from') ?? '', params.get('last') ?? '')
  if (typeof custom !== 'string') return [custom, null, setParams]
  return [presetPeriod(30), 30, setParams]
}

/** The dashboard: message volume, intents, sentiment, outcomes, CSAT and response times over a period. */
export default function DashboardPage() {
  const { t } = useTranslation('dashboard')
  const [period, preset, setParams] = usePeriod()
  const query = useQuery({
    queryKey: ['dashboard', period.from, period.to],
    queryFn: () => api.get<Dashboard>('/dashboard', { from: period.from, to: period.to }),
    placeholderData: keepPreviousData,
  })
  return (
    <Page title={t('title')}>
      <PeriodPicker period={period} preset={preset} onChange={setParams} />
      <p className="muted small dashboard__period" aria-live="polite">
        {t('periodSummary', {
          from: formatDay(period.from, true),
          last: formatDay(addDays(period.to, -1), true),
          zone: workspaceTimeZone(),
        })}
        {query.isFetching && !query.isPending && (
          <span className="dashboard__refreshing"> · {t('refreshing')}</span>
        )}
      </p>
      <DataState query={query} label={t('loading')}>
        {(data) => <DashboardBody data={data} />}
      </DataState>
    </Page>
  )
}

function PeriodPicker({
  period,
  preset,
  onChange,
}: {
  period: Period
  preset: number | null
  onChange: (next: URLSearchParams) => void
}) {
  const { t } = useTranslation('dashboard')
  const id = useId()
  const [custom, setCustom] = useState(preset === null)
  const [first, setFirst] = useState(period.from)
  const [last, setLast] = useState(addDays(period.to, -1))
  const [problem, setProblem] = useState<string | null>(null)
  const apply = (event: FormEvent) => {
    event.preventDefault()
    const next = customPeriod(first, last)
    if (typeof next === 'string') {
      setProblem(t(`customErrors.${next}`, { max: MAX_DAYS }))
      return
    }
    setProblem(null)
    onChange(new URLSearchParams({ from: next.from, last: addDays(next.to, -1) }))
  }
  return (
    <div className="dashboard__controls">
      <div role="group" aria-label={t('period')} className="dashboard__presets">
        {PRESETS.map((days) => (
          <button
            key={days}
            type="button"
            className={`button button--small ${preset === days && !custom ? 'button--primary' : ''}`}
            aria-pressed={preset === days && !custom}
            onClick={() => {
              setCustom(false)
              setProblem(null)
              onChange(new URLSearchParams({ days: String(days) }))
            }}
          >
            {t('lastDays', { count: days })}
          </button>
        ))}
        <button
          type="button"
          className={`button button--small ${custom ? 'button--primary' : ''}`}
          aria-pressed={custom}
          aria-expanded={custom}
          aria-controls={`${id}-custom`}
          onClick={() => setCustom(true)}
        >
          {t('custom')}
        </button>
      </div>
      {custom && (
        <form id={`${id}-custom`} className="dashboard__custom" onSubmit={apply} noValidate>
          <label htmlFor={`${id}-first`}>{t('firstDay')}</label>
          <input
            id={`${id}-first`}
            type="date"
            value={first}
            onChange={(event) => setFirst(event.target.value)}
          />
          <label htmlFor={`${id}-last`}>{t('lastDay')}</label>
          <input
            id={`${id}-last`}
            type="date"
            value={last}
            onChange={(event) => setLast(event.target.value)}
          />
          <button type="submit" className="button button--small">
            {t('apply')}
          </button>
          {problem && (
            <p className="form-error" role="alert">
              {problem}
            </p>
          )}
        </form>
      )}
    </div>
  )
}

function DashboardBody({ data }: { data: Dashboard }) {
  const { t } = useTranslation('dashboard')
  const received = data.volume.byChannel.reduce((sum, entry) => sum + entry.inbound, 0)
  return (
    <>
      <dl className="dashboard__kpis">
        <div className="card">
          <dt>{t('kpi.received')}</dt>
          <dd data-testid="kpi-received">{formatNumber(received)}</dd>
        </div>
        <div className="card">
          <dt>{t('kpi.conversations')}</dt>
          <dd>{formatNumber(data.conversations.total)}</dd>
        </div>
        <div className="card">
          <dt>{t('kpi.autoResolution')}</dt>
          <dd>{formatPercent(data.conversations.autoResolutionRate)}</dd>
          <dd className="muted small">
            {t('kpi.ofConversations', { count: data.conversations.autoResolved })}
          </dd>
        </div>
        <div className="card">
          <dt>{t('kpi.handOff')}</dt>
          <dd>{formatPercent(data.conversations.handOffRate)}</dd>
          <dd className="muted small">{t('kpi.ofConversations', { count: data.conversations.handedOff })}</dd>
        </div>
        <div className="card">
          <dt>{t('kpi.csat')}</dt>
          <dd>
            {data.csat.average === null
              ? '—'
              : t('kpi.csatValue', { value: formatNumber(Math.round(data.csat.average * 10) / 10) })}
          </dd>
          <dd className="muted small">
            {t('kpi.answers', { answered: data.csat.answered, sent: data.csat.sent })}
          </dd>
        </div>
        <div className="card">
          <dt>{t('kpi.firstResponse')}</dt>
          <dd>{formatDuration(data.firstResponse.medianSeconds)}</dd>
          <dd className="muted small">
            {t('kpi.p90', { value: formatDuration(data.firstResponse.p90Seconds) })}
          </dd>
        </div>
      </dl>
      <div className="dashboard__grid">
        <VolumeChart data={data} />
        <IntentChart data={data} />
        <SentimentChart data={data} />
        <CsatChart data={data} />
        <TimesChart data={data} />
      </div>
    </>
  )
}
