import { LineCounter, parseDocument } from 'yaml'
import { AppError } from '../core/index.js'
import type { PathSegment } from '../crm/conditions/index.js'
import { EDGE_FIELDS, workflowIssues } from './check.js'
import { explainIssue, isRecord, tidyIssues, type AllowedKeys, type WorkflowIssue } from './issues.js'
import {
  STEP_SCHEMAS,
  WORKFLOW_KEYS,
  WORKFLOW_LIMITS,
  triggerSchema,
  workflowShapeSchema,
  type StepType,
  type WorkflowDefinition,
} from './schema.js'

export type { WorkflowIssue } from './issues.js'

/**
 * The zod schema of a workflow definition, every check included: the shape (schema.ts), and the checks
 * that span steps (check.ts) — unique ids, references, one entry, reachability, loops only through waits,
 * wait steps, action inputs, facts in conditions and placeholders. {@link validateWorkflow} reports the
 * same problems in AgentCRM's words.
 *
 * @example
 *   workflowDefinitionSchema.parse(JSON.parse(text)) // throws a ZodError listing every problem
 */
export const workflowDefinitionSchema = workflowShapeSchema.superRefine((definition, context) => {
  for (const issue of workflowIssues(definition)) {
    context.addIssue({ code: 'custom', path: parsePath(issue.path), message: issue.message })
  }
})

export type WorkflowValidation =
  | { readonly ok: true; readonly workflow: WorkflowDefinition }
  | { readonly ok: false; readonly issues: readonly WorkflowIssue[] }

/**
 * Validates an untrusted workflow definition and reports every problem at once, each with its path
 * (`steps[2].input.template`) and a message naming the bad value and the valid ones.
 *
 * @example
 *   const result = validateWorkflow({ key: 'hello', name: 'Hello', trigger: { type: 'manual' },
 *     steps: [{ id: 'wait', type: 'wait', duration: '1 hour' }] })
 *   // → { ok: false, issues: [{ path: 'steps[0].duration',
 *   //       message: 'duration "1 hour" is not an ISO-8601 duration; write one such as PT30M, PT1H, …' }] }
 */
export function validateWorkflow(input: unknown): WorkflowValidation {
  const parsed = workflowShapeSchema.safeParse(input)
  const issues: WorkflowIssue[] = []
  if (!parsed.success) {
    if (!isRecord(input)) {
      return {
        ok: false,
        issues: [
          {
            path: '',
            message: `a workflow definition is an object {key, name, description?, trigger, steps}; got ${describe(input)}`,
          },
        ],
      }
    }
    const allowed = allowedKeys(input)
    for (const issue of parsed.error.issues) issues.push(...explainIssue(issue, input, [], allowed))
  }
  issues.push(...workflowIssues(input))
  if (parsed.success && issues.length === 0) return { ok: true, workflow: parsed.data }
  return { ok: false, issues: tidyIssues(issues) }
}

export type WorkflowFileFormat = 'json' | 'yaml'

/**
 * Parses a workflow file (JSON, or YAML 1.2 with the core schema: `yes` stays text, duplicate keys are
 * errors) and validates it. Syntax errors are issues at the path `''` with their line and column.
 *
 * @example
 *   const result = parseWorkflowFile(readFileSync('welcome.yaml', 'utf8'), 'yaml')
 *   if (!result.ok) throw workflowInvalidError(result.issues, 'welcome.yaml')
 */
export function parseWorkflowFile(text: string, format: WorkflowFileFormat): WorkflowValidation {
  if (text.length > WORKFLOW_LIMITS.fileChars) {
    return fileProblem(`the file has ${text.length} characters; at most ${WORKFLOW_LIMITS.fileChars}`)
  }
  if (format === 'json') {
    try {
      return validateWorkflow(JSON.parse(text))
    } catch (error) {
      return fileProblem(`not valid JSON: ${(error as Error).message}`)
    }
  }
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter })
  if (document.errors.length > 0) {
    return {
      ok: false,
      issues: document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0])
        return {
          path: '',
          message: `not valid YAML: line ${position.line}, column ${position.col}: ${error.message.split('\n')[0]}`,
        }
      }),
    }
  }
  let value: unknown
  try {
    value = document.toJS({ maxAliasCount: 100 })
  } catch (error) {
    return fileProblem(`not valid YAML: ${(error as Error).message}`)
  }
  return validateWorkflow(value)
}

/** `WORKFLOW_INVALID` (400) with every issue in `details.issues`; the message shows the first three. */
export function workflowInvalidError(issues: readonly WorkflowIssue[], source?: string): AppError {
  const shown = issues
    .slice(0, 3)
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('; ')
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''
  return new AppError(
    'WORKFLOW_INVALID',
    `invalid workflow${source ? ` ${source}` : ''}, ${issues.length} problem${issues.length === 1 ? '' : 's'}: ${shown}${more}`,
    { details: { issues } },
  )
}

/** An edge of a workflow's graph: `from` leads to `to` through the step's `via` field. */
export interface WorkflowEdge {
  readonly from: string
  readonly to: string
  readonly via: 'next' | 'then' | 'else' | 'onReject'
}

/**
 * The edges of a (valid) workflow, in step order: the graph that `next`, `then`, `else` and `onReject`
 * describe, for drawing it or walking it.
 *
 * @example
 *   workflowEdges(definition) // → [{ from: 'perceive', to: 'reason', via: 'next' }, …]
 */
export function workflowEdges(definition: WorkflowDefinition): WorkflowEdge[] {
  return definition.steps.flatMap((step) =>
    EDGE_FIELDS[step.type].flatMap((via) => {
      const to = (step as Partial<Record<WorkflowEdge['via'], string>>)[via]
      return to === undefined ? [] : [{ from: step.id, to, via }]
    }),
  )
}

function fileProblem(message: string): WorkflowValidation {
  return { ok: false, issues: [{ path: '', message }] }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'string' ? 'text' : typeof value
}

function allowedKeys(root: Record<string, unknown>): AllowedKeys {
  return (path) => {
    if (path.length === 0) return WORKFLOW_KEYS
    if (path.length === 1 && path[0] === 'trigger') {
      const type = isRecord(root.trigger) ? root.trigger.type : undefined
      const option = triggerSchema.options.find((candidate) => candidate.shape.type.value === type)
      return option ? Object.keys(option.shape) : undefined
    }
    if (path.length === 2 && path[0] === 'trigger' && path[1] === 'forEach') return ['entity', 'where']
    if (path.length === 2 && path[0] === 'steps' && typeof path[1] === 'number') {
      const step = Array.isArray(root.steps) ? root.steps[path[1]] : undefined
      const type = isRecord(step) ? step.type : undefined
      return typeof type === 'string' && Object.hasOwn(STEP_SCHEMAS, type)
        ? Object.keys(STEP_SCHEMAS[type as StepType].shape)
        : undefined
    }
    return undefined
  }
}

/** `steps[2].input.template` → `['steps', 2, 'input', 'template']`. */
function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = []
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    if (match[1] !== undefined) segments.push(match[1])
    else if (match[2] !== undefined) segments.push(Number(match[2]))
    else segments.push(JSON.parse(`"${match[3]}"`) as string)
  }
  return segments
}
