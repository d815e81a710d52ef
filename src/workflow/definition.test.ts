import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import {
  BUILTIN_WORKFLOWS,
  parseWorkflowFile,
  validateWorkflow,
  workflowDefinitionSchema,
  workflowEdges,
  workflowInvalidError,
  type WorkflowDefinition,
  type WorkflowIssue,
} from './index.js'

/** A small valid workflow to break one thing at a time. */
function base(): Record<string, unknown> & { steps: Record<string, unknown>[] } {
  return {
    key: 'order-help',
    name: 'Order help',
    trigger: { type: 'message.received' },
    steps: [
      { id: 'perceive', type: 'perceive', next: 'reason' },
      { id: 'reason', type: 'reason', next: 'can-answer' },
      {
        id: 'can-answer',
        type: 'branch',
        condition: { field: 'decision.action', op: 'eq', value: 'answer' },
        then: 'reply',
        else: 'hand-off',
      },
      { id: 'reply', type: 'action', action: 'reply', input: { template: 'Hi {{customer.name}}' } },
      { id: 'hand-off', type: 'action', action: 'hand_off', input: {} },
    ],
  }
}

/** The issues of an invalid definition (fails the test when it is valid). */
function issuesOf(input: unknown): readonly WorkflowIssue[] {
  const result = validateWorkflow(input)
  if (result.ok) throw new Error('expected the definition to be invalid')
  return result.issues
}

/** The one issue at `path` (fails when there is none or several). */
function issueAt(input: unknown, path: string): WorkflowIssue {
  const found = issuesOf(input).filter((issue) => issue.path === path)
  expect(found, JSON.stringify(issuesOf(input), null, 1)).toHaveLength(1)
  return found[0]
}

describe('validateWorkflow: shape', () => {
  it('accepts a valid definition and returns it parsed', () => {
    const result = validateWorkflow(base())
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.workflow.steps.map((step) => step.id)).toEqual(base().steps.map((s) => s.id))
  })

  it('refuses something that is not an object', () => {
    expect(issuesOf([1, 2])).toEqual([{ path: '', message: expect.stringContaining('got a list') }])
  })

  it('names a key that is not kebab-case, with the value', () => {
    expect(issueAt({ ...base(), key: 'Order Help' }, 'key').message).toMatch(/kebab-case.*got "Order Help"/)
  })

  it('reports missing and unknown top-level keys with the allowed ones', () => {
    const { name: _name, ...rest } = base()
    expect(issueAt(rest, 'name').message).toBe('"name" is required')
    expect(issueAt({ ...base(), trigers: {} }, 'trigers').message).toMatch(
      /unknown key "trigers"; allowed: key, name, description, trigger, steps \(did you mean "trigger"\?\)/,
    )
  })

  it('names an unknown trigger type and the known ones', () => {
    expect(issueAt({ ...base(), trigger: { type: 'message.recieved' } }, 'trigger.type').message).toMatch(
      /unknown trigger type "message\.recieved"; known: message\.received, .*manual \(did you mean "message\.received"\?\)/,
    )
  })

  it('refuses keys a trigger type does not take', () => {
    expect(
      issueAt({ ...base(), trigger: { type: 'order.created', eventName: 'x' } }, 'trigger.eventName').message,
    ).toBe('unknown key "eventName"; allowed: type')
  })

  it('names an unknown step type', () => {
    const input = base()
    input.steps[4] = { id: 'hand-off', type: 'sleep' }
    expect(issueAt(input, 'steps[4].type').message).toMatch(
      /unknown step type "sleep"; known: perceive, reason, action, branch, wait, approval, webhook/,
    )
  })

  it('names an unknown action and suggests the closest', () => {
    const input = base()
    input.steps[4] = { id: 'hand-off', type: 'action', action: 'handoff' }
    expect(issueAt(input, 'steps[4].action').message).toMatch(
      /"handoff" is not allowed here; use one of: reply, .*call_webhook \(did you mean "hand_off"\?\)/,
    )
  })

  it('refuses a step key its type does not take, listing the allowed ones', () => {
    const input = base()
    input.steps[0] = { ...input.steps[0], then: 'reason' }
    expect(issueAt(input, 'steps[0].then').message).toBe('unknown key "then"; allowed: id, type, next')
  })

  it('refuses a definition without steps', () => {
    expect(issueAt({ ...base(), steps: [] }, 'steps').message).toBe('has 0 items; at least 1')
  })
})

