import { sql, type RawBuilder } from 'kysely'
import type { Dialect } from '../database.js'
import type { RepositoryContext } from '../crm/context.js'
import { daysBetween, offsetSegments, startOfDay, type OffsetSegment } from './zone-days.js'

/** A period of whole days in the workspace time zone: `from` the first day, `to` the day after the last. */
export interface DashboardPeriod {
  readonly from: string
  readonly to: string
}

/** Median and 90th percentile of a duration, in seconds (nearest rank); null without samples. */
export interface DurationSummary {
  readonly count: number
  readonly medianSeconds: number | null
  readonly p90Seconds: number | null
}

/** The console dashboard's aggregates over one period. */
export interface Dashboard {
  readonly from: string
  readonly to: string
  readonly timeZone: string
  /** Every day of the period, so charts show the quiet ones as zero. */
  readonly days: string[]
  /** Messages per channel and direction (by `sentAt`). */
  readonly volume: {
    readonly byChannel: { channel: string; inbound: number; outbound: number }[]
    readonly byDay: { day: string; channel: string; inbound: number; outbound: number }[]
  }
  /** Intents the agent perceived in the period's decision records, most frequent first. */
  readonly intents: { intent: string; count: number }[]
  /** Decision records per day and perceived sentiment. */
  readonly sentiment: { day: string; positive: number; neutral: number; negative: number }[]
  /** Conversations opened in the period: resolved by the AI alone, and handed to a person. */
  readonly conversations: {
    readonly total: number
    readonly autoResolved: number
    readonly handedOff: number
    readonly autoResolutionRate: number | null
    readonly handOffRate: number | null
  }
  /** Surveys sent in the period and their answers (score 1–5). */
  readonly csat: {
    readonly sent: number
    readonly answered: number
    readonly average: number | null
    readonly distribution: { score: number; count: number }[]
  }
  /** Conversations opened in the period: creation → first reply. */
  readonly firstResponse: DurationSummary
  /** Conversations resolved in the period: creation → resolution. */
  readonly resolution: DurationSummary
}

const SENTIMENTS = ['positive', 'neutral', 'negative'] as const

/** The local day of a stored time, shifted by a fixed offset (one per segment; see zone-days.ts). */
function localDay(dialect: Dialect, column: string, offsetMinutes: number): RawBuilder<string> {
  if (dialect === 'sqlite') {
    const modifier = `${offsetMinutes >= 0 ? '+' : '-'}${Math.abs(offsetMinutes)} minutes`
    return sql<string>`date(${sql.ref(column)}, ${modifier})`
  }
  return sql<string>`to_char((${sql.ref(column)} at time zone 'UTC') + ${sql.lit(offsetMinutes)} * interval '1 minute', 'YYYY-MM-DD')`
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null
  const rank = Math.max(1, Math.ceil(fraction * sorted.length))
  return sorted[rank - 1]
}

function durations(pairs: readonly { start: unknown; end: unknown }[]): DurationSummary {
  const seconds = pairs
    .map((pair) => (Date.parse(String(pair.end)) - Date.parse(String(pair.start))) / 1000)
    .filter((value) => Number.isFinite(value) && value >= 0)
    .sort((a, b) => a - b)
  return {
    count: seconds.length,
    medianSeconds: percentile(seconds, 0.5),
    p90Seconds: percentile(seconds, 0.9),
  }
}

const iso = (ms: number) => new Date(ms).toISOString()
const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole)

/**
 * The dashboard's aggregates: counts are grouped in SQL (per day in the workspace time zone, computed per
 * constant-offset segment so SQLite needs no zone support); the two duration percentiles are taken in
 * TypeScript over a two-column projection, since SQLite has no percentile function.
 */
