import {
  closest,
  formatPath,
  validateCondition,
  type Condition,
  type PathSegment,
} from '../crm/conditions/index.js'
import { ACTION_INPUT_SCHEMAS, ACTION_NAMES, type ActionName } from './action-inputs.js'
import {
  FACT_GROUP_SOURCES,
  WORKFLOW_FIELDS,
  WORKFLOW_FIELD_CATALOGUE,
  stepNeeds,
  stepProvides,
  triggerGroups,
  type FactGroup,
} from './facts.js'
import { explainIssue, isRecord, show, type WorkflowIssue } from './issues.js'
import { STEP_SCHEMAS, WAIT_EVENTS, triggerSchema, type StepType, type WorkflowTrigger } from './schema.js'
import { templatePlaceholders } from './templates.js'

/** The fields of a step that name the step after it, by step type. */
export const EDGE_FIELDS: Readonly<Record<StepType, readonly ('next' | 'then' | 'else' | 'onReject')[]>> = {
  perceive: ['next'],
  reason: ['next'],
  action: ['next'],
  branch: ['then', 'else'],
  wait: ['next'],
  approval: ['next', 'onReject'],
  webhook: ['next'],
}

/** A step as far as it can be read from an unchecked definition. */
interface RawStep {
  readonly index: number
  readonly value: Record<string, unknown>
  readonly id: string | null
  readonly type: StepType | null
  /** The steps it leads to (only ids that are text). */
  readonly edges: readonly { readonly field: string; readonly to: string }[]
}

function readSteps(raw: unknown): RawStep[] {
  if (!Array.isArray(raw)) return []
  return raw.flatMap((value, index) => {
    if (!isRecord(value)) return []
    const type =
      typeof value.type === 'string' && value.type in STEP_SCHEMAS ? (value.type as StepType) : null
    const fields = type ? EDGE_FIELDS[type] : ['next']
    const edges = fields.flatMap((field) =>
      typeof value[field] === 'string' ? [{ field, to: value[field] as string }] : [],
    )
    return [{ index, value, id: typeof value.id === 'string' ? value.id : null, type, edges }]
  })
}

const at = (step: RawStep, ...rest: PathSegment[]) => formatPath(['steps', step.index, ...rest])

/**
 * The checks a definition needs beyond its shape, run on the unchecked value so that they report
 * alongside shape problems: unique step ids; every `next`/`then`/`else`/`onReject` names a step; the first
 * step is the only entry and every step is reachable from it; every loop passes a wait step; wait steps
 * wait for a duration or an event; each action's input fits that action; conditions and `{{placeholders}}`
 * name known facts that are certain to be there at that step.
 */
export function workflowIssues(raw: unknown): WorkflowIssue[] {
  if (!isRecord(raw)) return []
  const issues: WorkflowIssue[] = []
  const steps = readSteps(raw.steps)
  const parsedTrigger = triggerSchema.safeParse(raw.trigger)
  const trigger = parsedTrigger.success ? parsedTrigger.data : null

  const byId = new Map<string, RawStep>()
  for (const step of steps) {
    if (step.id === null) continue
    const first = byId.get(step.id)
    if (first) {
      issues.push({
        path: at(step, 'id'),
        message: `duplicate step id "${step.id}"; steps[${first.index}] has it already — step ids must be unique`,
      })
    } else byId.set(step.id, step)
  }

  issues.push(...textIssues(raw))
  for (const step of steps) issues.push(...stepIssues(step))
  issues.push(...graphIssues(steps, byId))
  issues.push(...factIssues(raw, steps, byId, trigger))
  return issues
}

