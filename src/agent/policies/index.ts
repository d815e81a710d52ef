/**
 * Agent policies: rules written in the condition language (crm/conditions) that decide when the agent hands
 * off, asks for approval or stays silent. See docs/decisions/2026-11-25-condition-language.md.
 */
export {
  POLICY_ACTIONS,
  POLICY_REASONS,
  POLICY_RULE_NAME,
  actionStrength,
  policyRuleSchema,
  policySetSchema,
  strongestAction,
  type PolicyAction,
  type PolicyReason,
  type PolicyRule,
  type PolicySet,
} from './policy.js'
export { MAX_POLICY_FILE_CHARS, parsePolicyFile, type PolicyFileFormat } from './parse.js'
export { evaluatePolicies, type FiredPolicy, type PolicyEvaluation } from './evaluate-policies.js'
export { POLICY_FIELDS, policyFieldCatalogue, type PolicyAttributeDefinition } from './catalogue.js'
export { DEFAULT_POLICY_SET, LEGAL_OR_REGULATOR_CUES } from './defaults.js'
