import { z } from 'zod'
import { isTimeZone } from '../core/index.js'
import { currencySchema } from '../core/money.js'
import { cleanText, localeSchema } from './common.js'

const dayHours = z
  .array(
    z.strictObject({
      start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm'),
      end: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'HH:mm'),
    }),
  )
  .max(4)

/** Opening hours per weekday (mon…sun) in the workspace time zone; an empty list means closed. */
export const businessHoursSchema = z.strictObject({
  mon: dayHours,
  tue: dayHours,
  wed: dayHours,
  thu: dayHours,
  fri: dayHours,
  sat: dayHours,
  sun: dayHours,
})
export type BusinessHours = z.infer<typeof businessHoursSchema>

export interface Workspace {
  id: string
  name: string
  timeZone: string
  baseCurrency: string
  defaultRegion: string
  locale: string
  businessHours: BusinessHours
  /** Where team notifications (hand-offs to nobody in particular) are emailed; null: console only. */
  notifyEmail: string | null
  /** A chat-ops incoming webhook (Slack-, Mattermost- or Feishu-style `{ text }`) for notifications. */
  notifyWebhookUrl: string | null
  createdAt: string
  updatedAt: string
}

const workday = [{ start: '09:00', end: '18:00' }]
export const DEFAULT_WORKSPACE = {
  name: 'AgentCRM',
  timeZone: 'Asia/Shanghai',
  baseCurrency: 'CNY',
  defaultRegion: 'CN',
  locale: 'zh-CN',
  businessHours: { mon: workday, tue: workday, wed: workday, thu: workday, fri: workday, sat: [], sun: [] },
  notifyEmail: null,
  notifyWebhookUrl: null,
} satisfies Omit<Workspace, 'id' | 'createdAt' | 'updatedAt'>

export const workspacePatchSchema = z.strictObject({
  name: cleanText(200).min(1).optional(),
  timeZone: z
    .string()
    .refine(isTimeZone, 'an IANA time zone such as Asia/Shanghai or Europe/London')
    .optional(),
  baseCurrency: currencySchema.optional(),
  defaultRegion: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a two-letter region such as CN or US')
    .optional(),
  locale: localeSchema.optional(),
  businessHours: businessHoursSchema.optional(),
  notifyEmail: z
    .email('an email address such as support-team@example.com, or null for console-only notifications')
    .max(320)
    .transform((value) => value.toLowerCase())
    .nullable()
    .optional(),
  notifyWebhookUrl: z
    .url({
      protocol: /^https?$/,
      error: 'an http(s) URL of a chat-ops incoming webhook, or null for none',
    })
    .max(2_000)
    .nullable()
    .optional(),
})
export type WorkspacePatch = z.infer<typeof workspacePatchSchema>