function stepIssues(step: RawStep): WorkflowIssue[] {
  const issues: WorkflowIssue[] = []
  const value = step.value
  if (step.type === 'wait') {
    const hasDuration = value.duration !== undefined
    const hasUntil = value.until !== undefined
    if (hasDuration && hasUntil) {
      issues.push({
        path: at(step, 'until'),
        message: 'a wait step waits for a duration or until an event, not both; remove duration or until',
      })
    } else if (!hasDuration && !hasUntil) {
      issues.push({
        path: at(step),
        message: `a wait step needs duration (such as PT1H) or until (one of: ${WAIT_EVENTS.join(', ')})`,
      })
    }
    if (value.timeout !== undefined && !hasUntil) {
      issues.push({
        path: at(step, 'timeout'),
        message: 'timeout applies to a wait until an event; a wait for a duration ends by itself',
      })
    }
    if (value.eventName !== undefined && value.until !== 'event.tracked') {
      issues.push({
        path: at(step, 'eventName'),
        message: `eventName narrows a wait until event.tracked; this step waits ${hasUntil ? `until ${show(value.until)}` : 'for a duration'}`,
      })
    }
  }
  if (step.type === 'webhook' && value.method === 'GET' && value.body !== undefined) {
    issues.push({ path: at(step, 'body'), message: 'a GET request has no body; use POST, PUT or PATCH' })
  }
  if (step.type === 'action' && isActionName(value.action)) {
    const input = value.input === undefined ? {} : value.input
    if (isRecord(input)) {
      const schema = ACTION_INPUT_SCHEMAS[value.action]
      const parsed = schema.safeParse(input)
      if (!parsed.success) {
        const allowed = Object.keys(schema.shape)
        for (const issue of parsed.error.issues) {
          issues.push(
            ...explainIssue(issue, input, ['steps', step.index, 'input'], (path) =>
              path.length === 0 ? allowed : undefined,
            ),
          )
        }
      }
    }
  }
  return issues
}

function isActionName(value: unknown): value is ActionName {
  return typeof value === 'string' && (ACTION_NAMES as readonly string[]).includes(value)
}

