/** API shapes the settings page reads (src/crm/workspace.ts, src/store/auth, src/crm/inboxes.ts, src/agent). */

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type DayKey = (typeof DAYS)[number]
export type BusinessHours = Record<DayKey, { start: string; end: string }[]>

export interface Workspace {
  readonly id: string
  readonly name: string
  readonly timeZone: string
  readonly baseCurrency: string
  readonly defaultRegion: string
  readonly locale: string
  readonly businessHours: BusinessHours
  readonly notifyEmail: string | null
  readonly notifyWebhookUrl: string | null
  readonly createdAt: string
  readonly updatedAt: string
}

export const USER_ROLES = ['viewer', 'agent', 'admin'] as const
export const TOKEN_ROLES = ['viewer', 'agent', 'admin', 'integration'] as const

export interface User {
  readonly id: string
  readonly email: string
  readonly name: string | null
  readonly role: (typeof USER_ROLES)[number]
  readonly active: boolean
  readonly lastLoginAt: string | null
  readonly createdAt: string
}

export interface ApiToken {
  readonly id: string
  readonly name: string | null
  readonly role: (typeof TOKEN_ROLES)[number]
  readonly prefix: string
  readonly createdAt: string
  readonly expiresAt: string | null
  readonly revokedAt: string | null
  readonly lastUsedAt: string | null
}

export const CHANNELS = ['chat', 'email', 'sms', 'phone', 'api'] as const

export interface Inbox {
  readonly id: string
  readonly name: string
  readonly channel: (typeof CHANNELS)[number]
  readonly address: string | null
  readonly settings: Record<string, unknown>
  readonly active: boolean
  readonly createdAt: string
}

export interface LlmSettings {
  readonly configured: boolean
  readonly source: 'environment'
  readonly baseUrl: string | null
  readonly model: string | null
  readonly apiKeySet: boolean
  readonly variables: string[]
}

export interface Thresholds {
  readonly answer: number
  readonly approval: number
  readonly minStrength: number
  readonly crossLingual: string
  readonly [key: string]: unknown
}
