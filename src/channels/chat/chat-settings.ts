import { AppError } from '../../core/index.js'
import { MESSAGE_TEXT_MAX } from '../../crm/index.js'
import type { ChannelInbox } from '../channel.js'
import type { RateLimit } from './rate-limit.js'

/** A chat inbox's widget settings (`inbox.settings`), with their defaults. */
export interface ChatSettings {
  /** Origins (`https://shop.example`) whose pages may embed the widget; AgentCRM's own origin always may. */
  readonly allowedOrigins: readonly string[]
  /** The longest message a visitor may send, in characters. */
  readonly maxMessageLength: number
  readonly visitorLimit: RateLimit
  readonly ipLimit: RateLimit
  /** The panel's title and first line, per language. */
  readonly title: { readonly zh: string; readonly en: string }
  readonly greeting: { readonly zh: string; readonly en: string }
}

export const CHAT_DEFAULTS = {
  maxMessageLength: 2_000,
  messagesPerMinutePerVisitor: 20,
  requestsPerMinutePerIp: 120,
} as const

function bilingual(value: unknown, fallback: { zh: string; en: string }): { zh: string; en: string } {
  if (typeof value === 'string' && value.trim()) return { zh: value.trim(), en: value.trim() }
  if (value && typeof value === 'object') {
    const { zh, en } = value as { zh?: unknown; en?: unknown }
    return {
      zh: typeof zh === 'string' && zh.trim() ? zh.trim() : fallback.zh,
      en: typeof en === 'string' && en.trim() ? en.trim() : fallback.en,
    }
  }
  return fallback
}

function positive(value: unknown, fallback: number, max: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? Math.min(value, max) : fallback
}

/** `https://Shop.example:443/` → `https://shop.example`; null when it is not an http(s) origin. */
export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value.trim())
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null
    return url.origin
  } catch {
    return null
  }
}

/**
 * Reads the widget settings of a chat inbox. `allowedOrigins` entries that are not origins are a
 * configuration error (fix the inbox), not silently dropped.
 */
export function chatSettings(inbox: ChannelInbox): ChatSettings {
  const settings = inbox.settings
  const origins = Array.isArray(settings.allowedOrigins) ? settings.allowedOrigins : []
  const allowedOrigins = origins.map((origin) => {
    const normalized = typeof origin === 'string' ? normalizeOrigin(origin) : null
    if (normalized === null) {
      throw new AppError(
        'CHANNEL_NOT_CONFIGURED',
        `inbox "${inbox.id}" lists "${String(origin).slice(0, 80)}" in settings.allowedOrigins; write origins like "https://shop.example"`,
        { details: { inboxId: inbox.id, field: 'settings.allowedOrigins' } },
      )
    }
    return normalized
  })
  const rate = (settings.rateLimit ?? {}) as Record<string, unknown>
  return {
    allowedOrigins,
    maxMessageLength: positive(settings.maxMessageLength, CHAT_DEFAULTS.maxMessageLength, MESSAGE_TEXT_MAX),
    visitorLimit: {
      max: positive(rate.messagesPerMinute, CHAT_DEFAULTS.messagesPerMinutePerVisitor, 10_000),
      windowMs: 60_000,
    },
    ipLimit: {
      max: positive(rate.requestsPerMinutePerIp, CHAT_DEFAULTS.requestsPerMinutePerIp, 100_000),
      windowMs: 60_000,
    },
    title: bilingual(settings.title, { zh: '在线客服', en: 'Chat with us' }),
    greeting: bilingual(settings.greeting, {
      zh: '您好！有什么可以帮您？',
      en: 'Hi! How can we help?',
    }),
  }
}