function graphIssues(steps: readonly RawStep[], byId: ReadonlyMap<string, RawStep>): WorkflowIssue[] {
  const issues: WorkflowIssue[] = []
  const ids = [...byId.keys()]
  const incoming = new Map<string, number>()
  for (const step of steps) {
    for (const edge of step.edges) {
      if (!byId.has(edge.to)) {
        const suggestion = closest(edge.to, ids)
        issues.push({
          path: at(step, edge.field),
          message: `no step has id "${edge.to}"; step ids: ${ids.join(', ') || '(none)'}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        })
      } else incoming.set(edge.to, (incoming.get(edge.to) ?? 0) + 1)
    }
  }
  const entry = steps[0]?.index === 0 ? steps[0] : undefined
  if (entry === undefined || entry.id === null) return issues

  const reachable = reachableFrom(entry, byId)
  for (const step of byId.values()) {
    if (step === entry || reachable.has(step.id as string)) continue
    issues.push(
      (incoming.get(step.id as string) ?? 0) === 0
        ? {
            path: at(step, 'id'),
            message: `nothing leads to step "${step.id}", so it would be a second entry step; a run starts only at the first step ("${entry.id}") — name it in a next, then or else, or remove it`,
          }
        : {
            path: at(step, 'id'),
            message: `step "${step.id}" cannot be reached from the first step ("${entry.id}"): only unreachable steps lead to it`,
          },
    )
  }

  for (const cycle of cyclesWithoutWait(byId)) {
    const first = cycle[0]
    const second = cycle[1] ?? first
    const edge = first.edges.find((candidate) => candidate.to === second.id)
    issues.push({
      path: at(first, edge?.field ?? 'next'),
      message: `the steps ${[...cycle, first].map((step) => step.id).join(' → ')} loop without a wait step, so a run could spin forever; put a wait step in the loop or end it`,
    })
  }
  return issues
}

function reachableFrom(entry: RawStep, byId: ReadonlyMap<string, RawStep>): Set<string> {
  const seen = new Set<string>([entry.id as string])
  const queue = [entry]
  while (queue.length > 0) {
    const step = queue.shift() as RawStep
    for (const edge of step.edges) {
      const target = byId.get(edge.to)
      if (target && !seen.has(edge.to)) {
        seen.add(edge.to)
        queue.push(target)
      }
    }
  }
  return seen
}

/**
 * One loop per strongly connected part of the graph without wait steps (Tarjan), each as the steps in
 * order, starting from the earliest-written one.
 */
function cyclesWithoutWait(byId: ReadonlyMap<string, RawStep>): RawStep[][] {
  const nodes = [...byId.values()].filter((step) => step.type !== 'wait')
  const successors = (step: RawStep) =>
    step.edges
      .map((edge) => byId.get(edge.to))
      .filter((target): target is RawStep => target !== undefined && target.type !== 'wait')
  const index = new Map<RawStep, number>()
  const low = new Map<RawStep, number>()
  const stack: RawStep[] = []
  const onStack = new Set<RawStep>()
  const components: RawStep[][] = []
  let counter = 0
  const connect = (node: RawStep): void => {
    index.set(node, counter)
    low.set(node, counter)
    counter += 1
    stack.push(node)
    onStack.add(node)
    for (const next of successors(node)) {
      if (!index.has(next)) {
        connect(next)
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number))
      } else if (onStack.has(next))
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number))
    }
    if (low.get(node) === index.get(node)) {
      const component: RawStep[] = []
      let member: RawStep
      do {
        member = stack.pop() as RawStep
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      components.push(component)
    }
  }
  for (const node of nodes) if (!index.has(node)) connect(node)

  const cycles: RawStep[][] = []
  for (const component of components) {
    const members = new Set(component)
    const start = component.reduce((a, b) => (a.index <= b.index ? a : b))
    if (component.length === 1 && !successors(start).includes(start)) continue
    // Walk inside the component until a step repeats: that closes a loop.
    const path: RawStep[] = []
    let current: RawStep | undefined = start
    while (current && !path.includes(current)) {
      path.push(current)
      current = successors(current)
        .filter((next) => members.has(next))
        .sort((a, b) => a.index - b.index)[0]
    }
    cycles.push(current ? path.slice(path.indexOf(current)) : path)
  }
  return cycles.sort((a, b) => a[0].index - b[0].index)
}

/** The fact groups certain to be there when each reachable step starts (intersection over all paths). */
function availableGroups(
  steps: readonly RawStep[],
  byId: ReadonlyMap<string, RawStep>,
  trigger: WorkflowTrigger,
): Map<string, Set<FactGroup>> {
  const available = new Map<string, Set<FactGroup>>()
  const entry = steps[0]
  if (entry?.index !== 0 || entry.id === null) return available
  available.set(entry.id, new Set(triggerGroups(trigger)))
  const queue = [entry]
  while (queue.length > 0) {
    const step = queue.shift() as RawStep
    const before = available.get(step.id as string) as Set<FactGroup>
    const provides = step.type ? stepProvides({ type: step.type, until: waitEvent(step) }) : []
    const after = new Set([...before, ...provides])
    for (const edge of step.edges) {
      const target = byId.get(edge.to)
      if (!target) continue
      const known = available.get(edge.to)
      const merged = known ? new Set([...known].filter((group) => after.has(group))) : after
      if (!known || merged.size !== known.size) {
        available.set(edge.to, merged)
        queue.push(target)
      }
    }
  }
  return available
}

function waitEvent(step: RawStep): string | undefined {
  return step.type === 'wait' && typeof step.value.until === 'string' ? step.value.until : undefined
}

function unavailable(what: string, group: FactGroup, where: string): string {
  return `${what} needs ${group} facts, which come from ${FACT_GROUP_SOURCES[group]}; they are not certain to be there ${where}`
}

function factIssues(
  raw: Record<string, unknown>,
  steps: readonly RawStep[],
  byId: ReadonlyMap<string, RawStep>,
  trigger: WorkflowTrigger | null,
): WorkflowIssue[] {
  const issues: WorkflowIssue[] = []
  const available = trigger ? availableGroups(steps, byId, trigger) : null
  const where = trigger ? `(trigger ${trigger.type})` : ''

  const checkCondition = (
    condition: unknown,
    path: string,
    groups: ReadonlySet<FactGroup> | null,
    place: string,
  ) => {
    const result = validateCondition(condition, WORKFLOW_FIELD_CATALOGUE, { path })
    if (!result.ok) {
      issues.push(...result.issues)
      return
    }
    if (!groups) return
    for (const leaf of fieldLeaves(condition as Condition, [])) {
      const group = WORKFLOW_FIELDS[leaf.field].group
      if (!groups.has(group)) {
        issues.push({
          path: formatPath([...leaf.path, 'field'], path),
          message: unavailable(`field "${leaf.field}"`, group, place),
        })
      }
    }
  }

  const forEach = isRecord(raw.trigger) && isRecord(raw.trigger.forEach) ? raw.trigger.forEach : null
  if (forEach && forEach.where !== undefined) {
    checkCondition(
      forEach.where,
      'trigger.forEach.where',
      new Set<FactGroup>(['conversation', 'customer']),
      'when a schedule selects conversations: only conversation and customer facts are known there',
    )
  }

  for (const step of steps) {
    if (step.type === null) continue
    const groups =
      available && step.id !== null && byId.get(step.id) === step ? (available.get(step.id) ?? null) : null
    // An unreachable step is reported already; its facts are not checked against a path that does not exist.
    const reachable = groups !== null
    const place = `at step "${step.id}" ${where}`.trim()
    if (step.type === 'branch' && step.value.condition !== undefined) {
      checkCondition(step.value.condition, at(step, 'condition'), reachable ? groups : null, place)
    }
    for (const text of templateTexts(step)) {
      for (const { name } of templatePlaceholders(text.value).placeholders) {
        const spec = Object.hasOwn(WORKFLOW_FIELDS, name) ? WORKFLOW_FIELDS[name] : undefined
        if (!spec) {
          const suggestion = closest(name, Object.keys(WORKFLOW_FIELDS))
          issues.push({
            path: formatPath(text.path),
            message: `unknown fact "${name}" in placeholder {{${name}}}; known: ${Object.keys(WORKFLOW_FIELDS).join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
          })
        } else if (groups && !groups.has(spec.group)) {
          issues.push({
            path: formatPath(text.path),
            message: unavailable(`placeholder {{${name}}}`, spec.group, place),
          })
        }
      }
    }
    if (!groups) continue
    const input = isRecord(step.value.input) ? step.value.input : undefined
    if (step.type === 'action' && !isActionName(step.value.action)) continue
    for (const group of stepNeeds({ ...step.value, type: step.type, input })) {
      if (groups.has(group)) continue
      const action = step.value.action as string
      const what =
        step.type === 'action'
          ? (action === 'reply' || action === 'draft_for_approval') && group === 'decision'
            ? `action "${action}" without input.template (it sends the decision's reply)`
            : `action "${action}"`
          : `a ${step.type} step`
      issues.push({
        path: at(step, step.type === 'action' ? 'action' : 'type'),
        message: unavailable(what, group, place),
      })
    }
  }
  return issues
}