export function createDashboardRepository(context: RepositoryContext, timeZone: () => Promise<string>) {
  const { db, dialect } = context.store

  async function perDay<T>(
    segments: readonly OffsetSegment[],
    query: (segment: OffsetSegment) => Promise<T[]>,
  ): Promise<T[]> {
    const rows: T[] = []
    for (const segment of segments) rows.push(...(await query(segment)))
    return rows
  }

  return {
    async summary(period: DashboardPeriod): Promise<Dashboard> {
      const zone = await timeZone()
      const start = startOfDay(period.from, zone)
      const end = startOfDay(period.to, zone)
      const segments = offsetSegments(start, end, zone)
      const [from, to] = [iso(start), iso(end)]

      const volumeRows = await perDay(segments, (segment) =>
        db
          .selectFrom('messages as m')
          .innerJoin('conversations as c', 'c.id', 'm.conversationId')
          .select([
            localDay(dialect, 'm.sentAt', segment.offsetMinutes).as('day'),
            'c.channel as channel',
            'm.direction as direction',
            sql<number>`count(*)`.as('count'),
          ])
          .where('m.sentAt', '>=', iso(segment.start))
          .where('m.sentAt', '<', iso(segment.end))
          .groupBy(['day', 'c.channel', 'm.direction'])
          .execute(),
      )
      const byDay = new Map<string, { day: string; channel: string; inbound: number; outbound: number }>()
      const byChannel = new Map<string, { channel: string; inbound: number; outbound: number }>()
      for (const row of volumeRows) {
        const [day, channel, count] = [String(row.day), String(row.channel), Number(row.count)]
        const direction = row.direction === 'inbound' ? 'inbound' : 'outbound'
        const dayEntry = byDay.get(`${day}|${channel}`) ?? { day, channel, inbound: 0, outbound: 0 }
        dayEntry[direction] += count
        byDay.set(`${day}|${channel}`, dayEntry)
        const channelEntry = byChannel.get(channel) ?? { channel, inbound: 0, outbound: 0 }
        channelEntry[direction] += count
        byChannel.set(channel, channelEntry)
      }

      const intentRows = await db
        .selectFrom('agent_decisions')
        .select(['intent', sql<number>`count(*)`.as('count')])
        .where('createdAt', '>=', from)
        .where('createdAt', '<', to)
        .where('intent', 'is not', null)
        .groupBy('intent')
        .execute()

      const sentimentRows = await perDay(segments, (segment) =>
        db
          .selectFrom('agent_decisions')
          .select([
            localDay(dialect, 'createdAt', segment.offsetMinutes).as('day'),
            'sentiment',
            sql<number>`count(*)`.as('count'),
          ])
          .where('createdAt', '>=', iso(segment.start))
          .where('createdAt', '<', iso(segment.end))
          .where('sentiment', 'in', [...SENTIMENTS])
          .groupBy(['day', 'sentiment'])
          .execute(),
      )
      const days = daysBetween(period.from, period.to)
      const sentiment = new Map<string, { day: string; positive: number; neutral: number; negative: number }>(
        days.map((day) => [day, { day, positive: 0, neutral: 0, negative: 0 }]),
      )
      for (const row of sentimentRows) {
        const entry = sentiment.get(String(row.day))
        if (entry) entry[row.sentiment as (typeof SENTIMENTS)[number]] += Number(row.count)
      }

      const outcome = await db
        .selectFrom('conversations')
        .select([
          sql<number>`count(*)`.as('total'),
          sql<number>`coalesce(sum(case when status in ('resolved', 'closed') and handler = 'ai' then 1 else 0 end), 0)`.as(
            'autoResolved',
          ),
          sql<number>`coalesce(sum(case when handler = 'human' then 1 else 0 end), 0)`.as('handedOff'),
        ])
        .where('createdAt', '>=', from)
        .where('createdAt', '<', to)
        .executeTakeFirstOrThrow()
      const total = Number(outcome.total)

      const surveyRows = await db
        .selectFrom('surveys')
        .select(['score', sql<number>`count(*)`.as('count')])
        .where('sentAt', '>=', from)
        .where('sentAt', '<', to)
        .groupBy('score')
        .execute()
      const distribution = [1, 2, 3, 4, 5].map((score) => ({
        score,
        count: Number(surveyRows.find((row) => Number(row.score) === score)?.count ?? 0),
      }))
      const answered = distribution.reduce((sum, entry) => sum + entry.count, 0)
      const scoreSum = distribution.reduce((sum, entry) => sum + entry.score * entry.count, 0)

      const firstResponse = await db
        .selectFrom('conversations')
        .select(['createdAt as start', 'firstResponseAt as end'])
        .where('createdAt', '>=', from)
        .where('createdAt', '<', to)
        .where('firstResponseAt', 'is not', null)
        .execute()
      const resolution = await db
        .selectFrom('conversations')
        .select(['createdAt as start', 'resolvedAt as end'])
        .where('resolvedAt', '>=', from)
        .where('resolvedAt', '<', to)
        .execute()

      return {
        from: period.from,
        to: period.to,
        timeZone: zone,
        days,
        volume: {
          byChannel: [...byChannel.values()].sort((a, b) => a.channel.localeCompare(b.channel)),
          byDay: [...byDay.values()].sort(
            (a, b) => a.day.localeCompare(b.day) || a.channel.localeCompare(b.channel),
          ),
        },
        intents: intentRows
          .map((row) => ({ intent: String(row.intent), count: Number(row.count) }))
          .sort((a, b) => b.count - a.count || a.intent.localeCompare(b.intent)),
        sentiment: [...sentiment.values()],
        conversations: {
          total,
          autoResolved: Number(outcome.autoResolved),
          handedOff: Number(outcome.handedOff),
          autoResolutionRate: rate(Number(outcome.autoResolved), total),
          handOffRate: rate(Number(outcome.handedOff), total),
        },
        csat: {
          sent: surveyRows.reduce((sum, row) => sum + Number(row.count), 0),
          answered,
          average: answered === 0 ? null : scoreSum / answered,
          distribution,
        },
        firstResponse: durations(firstResponse),
        resolution: durations(resolution),
      }
    },
  }
}

export type DashboardRepository = ReturnType<typeof createDashboardRepository>
