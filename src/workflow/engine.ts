/**
 * The workflow engine (issue 5, item 5): durable runs of workflow definitions, one step at a time, through
 * the job queue.
 *
 * - A trigger creates one run per enabled workflow (at most once per trigger key: a redelivered message
 *   starts nothing new) and enqueues `workflow.advance`.
 * - Advancing runs the current step and records its completion with a compare-and-set on the run's current
 *   step, so a job delivered twice advances once. Action steps run with the idempotency key
 *   `<run>:<step>`: their effects commit together with the action's result, and a step re-run after a crash
 *   replays the stored result instead of acting again (exactly-once effects over at-least-once jobs).
 * - A failing step is retried with exponential backoff and jitter up to `maxAttempts`, then the run fails
 *   visibly (status `failed`, the error, a notification) and can be retried from that step or cancelled.
 * - `wait` steps become timers (delayed jobs, so they survive restarts) or waits for an event on the run's
 *   conversation or customer; `approval` steps draft for approval and wait for the decision.
 */
import { AppError, isAppError, type Clock } from '../core/index.js'
import { evaluateCondition, type ConditionOptions } from '../crm/conditions/index.js'
import { parseIsoDuration } from './schedule.js'
import { retryDelayMs, type Queue, type QueueJob } from './queue-port.js'
import type { WorkflowDefinition, WorkflowStep, WorkflowTrigger, TriggerType } from './schema.js'