describe('validateWorkflow: action inputs', () => {
  it('checks the input against the action, with the path inside it', () => {
    const input = base()
    input.steps[3] = { id: 'reply', type: 'action', action: 'reply', input: { template: 42 } }
    expect(issueAt(input, 'steps[3].input.template').message).toBe('expected text or {zh, en}; got 42')
  })

  it('refuses unknown input keys with the allowed ones', () => {
    const input = base()
    input.steps[3] = { id: 'reply', type: 'action', action: 'reply', input: { text: 'hi' } }
    expect(issueAt(input, 'steps[3].input.text').message).toBe('unknown key "text"; allowed: template')
  })

  it('refuses a malformed placeholder', () => {
    const input = base()
    input.steps[3] = {
      id: 'reply',
      type: 'action',
      action: 'reply',
      input: { template: 'Hi {{customer.name' },
    }
    expect(issueAt(input, 'steps[3].input.template').message).toMatch(/placeholder is not closed/)
  })

  it('refuses a placeholder naming an unknown fact, suggesting the closest', () => {
    const input = base()
    input.steps[3] = {
      id: 'reply',
      type: 'action',
      action: 'reply',
      input: { template: 'Hi {{customer.nme}}' },
    }
    expect(issueAt(input, 'steps[3].input.template').message).toMatch(
      /unknown fact "customer\.nme" in placeholder \{\{customer\.nme\}\}; known: .*\(did you mean "customer\.name"\?\)/,
    )
  })

  it('requires both languages in a survey question and refuses a merge of duplicates', () => {
    const input = base()
    input.steps[3] = {
      id: 'reply',
      type: 'action',
      action: 'send_survey',
      input: { survey: 'csat', question: { en: 'How did we do?' } },
    }
    expect(issueAt(input, 'steps[3].input.question.zh').message).toMatch(/Chinese \(zh\) text is required/)
    input.steps[3] = {
      id: 'reply',
      type: 'action',
      action: 'update_customer',
      input: { fromEntities: ['email'], onDuplicate: 'merge' },
    }
    expect(issueAt(input, 'steps[3].input.onDuplicate').message).toBe(
      '"merge" is not allowed here; use "suggest"',
    )
  })

  it('refuses a recipient that is not team, assignee, a user id or an email', () => {
    const input = base()
    input.steps[4] = { id: 'hand-off', type: 'action', action: 'assign', input: { assignee: 'bob' } }
    expect(issueAt(input, 'steps[4].input.assignee').message).toMatch(/recipient "bob" is not team, assignee/)
  })

  it('refuses a webhook URL with a placeholder or another scheme', () => {
    const input = base()
    input.steps[4] = {
      id: 'hand-off',
      type: 'action',
      action: 'call_webhook',
      input: { url: 'https://hooks.example.com/{{customer.name}}' },
    }
    expect(issueAt(input, 'steps[4].input.url').message).toMatch(/contains a placeholder/)
    input.steps[4] = { id: 'hand-off', type: 'webhook', url: 'ftp://files.example.com', method: 'POST' }
    expect(issueAt(input, 'steps[4].url').message).toBe(
      'url "ftp://files.example.com" uses ftp; only http and https are allowed',
    )
  })
})

