import {
  explainCondition,
  type ConditionOptions,
  type Facts,
  type LeafExplanation,
} from '../../crm/conditions/index.js'
import { strongestAction, type PolicyAction, type PolicyReason, type PolicySet } from './policy.js'

/** A rule whose condition held. */
export interface FiredPolicy {
  readonly name: string
  readonly action: PolicyAction
  /** The rule's reason, `policy` when it gives none. */
  readonly reason: PolicyReason
  readonly note: string | null
  readonly priority: number
  /** How each leaf of the rule's condition came out, for the decision record. */
  readonly leaves: readonly LeafExplanation[]
}

export interface PolicyEvaluation {
  /** Fired rules, highest priority first, then in the order of the set. */
  readonly fired: readonly FiredPolicy[]
  /** The strongest fired action (hand_off > block_auto_answer > answer_with_approval > no_reply), or null. */
  readonly effect: PolicyAction | null
  /** The rule behind the effect: the first fired rule with that action. */
  readonly decidedBy: FiredPolicy | null
}

/**
 * Evaluates every enabled rule of a policy set against the facts of one message. Pure; the set is assumed
 * valid (see parsePolicyFile). Give `options.catalogue` (policyFieldCatalogue) so datetime attributes
 * compare as dates.
 *
 * @example
 *   evaluatePolicies(DEFAULT_POLICY_SET, { intent: 'human_agent', … }, { now, timeZone, businessHours, baseCurrency })
 *   // → { effect: 'hand_off', decidedBy: { name: 'customer-asked-for-person', reason: 'customer_asked_for_person', … }, … }
 */
export function evaluatePolicies(set: PolicySet, facts: Facts, options: ConditionOptions): PolicyEvaluation {
  const fired: FiredPolicy[] = []
  for (const rule of set.rules) {
    if (rule.enabled === false) continue
    const explanation = explainCondition(rule.when, facts, options)
    if (!explanation.result) continue
    fired.push({
      name: rule.name,
      action: rule.then.action,
      reason: rule.then.reason ?? 'policy',
      note: rule.then.note ?? null,
      priority: rule.priority ?? 0,
      leaves: explanation.leaves,
    })
  }
  // Array.prototype.sort is stable: equal priorities keep the order of the set.
  fired.sort((a, b) => b.priority - a.priority)
  const effect = strongestAction(fired.map((rule) => rule.action))
  return { fired, effect, decidedBy: fired.find((rule) => rule.action === effect) ?? null }
}
