import type { WorkflowDefinition } from '../schema.js'

/** Days without a customer reply after which a waiting conversation is closed. */
export const CLOSE_AFTER_SILENT_DAYS = 7
/** First-response SLA: 60 business minutes; escalate at 45. */
export const FIRST_RESPONSE_WARN_MINUTES = 45
/** Resolution SLA: 8 business hours; escalate at 7. */
export const RESOLUTION_WARN_MINUTES = 420

/**
 * Service hygiene, every 15 minutes over open and pending conversations: one waiting on a customer who has
 * not replied for 7 days is closed with a note; one whose first-response SLA (60 business minutes) or
 * resolution SLA (8 business hours) is about to be breached is escalated to urgent, tagged `sla-at-risk`
 * (so it is escalated once) and its assignee — or the team — is notified.
 */
export const serviceHygieneWorkflow: WorkflowDefinition = {
  key: 'service-hygiene',
  name: 'Service hygiene',
  description: `Every 15 minutes: close conversations whose customer has not replied for ${CLOSE_AFTER_SILENT_DAYS} days, with a note; escalate and notify when the first-response SLA (60 business minutes) or the resolution SLA (8 business hours) is about to be breached.`,
  trigger: {
    type: 'schedule',
    cron: '*/15 * * * *',
    forEach: {
      entity: 'conversation',
      where: {
        any: [
          { field: 'conversation.days_since_customer_reply', op: 'gte', value: CLOSE_AFTER_SILENT_DAYS },
          {
            field: 'conversation.first_response_business_minutes',
            op: 'gte',
            value: FIRST_RESPONSE_WARN_MINUTES,
          },
          { field: 'conversation.open_business_minutes', op: 'gte', value: RESOLUTION_WARN_MINUTES },
        ],
      },
    },
  },
  steps: [
    {
      id: 'customer-silent',
      type: 'branch',
      condition: {
        field: 'conversation.days_since_customer_reply',
        op: 'gte',
        value: CLOSE_AFTER_SILENT_DAYS,
      },
      then: 'closing-note',
      else: 'sla-at-risk',
    },
    {
      id: 'closing-note',
      type: 'action',
      action: 'add_note',
      input: {
        body: {
          zh: `客户已 ${CLOSE_AFTER_SILENT_DAYS} 天未回复，会话已自动关闭。客户再次来信时会话会重新打开。`,
          en: `No reply from the customer for ${CLOSE_AFTER_SILENT_DAYS} days: closed automatically. It reopens when the customer writes again.`,
        },
      },
      next: 'close',
    },
    { id: 'close', type: 'action', action: 'update_conversation', input: { status: 'closed' } },
    {
      id: 'sla-at-risk',
      type: 'branch',
      condition: {
        all: [
          { not: { field: 'conversation.tags', op: 'contains', value: 'sla-at-risk' } },
          {
            any: [
              {
                field: 'conversation.first_response_business_minutes',
                op: 'gte',
                value: FIRST_RESPONSE_WARN_MINUTES,
              },
              { field: 'conversation.open_business_minutes', op: 'gte', value: RESOLUTION_WARN_MINUTES },
            ],
          },
        ],
      },
      then: 'escalate',
    },
    {
      id: 'escalate',
      type: 'action',
      action: 'update_conversation',
      input: { priority: 'urgent' },
      next: 'mark-at-risk',
    },
    {
      id: 'mark-at-risk',
      type: 'action',
      action: 'tag',
      input: { target: 'conversation', add: ['sla-at-risk'] },
      next: 'notify',
    },
    {
      id: 'notify',
      type: 'action',
      action: 'notify',
      input: {
        to: 'assignee',
        message: {
          zh: '会话即将超出服务时限（SLA），已升级为紧急，请尽快处理。',
          en: 'A conversation is about to breach its SLA and was escalated to urgent: please pick it up.',
        },
        via: ['console', 'email'],
      },
    },
  ],
}