export const RUN_STATUSES = ['running', 'waiting', 'done', 'failed', 'cancelled'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

/** What started a run: the ids of its subject (facts are loaded from them). */
export interface RunSubject {
  readonly messageId?: string | null
  readonly conversationId?: string | null
  readonly customerId?: string | null
  readonly orderId?: string | null
  readonly eventName?: string | null
}

export interface WaitingFor {
  readonly stepId: string
  /** A timer: resume at this time. */
  readonly until?: string
  /** An event on the run's conversation or customer. */
  readonly event?: string
  readonly approvalId?: string
}

export interface RunRecord {
  readonly id: string
  readonly workflowId: string
  readonly workflowKey: string
  readonly workflowVersion: number
  readonly definition: WorkflowDefinition
  readonly trigger: { readonly type: TriggerType } & RunSubject
  readonly status: RunStatus
  readonly currentStep: string | null
  readonly facts: Readonly<Record<string, unknown>>
  readonly attempt: number
  readonly waitingFor: WaitingFor | null
  readonly error: string | null
  readonly customerId: string | null
  readonly conversationId: string | null
  readonly messageId: string | null
  readonly createdAt: string
  readonly updatedAt: string
  readonly finishedAt: string | null
}

export interface StepResult {
  readonly output: Readonly<Record<string, unknown>> | null
  /** Facts added by the step (merged into the run's facts). */
  readonly facts?: Readonly<Record<string, unknown>>
  readonly next: string | null
}

/** A branch step evaluated right after the step before it (see `RunStore.completeStep`). */
export interface ChainedBranch {
  readonly id: string
  readonly output: { readonly holds: boolean }
  readonly next: string | null
}

/** Run persistence (implemented by store/workflow/runs-repository.ts). */
export interface RunStore {
  create(input: {
    workflowId: string
    workflowKey: string
    workflowVersion: number
    definition: WorkflowDefinition
    trigger: { type: TriggerType } & RunSubject
    triggerKey: string | null
    facts: Record<string, unknown>
    firstStep: string | null
  }): Promise<{ run: RunRecord; duplicate: boolean }>
  get(id: string): Promise<RunRecord | null>
  /**
   * Records step `stepId` of a running run as finished and moves the run on — only if it is still the run's
   * current step (false when another worker got there first). One transaction.
   */
  completeStep(
    runId: string,
    step: { id: string; type: string },
    result: StepResult & {
      status: 'done' | 'waiting'
      waitingFor?: WaitingFor | null
      /**
       * Branch steps that followed this one, evaluated on the run's facts as they now stand: recorded in the
       * same transaction, in order; the run moves on to the last one's `next`.
       */
      branches?: readonly ChainedBranch[]
      /** The run ends here (no next step): it is `done` in the same transaction. */
      finish?: boolean
    },
  ): Promise<boolean>
  /** Records a failed attempt (`final` fails the run); false when the step is no longer current. */
  recordFailure(
    runId: string,
    step: { id: string; type: string },
    error: string,
    attempt: number,
    final: boolean,
  ): Promise<boolean>
  /** Moves a waiting run on past its wait step (compare-and-set on the step). */
  resume(runId: string, stepId: string, facts: Record<string, unknown>, next: string | null): Promise<boolean>
  setStatus(
    runId: string,
    from: readonly RunStatus[],
    to: RunStatus,
    patch?: { attempt?: number; error?: string | null },
  ): Promise<boolean>
  waiting(event: string, subject: RunSubject): Promise<RunRecord[]>
}

/** The enabled workflows for a trigger, and one by key (implemented over the workflows repository). */
export interface WorkflowSource {
  enabled(
    trigger: TriggerType,
  ): Promise<{ id: string; key: string; version: number; definition: WorkflowDefinition }[]>
  find(idOrKey: string): Promise<{
    id: string
    key: string
    version: number
    definition: WorkflowDefinition
    enabled: boolean
  } | null>
}

/** What steps do in the world (wired in app.ts over the agent and the executor). */
export interface StepServices {
  /** Facts of a run's subject: message.*, conversation.*, customer.*, order.* … */
  subjectFacts(subject: RunSubject): Promise<Record<string, unknown>>
  perceive(facts: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>>
  reason(facts: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>>
  action(
    name: string,
    input: Readonly<Record<string, unknown>>,
    context: { idempotencyKey: string; facts: Readonly<Record<string, unknown>> },
  ): Promise<Record<string, unknown>>
  webhook(
    step: Extract<WorkflowStep, { type: 'webhook' }>,
    facts: Readonly<Record<string, unknown>>,
  ): Promise<Record<string, unknown>>
  conditionOptions(): Promise<ConditionOptions>
  /** A run failed for good: tell the team. */
  notifyFailure(run: RunRecord, error: string): Promise<void>
  /**
   * The subjects a scheduled workflow with `forEach` runs for at `now`: the open and pending conversations
   * that satisfy `where`. Absent: scheduled workflows with `forEach` start nothing.
   */
  scheduleSubjects?(
    forEach: NonNullable<Extract<WorkflowTrigger, { type: 'schedule' }>['forEach']>,
    now: Date,
  ): Promise<RunSubject[]>
}

export const ADVANCE_JOB = 'workflow.advance'
export const RESUME_JOB = 'workflow.resume'
/** A scheduled workflow's tick for one cron slot (enqueued by src/workflow/scheduler.ts). */
export const SCHEDULE_JOB = 'workflow.schedule'

export function createEngine(options: {
  runs: RunStore
  workflows: WorkflowSource
  queue: () => Queue
  services: StepServices
  clock: Clock
  maxAttempts?: number
  /** Steps one `workflow.advance` job runs before it hands the run on to a new job (default 50). */
  maxStepsPerJob?: number
  random?: () => number
}) {
  const { runs, workflows, services, clock } = options
  const maxAttempts = options.maxAttempts ?? 5
  const maxStepsPerJob = Math.max(1, options.maxStepsPerJob ?? 50)
  const random = options.random ?? Math.random

  async function schedule(runId: string, key: string, runAt?: Date): Promise<void> {
    await options.queue().enqueue(ADVANCE_JOB, { runId }, { idempotencyKey: key, runAt, maxAttempts: 3 })
  }

  async function start(
    workflow: { id: string; key: string; version: number; definition: WorkflowDefinition },
    trigger: { type: TriggerType } & RunSubject,
    triggerKey: string | null,
    extraFacts: Readonly<Record<string, unknown>> = {},
  ) {
    const facts = { ...(await services.subjectFacts(trigger)), ...extraFacts }
    const { run, duplicate } = await runs.create({
      workflowId: workflow.id,
      workflowKey: workflow.key,
      workflowVersion: workflow.version,
      definition: workflow.definition,
      trigger,
      triggerKey,
      facts,
      firstStep: workflow.definition.steps[0]?.id ?? null,
    })
    if (!duplicate) await schedule(run.id, `${run.id}:start`)
    return { run, duplicate }
  }

  /**
   * Starts a run of every enabled workflow with this trigger; `key` makes a redelivery start nothing.
   * `facts` (ids and scalars such as `survey.score`) join the new runs' facts and those of the runs that
   * were waiting for this event on the same conversation or customer.
   */
  async function trigger(
    type: TriggerType,
    subject: RunSubject,
    key: string | null = null,
    facts: Readonly<Record<string, unknown>> = {},
  ) {
    const started = []
    for (const workflow of await workflows.enabled(type)) {
      const filter = workflow.definition.trigger
      if (filter.type === 'event.tracked' && filter.eventName && filter.eventName !== subject.eventName)
        continue
      started.push(await start(workflow, { type, ...subject }, key, facts))
    }
    for (const run of await runs.waiting(type, subject)) await resumeWait(run, type, facts)
    return started
  }

  /**
   * One tick of a scheduled workflow for the cron slot `slot` (the `workflow.schedule` job): one run, or
   * with `forEach` one run per matching conversation, each keyed on the slot so a tick delivered twice
   * starts nothing new.
   */
  async function scheduled(idOrKey: string, slot: string) {
    const workflow = await workflows.find(idOrKey)
    if (!workflow || !workflow.enabled) return []
    const trigger = workflow.definition.trigger
    if (trigger.type !== 'schedule') return []
    if (!trigger.forEach) return [await start(workflow, { type: 'schedule' }, `schedule:${slot}`)]
    const subjects = (await services.scheduleSubjects?.(trigger.forEach, clock.now())) ?? []
    const started = []
    for (const subject of subjects) {
      started.push(
        await start(workflow, { type: 'schedule', ...subject }, `schedule:${slot}:${subject.conversationId}`),
      )
    }
    return started
  }

  /** `workflow run KEY`: a manual run, whatever the workflow's trigger. */
  async function runManually(idOrKey: string, subject: RunSubject) {
    const workflow = await workflows.find(idOrKey)
    if (!workflow)
      throw new AppError(
        'WORKFLOW_NOT_FOUND',
        `workflow "${idOrKey}" does not exist; see \`agentcrm workflow list\``,
      )
    return (await start(workflow, { type: 'manual', ...subject }, null)).run
  }

  async function execute(
    run: RunRecord,
    step: WorkflowStep,
  ): Promise<{ result: StepResult; waitingFor?: WaitingFor }> {
    const facts = run.facts
    switch (step.type) {
      case 'perceive':
        return { result: { output: null, facts: await services.perceive(facts), next: step.next ?? null } }
      case 'reason':
        return { result: { output: null, facts: await services.reason(facts), next: step.next ?? null } }
      case 'action': {
        const output = await services.action(step.action, step.input as Record<string, unknown>, {
          idempotencyKey: `${run.id}:${step.id}`,
          facts,
        })
        return { result: { output, next: step.next ?? null } }
      }
      case 'branch': {
        const holds = evaluateCondition(step.condition, facts, await services.conditionOptions())
        return { result: { output: { holds }, next: (holds ? step.then : step.else) ?? null } }
      }
      case 'webhook': {
        const output = await services.webhook(step, facts)
        return { result: { output, facts: { webhook: output }, next: step.next ?? null } }
      }
      case 'wait': {
        if ('duration' in step && step.duration) {
          const parsed = parseIsoDuration(step.duration)
          const ms = parsed.ok ? parsed.value : 0
          const until = new Date(clock.now().getTime() + ms).toISOString()
          return {
            result: { output: { until }, next: step.next ?? null },
            waitingFor: { stepId: step.id, until },
          }
        }
        const event = (step as { until?: string }).until ?? 'message.received'
        // a wait for an event with a timeout also holds a timer: whichever comes first moves the run on
        const timeout = (step as { timeout?: string }).timeout
        const parsed = timeout ? parseIsoDuration(timeout) : null
        const until = parsed?.ok ? new Date(clock.now().getTime() + parsed.value).toISOString() : undefined
        return {
          result: { output: { event, ...(until ? { until } : {}) }, next: step.next ?? null },
          waitingFor: { stepId: step.id, event, ...(until ? { until } : {}) },
        }
      }
      case 'approval': {
        const output = await services.action(
          'draft_for_approval',
          {},
          { idempotencyKey: `${run.id}:${step.id}`, facts },
        )
        const approvalId = typeof output.approvalId === 'string' ? output.approvalId : undefined
        return {
          result: { output, next: step.next ?? null },
          waitingFor: { stepId: step.id, event: 'approval.decided', ...(approvalId ? { approvalId } : {}) },
        }
      }
    }
  }

  /**
   * Runs the current step of a run and moves it on (the `workflow.advance` job) — and the steps after it in
   * the same job, up to `maxStepsPerJob`, until the run waits, ends or fails. Each step still commits its
   * completion (and its effects) before the next one starts, so a crash mid-way resumes at the first step not
   * committed, exactly as with one job per step; what is saved is a queue round trip per step.
   */
  async function advance(runId: string): Promise<void> {
    let run = await runs.get(runId)
    for (let taken = 0; run && run.status === 'running'; taken++) {
      const next = await advanceOne(run)
      if (next === null) return
      if (taken + 1 >= maxStepsPerJob) {
        await schedule(run.id, `${run.id}:${next.currentStep}`)
        return
      }
      run = next
    }
  }

  /** One step; returns the run as it now stands when it goes straight on to another step, else null. */
  async function advanceOne(run: RunRecord): Promise<RunRecord | null> {
    const step = run.definition.steps.find((candidate) => candidate.id === run.currentStep)
    if (!step) {
      await runs.setStatus(run.id, ['running'], 'done')
      return null
    }
    let outcome: { result: StepResult; waitingFor?: WaitingFor }
    try {
      outcome = await execute(run, step)
    } catch (error) {
      const text = isAppError(error)
        ? `${error.code}: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error)
      const attempt = run.attempt + 1
      const final = attempt >= maxAttempts || (isAppError(error) && error.kind === 'user')
      if (!(await runs.recordFailure(run.id, step, text, attempt, final))) return null
      if (final) await services.notifyFailure({ ...run, status: 'failed', error: text }, text)
      else
        await schedule(
          run.id,
          `${run.id}:${step.id}:retry:${attempt}`,
          new Date(clock.now().getTime() + retryDelayMs(attempt, random)),
        )
      return null
    }
    const waiting = outcome.waitingFor ?? null
    const facts = { ...run.facts, ...(outcome.result.facts ?? {}) }
    // Branches only read facts: those that follow are decided now and recorded with this step's completion
    // (one transaction instead of one each); the run ends in the same write when nothing follows.
    const branches = waiting ? [] : await followingBranches(run.definition, outcome.result.next, facts)
    const next = branches.length > 0 ? branches[branches.length - 1]!.next : outcome.result.next
    const finish = !waiting && next === null
    const moved = await runs.completeStep(run.id, step, {
      ...outcome.result,
      status: waiting ? 'waiting' : 'done',
      waitingFor: waiting,
      ...(branches.length > 0 ? { branches } : {}),
      ...(finish ? { finish } : {}),
    })
    if (!moved) return null
    if (waiting?.until) {
      await options.queue().enqueue(
        RESUME_JOB,
        { runId: run.id, stepId: step.id },
        {
          idempotencyKey: `${run.id}:${step.id}:timer`,
          runAt: new Date(waiting.until),
        },
      )
      return null
    }
    if (waiting || finish) return null
    // what completeStep committed: the facts merged, the next step current, attempts reset
    return { ...run, facts, currentStep: next, attempt: 0, error: null }
  }

  /**
   * The branch steps from `stepId` on, decided in memory until a step that is not a branch. A condition
   * that cannot be evaluated stops the chain there: that branch then runs as a step of its own and fails
   * (or retries) visibly.
   */
  async function followingBranches(
    definition: WorkflowDefinition,
    stepId: string | null,
    facts: Readonly<Record<string, unknown>>,
  ): Promise<ChainedBranch[]> {
    const branches: ChainedBranch[] = []
    let conditionOptions: ConditionOptions | null = null
    const seen = new Set<string>()
    for (let id = stepId; id !== null && !seen.has(id);) {
      seen.add(id)
      const step = definition.steps.find((candidate) => candidate.id === id)
      if (!step || step.type !== 'branch') break
      let holds: boolean
      try {
        conditionOptions ??= await services.conditionOptions()
        holds = evaluateCondition(step.condition, facts, conditionOptions)
      } catch {
        break
      }
      id = (holds ? step.then : step.else) ?? null
      branches.push({ id: step.id, output: { holds }, next: id })
    }
    return branches
  }

  async function resumeWait(run: RunRecord, event: string, facts: Record<string, unknown> = {}) {
    const waitingFor = run.waitingFor
    if (!waitingFor) return
    const step = run.definition.steps.find((candidate) => candidate.id === waitingFor.stepId)
    const next = step && 'next' in step ? (step.next ?? null) : null
    // a wait can last hours: what comes after reads the subject as it is now (still resolved? reopened?)
    const fresh = await services.subjectFacts(run.trigger)
    const resumed = { ...fresh, ...facts, 'wait.event': event }
    if (!(await runs.resume(run.id, waitingFor.stepId, resumed, next))) return
    if (next === null) await runs.setStatus(run.id, ['running'], 'done')
    else await schedule(run.id, `${run.id}:${next}`)
  }

  /** The queue's handler: advance runs, fire timers. */
  async function handle(job: QueueJob): Promise<void> {
    const payload = job.payload as { runId?: string; stepId?: string; workflow?: string; slot?: string }
    if (job.name === SCHEDULE_JOB) {
      if (payload?.workflow && payload.slot) await scheduled(payload.workflow, payload.slot)
      return
    }
    if (!payload?.runId) return
    if (job.name === ADVANCE_JOB) await advance(payload.runId)
    else if (job.name === RESUME_JOB) {
      const run = await runs.get(payload.runId)
      if (run && run.status === 'waiting' && run.waitingFor?.stepId === payload.stepId)
        await resumeWait(run, 'timer')
    }
  }

  /** An approval was decided: the runs waiting for it move on. */
  async function approvalDecided(approvalId: string, conversationId: string | null, status: string) {
    for (const run of await runs.waiting('approval.decided', { conversationId })) {
      if (run.waitingFor?.approvalId && run.waitingFor.approvalId !== approvalId) continue
      await resumeWait(run, 'approval.decided', { 'approval.status': status })
    }
  }

  async function cancel(runId: string): Promise<boolean> {
    return runs.setStatus(runId, ['running', 'waiting', 'failed'], 'cancelled')
  }

  /** A failed run starts again at the step that failed, with fresh attempts. */
  async function retry(runId: string): Promise<boolean> {
    const ok = await runs.setStatus(runId, ['failed'], 'running', { attempt: 0, error: null })
    if (ok) await schedule(runId, `${runId}:retry:${clock.now().getTime()}`)
    return ok
  }

  return { trigger, runManually, scheduled, advance, handle, approvalDecided, cancel, retry }
}

export type Engine = ReturnType<typeof createEngine>