/** The `{field}` leaves of a condition with their paths inside it. */
function fieldLeaves(condition: Condition, path: PathSegment[]): { field: string; path: PathSegment[] }[] {
  if ('all' in condition) return condition.all.flatMap((child, i) => fieldLeaves(child, [...path, 'all', i]))
  if ('any' in condition) return condition.any.flatMap((child, i) => fieldLeaves(child, [...path, 'any', i]))
  if ('not' in condition) return fieldLeaves(condition.not, [...path, 'not'])
  if ('field' in condition) return [{ field: condition.field, path }]
  return []
}

/** Every text in a step that may hold placeholders, with its path. */
function templateTexts(step: RawStep): { value: string; path: PathSegment[] }[] {
  const out: { value: string; path: PathSegment[] }[] = []
  const walk = (value: unknown, path: PathSegment[], depth: number) => {
    if (depth > 8) return
    if (typeof value === 'string') out.push({ value, path })
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i], depth + 1))
    else if (isRecord(value))
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key], depth + 1)
  }
  const base: PathSegment[] = ['steps', step.index]
  if (step.type === 'action' && step.value.action !== 'call_webhook')
    walk(step.value.input, [...base, 'input'], 0)
  if (step.type === 'action' && step.value.action === 'call_webhook' && isRecord(step.value.input))
    walk(step.value.input.body, [...base, 'input', 'body'], 0)
  if (step.type === 'approval') walk(step.value.message, [...base, 'message'], 0)
  if (step.type === 'webhook') walk(step.value.body, [...base, 'body'], 0)
  return out
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Texts anywhere in a definition must be storable on both databases: no NUL (Postgres refuses it) and no
 * unpaired surrogate (not valid Unicode; `jsonb` refuses it). Keys count as texts too.
 */
function textIssues(raw: Record<string, unknown>): WorkflowIssue[] {
  const issues: WorkflowIssue[] = []
  const check = (text: string, path: PathSegment[]) => {
    if (text.includes('\u0000'))
      issues.push({ path: formatPath(path), message: 'text must not contain NUL characters' })
    else if (LONE_SURROGATE.test(text))
      issues.push({
        path: formatPath(path),
        message: 'text must be valid Unicode (it has an unpaired surrogate)',
      })
  }
  const walk = (value: unknown, path: PathSegment[], depth: number) => {
    if (depth > 32 || issues.length >= 20) return
    if (typeof value === 'string') check(value, path)
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i], depth + 1))
    else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) {
        check(key, [...path, key])
        walk(item, [...path, key], depth + 1)
      }
    }
  }
  walk(raw, [], 0)
  return issues
}
