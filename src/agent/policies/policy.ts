import { z } from 'zod'
import { conditionSchema } from '../../crm/conditions/index.js'

/**
 * What a policy rule makes the agent do, strongest first. When several rules fire, the strongest action wins
 * (see {@link strongestAction}): the one that leaves a person more control, because a person can always
 * decide to stay silent or to send the agent's draft, but silence cannot bring a person in.
 *
 * - `hand_off`: a person takes the conversation over now;
 * - `block_auto_answer`: the agent sends nothing by itself; the message waits for a person to answer;
 * - `answer_with_approval`: the agent drafts, a person approves before anything is sent;
 * - `no_reply`: nothing is sent and nobody is asked (a closing "thanks", spam).
 */
export const POLICY_ACTIONS = ['hand_off', 'block_auto_answer', 'answer_with_approval', 'no_reply'] as const
export type PolicyAction = (typeof POLICY_ACTIONS)[number]

/** Why, in words the service desk and the decision record share; `policy` when a rule gives none. */
export const POLICY_REASONS = [
  'policy',
  'sensitive_topic',
  'negative_high_value',
  'customer_asked_for_person',
  'outside_business_hours',
] as const
export type PolicyReason = (typeof POLICY_REASONS)[number]

/** Rule names: kebab-case, so they read well in decision records and URLs (`refund-over-500`). */
export const POLICY_RULE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

export const policyRuleSchema = z.strictObject({
  name: z
    .string()
    .max(64)
    .regex(POLICY_RULE_NAME, 'kebab-case: lower-case letters, digits and single dashes'),
  description: z.string().max(500).optional(),
  when: conditionSchema,
  then: z.strictObject({
    action: z.enum(POLICY_ACTIONS),
    reason: z.enum(POLICY_REASONS).optional(),
    /** Shown to the person who takes over or approves. */
    note: z.string().max(500).optional(),
  }),
  /** Higher first in `fired`; breaks ties between rules with the same action. Default 0. */
  priority: z.number().int().min(-1000).max(1000).optional(),
  /** A disabled rule is kept but never fires. Default true. */
  enabled: z.boolean().optional(),
})
export type PolicyRule = z.infer<typeof policyRuleSchema>

/**
 * A policy set as users write it (JSON or YAML). Unknown keys are refused with their path; rule names are
 * unique.
 *
 * @example
 *   { version: 1, rules: [{ name: 'asked-for-person', when: { field: 'intent', op: 'eq', value: 'human_agent' },
 *     then: { action: 'hand_off', reason: 'customer_asked_for_person' } }] }
 */
export const policySetSchema = z
  .strictObject({
    version: z.literal(1),
    rules: z.array(policyRuleSchema).max(200),
  })
  .superRefine((set, context) => {
    const seen = new Map<string, number>()
    set.rules.forEach((rule, index) => {
      const first = seen.get(rule.name)
      if (first === undefined) seen.set(rule.name, index)
      else {
        context.addIssue({
          code: 'custom',
          path: ['rules', index, 'name'],
          message: `duplicate rule name "${rule.name}"; rules[${first}] has it already — names must be unique`,
        })
      }
    })
  })
export type PolicySet = z.infer<typeof policySetSchema>

/** Strength of an action: higher wins when rules disagree. */
export function actionStrength(action: PolicyAction): number {
  return POLICY_ACTIONS.length - POLICY_ACTIONS.indexOf(action)
}

/** The strongest of some actions, or null for none. */
export function strongestAction(actions: Iterable<PolicyAction>): PolicyAction | null {
  let strongest: PolicyAction | null = null
  for (const action of actions) {
    if (strongest === null || actionStrength(action) > actionStrength(strongest)) strongest = action
  }
  return strongest
}