describe('validateWorkflow: the graph', () => {
  it('refuses duplicate step ids, naming the first', () => {
    const input = base()
    input.steps[4] = { ...input.steps[4], id: 'reply' }
    expect(issueAt(input, 'steps[4].id').message).toBe(
      'duplicate step id "reply"; steps[3] has it already — step ids must be unique',
    )
  })

  it('refuses a reference to a step that does not exist, suggesting the closest', () => {
    const input = base()
    input.steps[2] = { ...input.steps[2], then: 'rpely' }
    expect(issueAt(input, 'steps[2].then').message).toBe(
      'no step has id "rpely"; step ids: perceive, reason, can-answer, reply, hand-off (did you mean "reply"?)',
    )
  })

  it('refuses a second entry step: a step nothing leads to', () => {
    const input = base()
    input.steps.push({ id: 'orphan', type: 'action', action: 'tag', input: { add: ['x'] } })
    expect(issueAt(input, 'steps[5].id').message).toMatch(
      /nothing leads to step "orphan", so it would be a second entry step; a run starts only at the first step \("perceive"\)/,
    )
  })

  it('refuses steps only reachable from unreachable steps', () => {
    const input = base()
    input.steps.push(
      { id: 'island-a', type: 'wait', duration: 'PT1H', next: 'island-b' },
      { id: 'island-b', type: 'wait', duration: 'PT1H', next: 'island-a' },
    )
    expect(issueAt(input, 'steps[5].id').message).toBe(
      'step "island-a" cannot be reached from the first step ("perceive"): only unreachable steps lead to it',
    )
  })

  it('refuses a loop without a wait step, naming the loop', () => {
    const input = base()
    input.steps[3] = { ...input.steps[3], next: 'can-answer' }
    expect(issueAt(input, 'steps[2].then').message).toBe(
      'the steps can-answer → reply → can-answer loop without a wait step, so a run could spin forever; put a wait step in the loop or end it',
    )
    input.steps[3] = { ...input.steps[3], next: 'reply' }
    expect(issueAt(input, 'steps[3].next').message).toMatch(
      /the steps reply → reply loop without a wait step/,
    )
  })

  it('accepts a loop that passes a wait step', () => {
    const input = base()
    input.steps[4] = { id: 'hand-off', type: 'action', action: 'hand_off', next: 'later' }
    input.steps.push({ id: 'later', type: 'wait', duration: 'P1D', next: 'can-answer' })
    expect(validateWorkflow(input)).toMatchObject({ ok: true })
  })

  it('lists the edges of a valid workflow in step order', () => {
    const result = validateWorkflow(base())
    if (!result.ok) throw new Error('valid')
    expect(workflowEdges(result.workflow)).toEqual([
      { from: 'perceive', to: 'reason', via: 'next' },
      { from: 'reason', to: 'can-answer', via: 'next' },
      { from: 'can-answer', to: 'reply', via: 'then' },
      { from: 'can-answer', to: 'hand-off', via: 'else' },
    ])
  })
})

