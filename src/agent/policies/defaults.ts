import type { PolicySet } from './policy.js'

/**
 * Legal and regulator threats, as `scoreUrgency` names them in `urgency.cues`: it finds English words with
 * word boundaries, so `sue` fires on "I will sue" but not on "an issue" or "pursue", which a plain substring
 * test on the text would. 消协 (the consumer association) and 工商 (market regulation) are regulators too.
 */
export const LEGAL_OR_REGULATOR_CUES = [
  '律师',
  '起诉',
  '12315',
  '消协',
  '工商',
  'lawyer',
  'sue',
  'chargeback',
]

/**
 * Questions *about* the human service (its hours, how to reach it) rather than requests for a person: the
 * intent model reads "人工客服几点上班" as `human_agent`, but the contact article answers it. An explicit
 * transfer cue (`TRANSFER_CUES`) still wins.
 */
export const SERVICE_QUESTION_CUES = [
  '几点',
  '营业时间',
  '服务时间',
  '上班',
  '下班',
  '电话是多少',
  '电话多少',
  'what time',
  'opening hours',
  'business hours',
  'open?',
  'when does',
  'when do',
  'phone number',
]

/** Unambiguous requests to be put through to a person. */
export const TRANSFER_CUES = [
  '转人工',
  '找人工',
  '要人工',
  '真人',
  'transfer me',
  'talk to a',
  'speak to a',
  'real person',
  'human please',
]

/**
 * The policy set an install starts with. Money is in major units of the workspace base currency (500 is
 * ¥500 in a CNY workspace). Strongest action wins; priorities order the decision record.
 */
export const DEFAULT_POLICY_SET: PolicySet = {
  version: 1,
  rules: [
    {
      name: 'legal-or-regulator-threat',
      description: 'A customer who mentions lawyers, courts, regulators or a chargeback talks to a person.',
      when: { field: 'urgency.cues', op: 'in', value: LEGAL_OR_REGULATOR_CUES },
      then: {
        action: 'hand_off',
        reason: 'sensitive_topic',
        note: 'Legal or regulator cue in the message: answer personally, promise nothing in writing without checking.',
      },
      priority: 100,
    },
    {
      name: 'customer-asked-for-person',
      description: 'Someone who asks for a person gets one.',
      when: {
        all: [
          { field: 'intent', op: 'eq', value: 'human_agent' },
          {
            any: [
              { not: { field: 'text', op: 'matches', value: SERVICE_QUESTION_CUES } },
              { field: 'text', op: 'matches', value: TRANSFER_CUES },
            ],
          },
        ],
      },
      then: { action: 'hand_off', reason: 'customer_asked_for_person' },
      priority: 90,
    },
    {
      name: 'unhappy-vip',
      description: 'A VIP customer in a negative mood is handled by a person.',
      when: {
        all: [
          { field: 'sentiment', op: 'eq', value: 'negative' },
          { field: 'customer.tier', op: 'eq', value: 'vip' },
        ],
      },
      then: { action: 'hand_off', reason: 'negative_high_value' },
      priority: 80,
    },
    {
      name: 'unhappy-complaint',
      description: 'A complaint written in anger goes to a person rather than a template.',
      when: {
        all: [
          { field: 'intent', op: 'eq', value: 'complaint' },
          { field: 'sentiment', op: 'eq', value: 'negative' },
        ],
      },
      then: { action: 'hand_off', reason: 'policy', note: 'Negative complaint.' },
      priority: 70,
    },
    {
      name: 'refund-over-500',
      description:
        'Refunds over 500 (in the base currency) are drafted by the agent and approved by a person.',
      when: {
        all: [
          { field: 'intent', op: 'eq', value: 'refund_request' },
          {
            any: [
              { field: 'amount', op: 'gt', value: 500 },
              { field: 'order.total', op: 'gt', value: 500 },
            ],
          },
        ],
      },
      then: {
        action: 'answer_with_approval',
        reason: 'policy',
        note: 'Refund over 500: check before sending.',
      },
      priority: 50,
    },
  ],
}
