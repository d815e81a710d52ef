/** `GET /api/v1/dashboard` (src/store/console/dashboard-repository.ts). */
export interface DurationSummary {
  readonly count: number
  readonly medianSeconds: number | null
  readonly p90Seconds: number | null
}

export interface Dashboard {
  readonly from: string
  readonly to: string
  readonly timeZone: string
  readonly days: string[]
  readonly volume: {
    readonly byChannel: { channel: string; inbound: number; outbound: number }[]
    readonly byDay: { day: string; channel: string; inbound: number; outbound: number }[]
  }
  readonly intents: { intent: string; count: number }[]
  readonly sentiment: { day: string; positive: number; neutral: number; negative: number }[]
  readonly conversations: {
    readonly total: number
    readonly autoResolved: number
    readonly handedOff: number
    readonly autoResolutionRate: number | null
    readonly handOffRate: number | null
  }
  readonly csat: {
    readonly sent: number
    readonly answered: number
    readonly average: number | null
    readonly distribution: { score: number; count: number }[]
  }
  readonly firstResponse: DurationSummary
  readonly resolution: DurationSummary
}