describe('validateWorkflow: waits, durations and schedules', () => {
  const withStep = (step: Record<string, unknown>) => {
    const input = base()
    input.steps[4] = { id: 'hand-off', ...step }
    return input
  }

  it('refuses a duration that is not ISO-8601, or in months', () => {
    expect(issueAt(withStep({ type: 'wait', duration: '1 hour' }), 'steps[4].duration').message).toMatch(
      /duration "1 hour" is not an ISO-8601 duration; write one such as PT30M, PT1H/,
    )
    expect(issueAt(withStep({ type: 'wait', duration: 'P1M' }), 'steps[4].duration').message).toMatch(
      /uses years or months.*write days instead/,
    )
  })

  it('needs exactly one of duration and until', () => {
    expect(issueAt(withStep({ type: 'wait' }), 'steps[4]').message).toMatch(
      /a wait step needs duration \(such as PT1H\) or until \(one of: message\.received/,
    )
    expect(
      issueAt(withStep({ type: 'wait', duration: 'PT1H', until: 'survey.answered' }), 'steps[4].until')
        .message,
    ).toMatch(/not both/)
  })

  it('takes a timeout and an event name only with until', () => {
    expect(
      issueAt(withStep({ type: 'wait', duration: 'PT1H', timeout: 'P1D' }), 'steps[4].timeout').message,
    ).toMatch(/timeout applies to a wait until an event/)
    expect(
      issueAt(
        withStep({ type: 'wait', until: 'survey.answered', eventName: 'page_view' }),
        'steps[4].eventName',
      ).message,
    ).toMatch(/eventName narrows a wait until event\.tracked; this step waits until "survey\.answered"/)
  })

  it('refuses an invalid cron expression or time zone', () => {
    const schedule = (trigger: Record<string, unknown>) => ({
      ...base(),
      trigger: { type: 'schedule', ...trigger },
      steps: [{ id: 'note', type: 'webhook', url: 'https://hooks.example.com/tick', method: 'POST' }],
    })
    expect(validateWorkflow(schedule({ cron: '0 9 * * 1-5', timeZone: 'Asia/Shanghai' }))).toMatchObject({
      ok: true,
    })
    expect(issueAt(schedule({ cron: '0 25 * * *' }), 'trigger.cron').message).toMatch(
      /cron "0 25 \* \* \*" is not valid: .*25.*0-23/,
    )
    expect(issueAt(schedule({ cron: '@daily' }), 'trigger.cron').message).toMatch(
      /has 1 field; a cron expression has 5/,
    )
    expect(
      issueAt(schedule({ cron: '* * * * *', timeZone: 'Mars/Olympus' }), 'trigger.timeZone').message,
    ).toMatch(/unknown time zone "Mars\/Olympus"; use an IANA name such as Asia\/Shanghai/)
  })
})

describe('validateWorkflow: facts in conditions and placeholders', () => {
  it('checks branch conditions against the workflow fields, with the path inside the condition', () => {
    const input = base()
    input.steps[2] = {
      ...input.steps[2],
      condition: { all: [{ field: 'decision.actoin', op: 'eq', value: 'answer' }] },
    }
    expect(issueAt(input, 'steps[2].condition.all[0].field').message).toMatch(
      /unknown field "decision\.actoin"; known under decision: .*\(did you mean "decision\.action"\?\)/,
    )
    input.steps[2] = { ...input.steps[2], condition: { field: 'decision.action', op: 'eq', value: 'anwser' } }
    expect(issueAt(input, 'steps[2].condition.value').message).toMatch(/did you mean "answer"/)
  })

  it('refuses a fact that no path to the step is certain to have', () => {
    const input = base()
    input.steps = input.steps.filter((step) => step.id !== 'reason')
    input.steps[0] = { ...input.steps[0], next: 'can-answer' }
    expect(issueAt(input, 'steps[1].condition.field').message).toBe(
      'field "decision.action" needs decision facts, which come from a reason step; they are not certain to be there at step "can-answer" (trigger message.received)',
    )
  })

  it('refuses a placeholder whose fact the trigger does not bring', () => {
    const input = { ...base(), trigger: { type: 'order.created' } }
    input.steps = [
      {
        id: 'task',
        type: 'action',
        action: 'create_task',
        input: { title: 'Score {{survey.score}} for {{order.number}}' },
      },
    ]
    expect(issueAt(input, 'steps[0].input.title').message).toMatch(
      /placeholder \{\{survey\.score\}\} needs survey facts, which come from trigger survey\.answered or a wait until survey\.answered/,
    )
  })

  it('refuses a perceive step on a trigger without a message, and a reply without a decision', () => {
    const input = { ...base(), trigger: { type: 'conversation.resolved' } }
    expect(issueAt(input, 'steps[0].type').message).toMatch(/a perceive step needs message facts/)
    const replyOnly = {
      ...base(),
      steps: [{ id: 'reply', type: 'action', action: 'reply' }],
    }
    expect(issueAt(replyOnly, 'steps[0].action').message).toMatch(
      /action "reply" without input\.template \(it sends the decision's reply\) needs decision facts/,
    )
  })

  it('makes survey facts available after a wait until survey.answered', () => {
    const input = {
      ...base(),
      trigger: { type: 'conversation.resolved' },
      steps: [
        { id: 'wait', type: 'wait', until: 'survey.answered', timeout: 'P3D', next: 'low' },
        {
          id: 'low',
          type: 'branch',
          condition: { field: 'survey.score', op: 'lte', value: 2 },
          then: 'task',
        },
        { id: 'task', type: 'action', action: 'create_task', input: { title: 'Low score {{survey.score}}' } },
      ],
    }
    expect(validateWorkflow(input)).toMatchObject({ ok: true })
  })

  it('allows only conversation and customer facts in a schedule’s forEach.where', () => {
    const input = {
      ...base(),
      trigger: {
        type: 'schedule',
        cron: '*/15 * * * *',
        forEach: { entity: 'conversation', where: { field: 'intent', op: 'eq', value: 'complaint' } },
      },
      steps: [{ id: 'close', type: 'action', action: 'update_conversation', input: { status: 'closed' } }],
    }
    expect(issueAt(input, 'trigger.forEach.where.field').message).toMatch(
      /field "intent" needs perception facts, which come from a perceive step; they are not certain to be there when a schedule selects conversations/,
    )
  })
})

describe('built-in workflows', () => {
  it.each(BUILTIN_WORKFLOWS.map((workflow) => [workflow.key, workflow] as const))(
    '%s passes validateWorkflow and the zod schema',
    (_key, workflow) => {
      expect(validateWorkflow(workflow)).toEqual({ ok: true, workflow })
      expect(workflowDefinitionSchema.safeParse(workflow).success).toBe(true)
    },
  )

  it('has unique keys and covers the issue’s four workflows', () => {
    expect(BUILTIN_WORKFLOWS.map((workflow) => workflow.key)).toEqual([
      'inbound-inquiry',
      'csat-survey',
      'customer-enrichment',
      'service-hygiene',
    ])
  })

  it('inbound-inquiry replies, drafts for approval or hands off according to the decision', () => {
    const inbound = BUILTIN_WORKFLOWS[0]
    const actions = inbound.steps.flatMap((step) => (step.type === 'action' ? [step.action] : []))
    expect(actions).toEqual(expect.arrayContaining(['reply', 'draft_for_approval', 'hand_off']))
    expect(inbound.steps.slice(0, 2).map((step) => step.type)).toEqual(['perceive', 'reason'])
  })

  it('csat-survey waits an hour, asks in both languages, and follows a low score up', () => {
    const csat = BUILTIN_WORKFLOWS[1]
    expect(csat.trigger).toEqual({ type: 'conversation.resolved' })
    expect(csat.steps[0]).toMatchObject({ type: 'wait', duration: 'PT1H' })
    const survey = csat.steps.find((step) => step.type === 'action' && step.action === 'send_survey')
    expect(survey).toMatchObject({ input: { survey: 'csat', scale: { min: 1, max: 5 } } })
    expect(csat.steps.find((step) => step.type === 'branch' && step.id === 'low-score')).toMatchObject({
      condition: { field: 'survey.score', op: 'lte', value: 2 },
    })
  })

  it('customer-enrichment suggests duplicates and never merges', () => {
    const steps = JSON.stringify(BUILTIN_WORKFLOWS[2].steps)
    expect(steps).toContain('"onDuplicate":"suggest"')
    expect(steps).not.toContain('merge')
  })
})

describe('parseWorkflowFile', () => {
  const definition = base() as unknown as WorkflowDefinition

  it('reads the same workflow from JSON and from YAML', () => {
    const fromJson = parseWorkflowFile(JSON.stringify(definition), 'json')
    const fromYaml = parseWorkflowFile(stringify(definition), 'yaml')
    expect(fromJson.ok).toBe(true)
    expect(fromYaml).toEqual(fromJson)
  })

  it('reports YAML syntax errors with their line, and duplicate keys', () => {
    const result = parseWorkflowFile('key: a\nname: A\nkey: b\n', 'yaml')
    expect(result).toEqual({
      ok: false,
      issues: [{ path: '', message: expect.stringMatching(/^not valid YAML: line 3, column 1: .*unique/) }],
    })
  })

  it('reports invalid JSON', () => {
    expect(parseWorkflowFile('{"key": ', 'json')).toEqual({
      ok: false,
      issues: [{ path: '', message: expect.stringMatching(/^not valid JSON/) }],
    })
  })

  it('keeps YAML 1.2 core types: yes stays text', () => {
    const text = stringify({ ...definition, name: 'yes' }).replace("name: 'yes'", 'name: yes')
    const result = parseWorkflowFile(text, 'yaml')
    expect(result.ok && result.workflow.name).toBe('yes')
  })

  it('reports every problem of a YAML file with paths', () => {
    const text = [
      'key: broken',
      'name: Broken',
      'trigger: { type: message.received }',
      'steps:',
      '  - { id: perceive, type: perceive, next: reasn }',
      '  - { id: reason, type: reason }',
      '  - { id: reply, type: action, action: reply, input: { template: "{{oops" } }',
    ].join('\n')
    const result = parseWorkflowFile(text, 'yaml')
    expect(result.ok).toBe(false)
    expect(result.ok ? [] : result.issues.map((issue) => issue.path)).toEqual([
      'steps[0].next',
      'steps[1].id',
      'steps[2].input.template',
      'steps[2].id',
    ])
  })

  it('refuses a file that is too large', () => {
    expect(parseWorkflowFile(' '.repeat(300 * 1024), 'yaml')).toMatchObject({
      ok: false,
      issues: [{ path: '', message: expect.stringMatching(/characters; at most/) }],
    })
  })

  it('turns issues into WORKFLOW_INVALID with every issue in details', () => {
    const error = workflowInvalidError(
      [
        { path: 'key', message: 'a' },
        { path: 'name', message: 'b' },
        { path: 'steps[0].id', message: 'c' },
        { path: 'steps[1].id', message: 'd' },
      ],
      'flow.yaml',
    )
    expect(error.code).toBe('WORKFLOW_INVALID')
    expect(error.status).toBe(400)
    expect(error.message).toBe(
      'invalid workflow flow.yaml, 4 problems: key: a; name: b; steps[0].id: c (and 1 more)',
    )
    expect((error.details as { issues: unknown[] }).issues).toHaveLength(4)
  })
})
