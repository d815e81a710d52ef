import { z } from 'zod'
import type { App } from '../../app.js'
import type { ApiServer } from './types.js'

/** The longest period the dashboard aggregates at once. */
export const DASHBOARD_MAX_DAYS = 366

const day = z.iso.date('a day as YYYY-MM-DD, e.g. 2026-11-01')

const dashboardQuerySchema = z
  .strictObject({
    from: day.meta({ description: 'The first day, in the workspace time zone (YYYY-MM-DD).' }),
    to: day.meta({ description: 'The day after the last one (exclusive), YYYY-MM-DD.' }),
  })
  .superRefine((query, context) => {
    const days = (Date.parse(`${query.to}T00:00:00Z`) - Date.parse(`${query.from}T00:00:00Z`)) / 86_400_000
    if (days <= 0) {
      context.addIssue({
        code: 'custom',
        path: ['to'],
        message: `to (${query.to}) must be after from (${query.from}); to is the day after the last day shown`,
      })
    } else if (days > DASHBOARD_MAX_DAYS) {
      context.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the period has ${days} days; choose at most ${DASHBOARD_MAX_DAYS}`,
      })
    }
  })

/** The console dashboard's aggregates over a period of days in the workspace time zone. */
export function dashboardRoutes(server: ApiServer, app: App): void {
  server.get(
    '/api/v1/dashboard',
    {
      schema: {
        tags: ['dashboard'],
        summary:
          'Aggregates over [from, to) in the workspace time zone: message volume by channel and day, intent mix, sentiment per day, auto-resolution and hand-off rates, CSAT, first-response and resolution times (median, p90). At most 366 days',
        querystring: dashboardQuerySchema,
      },
      config: { minRole: 'viewer' },
    },
    async (request) => app.insights.dashboard.summary(request.query),
  )
}
