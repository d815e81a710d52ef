import { z } from 'zod'
import { AppError } from '../core/index.js'
import { CUSTOMER_TIERS, channelKindSchema, idSchema, type BusinessHours } from '../crm/index.js'
import {
  conditionSchema,
  evaluateCondition,
  validateCondition,
  type Condition,
  type ConditionIssue,
  type Facts,
  type FieldCatalogue,
} from '../crm/conditions/index.js'

/**
 * The facts an assignment rule may test: what a hand-off knows about the conversation and its customer.
 * (The agent's perception is in the hand-off `reason`; a policy that wants intent-based routing names its
 * reason, e.g. `refund_over_limit`.)
 */
export const ASSIGNMENT_FIELDS: FieldCatalogue = Object.freeze({
  channel: {
    type: 'string',
    values: channelKindSchema.options,
    description: 'Channel of the conversation.',
  },
  reason: {
    type: 'string',
    description:
      'Why it was handed off: the decision’s hand-off reason (low_confidence, customer_asked_for_person, negative_sentiment_high_value, policy, sensitive_topic, no_knowledge, …) or a rule’s.',
  },
  tags: { type: 'string[]', description: 'Tags on the conversation.' },
  'customer.tier': { type: 'string', values: CUSTOMER_TIERS, description: 'Customer tier.' },
  'customer.tags': { type: 'string[]', description: 'Tags on the customer.' },
  'customer.locale': {
    type: 'string',
    description:
      'The customer’s language and region, e.g. zh-CN or en-US (route by language with in: [en, en-US, en-GB]).',
  },
})

const RULE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

export const assignmentRuleSchema = z.strictObject({
  name: z.string().regex(RULE_NAME, 'a kebab-case name such as vip-to-senior-team').max(80),
  description: z.string().max(500).optional(),
  /** When the rule applies; absent: always (a catch-all at the end of the list). */
  when: conditionSchema.optional(),
  /** The people who take these conversations: the one with the fewest open conversations gets it. */
  assignTo: z.array(idSchema).min(1).max(200),
  enabled: z.boolean().default(true),
})
export type AssignmentRule = z.output<typeof assignmentRuleSchema>

export const assignmentRulesSchema = z.strictObject({
  rules: z.array(assignmentRuleSchema).max(100),
})
export type AssignmentRules = z.output<typeof assignmentRulesSchema>

export const NO_ASSIGNMENT_RULES: AssignmentRules = Object.freeze({ rules: [] })

/**
 * Validates assignment rules as a person writes them: the shape, duplicate names, and every condition
 * against `ASSIGNMENT_FIELDS` — all problems at once, each with its path (`rules[1].when.field`), thrown as
 * `ACTION_ASSIGNMENT_INVALID`.
 */
export function parseAssignmentRules(raw: unknown): AssignmentRules {
  const parsed = assignmentRulesSchema.safeParse(raw)
  const issues: ConditionIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: pathText(issue.path), message: issue.message }))
  const rules = isRecord(raw) && Array.isArray(raw.rules) ? (raw.rules as unknown[]) : []
  const seen = new Map<string, number>()
  rules.forEach((rule, index) => {
    if (!isRecord(rule)) return
    if (typeof rule.name === 'string') {
      const first = seen.get(rule.name)
      if (first !== undefined)
        issues.push({
          path: `rules[${index}].name`,
          message: `"${rule.name}" is already the name of rules[${first}]`,
        })
      else seen.set(rule.name, index)
    }
    if (rule.when !== undefined) {
      const result = validateCondition(rule.when, ASSIGNMENT_FIELDS, { path: `rules[${index}].when` })
      if (!result.ok) issues.push(...result.issues)
    }
  })
  if (issues.length > 0 || !parsed.success) {
    const unique = [
      ...new Map(issues.map((issue) => [`${issue.path}\u0000${issue.message}`, issue])).values(),
    ]
    const shown = unique
      .slice(0, 3)
      .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
      .join('; ')
    throw new AppError(
      'ACTION_ASSIGNMENT_INVALID',
      `invalid assignment rules, ${unique.length} problem${unique.length === 1 ? '' : 's'}: ${shown}${unique.length > 3 ? ` (and ${unique.length - 3} more)` : ''}`,
      { details: { issues: unique } },
    )
  }
  return parsed.data
}

/** What choosing needs besides the rules and facts (injected: choosing is pure). */
export interface AssignmentContext {
  readonly now: Date
  readonly timeZone: string
  readonly businessHours: BusinessHours
  readonly baseCurrency: string
  /** Open conversations per candidate who is active; inactive or unknown people are absent. */
  readonly load: ReadonlyMap<string, number>
}

export interface AssignmentChoice {
  readonly rule: string
  readonly assigneeId: string
}

/**
 * The first enabled rule whose condition holds and which has an active person picks the one with the fewest
 * open conversations (ties go to the earlier in `assignTo`). A rule whose people are all inactive passes to
 * the next; no rule: null, and the conversation waits in the team's unassigned queue.
 */
export function chooseAssignee(
  rules: AssignmentRules,
  facts: Facts,
  context: AssignmentContext,
): AssignmentChoice | null {
  for (const rule of rules.rules) {
    if (!rule.enabled) continue
    if (
      rule.when !== undefined &&
      !evaluateCondition(rule.when as Condition, facts, { ...context, catalogue: ASSIGNMENT_FIELDS })
    )
      continue
    let best: { id: string; open: number } | null = null
    for (const id of rule.assignTo) {
      const open = context.load.get(id)
      if (open === undefined) continue
      if (best === null || open < best.open) best = { id, open }
    }
    if (best !== null) return { rule: rule.name, assigneeId: best.id }
  }
  return null
}

/** Every person any rule names (whose load the store reads). */
export function assignmentCandidates(rules: AssignmentRules): string[] {
  return [...new Set(rules.rules.filter((rule) => rule.enabled).flatMap((rule) => rule.assignTo))]
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part),
    '',
  )
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
