import { useId, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { formatNumber } from '../../lib/format'
import { formatDay, formatDuration } from './format'
import type { Dashboard } from './types'

/** Chart colours (SVG attributes do not read CSS variables everywhere): the shell's tokens, by value. */
const CHANNEL_COLOURS: Record<string, string> = {
  chat: '#2456d6',
  email: '#6b3fd4',
  sms: '#1e7f4f',
  phone: '#9a5b00',
  api: '#5f6b7f',
}
const SENTIMENT_COLOURS = { positive: '#1e7f4f', neutral: '#8a94a6', negative: '#c0322b' }
const CHANNELS = ['chat', 'email', 'sms', 'phone', 'api'] as const

/** One chart in a card: a heading, the chart (described for screen readers), and a table of its numbers. */
export function ChartCard({
  title,
  description,
  children,
  empty,
  className = '',
}: {
  title: string
  description: string
  children: ReactNode
  empty?: boolean
  className?: string
}) {
  const { t } = useTranslation('dashboard')
  const id = useId()
  return (
    <section className={`card dashboard__card ${className}`} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {empty ? (
        <p className="muted dashboard__empty">{t('noData')}</p>
      ) : (
        <figure className="dashboard__figure" aria-describedby={`${id}-description`}>
          <p id={`${id}-description`} className="visually-hidden">
            {description}
          </p>
          {children}
        </figure>
      )}
    </section>
  )
}

const axis = { fontSize: 12, fill: '#5f6b7f' }

export function VolumeChart({ data }: { data: Dashboard }) {
  const { t } = useTranslation('dashboard')
  const channels = CHANNELS.filter((channel) =>
    data.volume.byChannel.some((entry) => entry.channel === channel),
  )
  const rows = data.days.map((day) => {
    const row: Record<string, string | number> = { day }
    for (const channel of channels) {
      const entry = data.volume.byDay.find((item) => item.day === day && item.channel === channel)
      row[channel] = entry ? entry.inbound + entry.outbound : 0
    }
    return row
  })
  const total = data.volume.byChannel.reduce((sum, entry) => sum + entry.inbound + entry.outbound, 0)
  return (
    <ChartCard
      title={t('volume.title')}
      description={t('volume.description', {
        total: formatNumber(total),
        channels: data.volume.byChannel
          .map((entry) => `${t(`channel.${entry.channel}`)} ${formatNumber(entry.inbound + entry.outbound)}`)
          .join(', '),
      })}
      empty={total === 0}
      className="dashboard__card--wide"
    >
      <div className="dashboard__chart" data-testid="chart-volume">
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={rows} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="day"
              tickFormatter={(day: string) => formatDay(day)}
              tick={axis}
              minTickGap={12}
            />
            <YAxis allowDecimals={false} tick={axis} />
            <Tooltip
              labelFormatter={(day) => formatDay(String(day), true)}
              formatter={(value, name) => [formatNumber(Number(value)), t(`channel.${String(name)}`)]}
            />
            <Legend formatter={(name: string) => t(`channel.${name}`)} />
            {channels.map((channel) => (
              <Bar
                key={channel}
                dataKey={channel}
                stackId="volume"
                fill={CHANNEL_COLOURS[channel]}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="table dashboard__table">
        <caption className="visually-hidden">{t('volume.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('volume.channel')}</th>
            <th scope="col" className="dashboard__num">
              {t('volume.inbound')}
            </th>
            <th scope="col" className="dashboard__num">
              {t('volume.outbound')}
            </th>
          </tr>
        </thead>
        <tbody>
          {data.volume.byChannel.map((entry) => (
            <tr key={entry.channel}>
              <th scope="row">{t(`channel.${entry.channel}`, { defaultValue: entry.channel })}</th>
              <td className="dashboard__num">{formatNumber(entry.inbound)}</td>
              <td className="dashboard__num">{formatNumber(entry.outbound)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ChartCard>
  )
}

export function IntentChart({ data }: { data: Dashboard }) {
  const { t } = useTranslation('dashboard')
  const rows = data.intents.slice(0, 12).map((entry) => ({
    label: t(`intent.${entry.intent}`, { defaultValue: entry.intent }),
    count: entry.count,
  }))
  return (
    <ChartCard
      title={t('intents.title')}
      description={t('intents.description', {
        list: rows.map((row) => `${row.label} ${formatNumber(row.count)}`).join(', '),
      })}
      empty={rows.length === 0}
    >
      <div className="dashboard__chart" data-testid="chart-intents">
        <ResponsiveContainer width="100%" height={Math.max(160, rows.length * 28 + 40)}>
          <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, left: 8, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={axis} />
            <YAxis type="category" dataKey="label" width={120} tick={axis} />
            <Tooltip formatter={(value) => [formatNumber(Number(value)), t('intents.count')]} />
            <Bar dataKey="count" fill="#6b3fd4" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  )
}

export function SentimentChart({ data }: { data: Dashboard }) {
  const { t } = useTranslation('dashboard')
  const totals = data.sentiment.reduce(
    (sum, day) => ({
      positive: sum.positive + day.positive,
      neutral: sum.neutral + day.neutral,
      negative: sum.negative + day.negative,
    }),
    { positive: 0, neutral: 0, negative: 0 },
  )
  const empty = totals.positive + totals.neutral + totals.negative === 0
  return (
    <ChartCard
      title={t('sentiment.title')}
      description={t('sentiment.description', {
        positive: formatNumber(totals.positive),
        neutral: formatNumber(totals.neutral),
        negative: formatNumber(totals.negative),
      })}
      empty={empty}
    >
      <div className="dashboard__chart" data-testid="chart-sentiment">
        <ResponsiveContainer width="100%" height={240}>
          <AreaChart data={data.sentiment} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="day"
              tickFormatter={(day: string) => formatDay(day)}
              tick={axis}
              minTickGap={12}
            />
            <YAxis allowDecimals={false} tick={axis} />
            <Tooltip
              labelFormatter={(day) => formatDay(String(day), true)}
              formatter={(value, name) => [formatNumber(Number(value)), t(`sentimentName.${String(name)}`)]}
            />
            <Legend formatter={(name: string) => t(`sentimentName.${name}`)} />
            {(['negative', 'neutral', 'positive'] as const).map((key) => (
              <Area
                key={key}
                type="monotone"
                dataKey={key}
                stackId="sentiment"
                stroke={SENTIMENT_COLOURS[key]}
                fill={SENTIMENT_COLOURS[key]}
                fillOpacity={0.35}
                isAnimationActive={false}
              />
            ))}
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  )
}

export function CsatChart({ data }: { data: Dashboard }) {
  const { t } = useTranslation('dashboard')
  return (
    <ChartCard
      title={t('csat.title')}
      description={t('csat.description', {
        list: data.csat.distribution
          .map((entry) => `${entry.score}: ${formatNumber(entry.count)}`)
          .join(', '),
      })}
      empty={data.csat.answered === 0}
    >
      <div className="dashboard__chart" data-testid="chart-csat">
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={data.csat.distribution} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="score"
              tick={axis}
              tickFormatter={(score: number) => t('csat.scoreLabel', { score })}
            />
            <YAxis allowDecimals={false} tick={axis} />
            <Tooltip
              labelFormatter={(score) => t('csat.scoreLabel', { score })}
              formatter={(value) => [formatNumber(Number(value)), t('csat.answers')]}
            />
            <Bar dataKey="count" fill="#1e7f4f" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  )
}

export function TimesChart({ data }: { data: Dashboard }) {
  const { t } = useTranslation('dashboard')
  const toMinutes = (seconds: number | null) => (seconds === null ? 0 : Math.round((seconds / 60) * 10) / 10)
  const rows = [
    {
      label: t('times.firstResponse'),
      median: toMinutes(data.firstResponse.medianSeconds),
      p90: toMinutes(data.firstResponse.p90Seconds),
    },
    {
      label: t('times.resolution'),
      median: toMinutes(data.resolution.medianSeconds),
      p90: toMinutes(data.resolution.p90Seconds),
    },
  ]
  return (
    <ChartCard
      title={t('times.title')}
      description={t('times.description', {
        firstMedian: formatDuration(data.firstResponse.medianSeconds),
        firstP90: formatDuration(data.firstResponse.p90Seconds),
        resolutionMedian: formatDuration(data.resolution.medianSeconds),
        resolutionP90: formatDuration(data.resolution.p90Seconds),
      })}
      empty={data.firstResponse.count + data.resolution.count === 0}
    >
      <div className="dashboard__chart" data-testid="chart-times">
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={rows} margin={{ top: 8, right: 8, left: -8, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={axis} />
            <YAxis tick={axis} unit={t('times.minuteUnit')} />
            <Tooltip
              formatter={(value, name) => [formatDuration(Number(value) * 60), t(`times.${String(name)}`)]}
            />
            <Legend formatter={(name: string) => t(`times.${name}`)} />
            <Bar dataKey="median" fill="#2456d6" isAnimationActive={false} />
            <Bar dataKey="p90" fill="#9db4ef" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <dl className="dashboard__times">
        <div>
          <dt>{t('times.firstResponse')}</dt>
          <dd>
            {t('times.summary', {
              median: formatDuration(data.firstResponse.medianSeconds),
              p90: formatDuration(data.firstResponse.p90Seconds),
              count: data.firstResponse.count,
            })}
          </dd>
        </div>
        <div>
          <dt>{t('times.resolution')}</dt>
          <dd>
            {t('times.summary', {
              median: formatDuration(data.resolution.medianSeconds),
              p90: formatDuration(data.resolution.p90Seconds),
              count: data.resolution.count,
            })}
          </dd>
        </div>
      </dl>
    </ChartCard>
  )
}
