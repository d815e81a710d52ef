/**
 * Evaluating the agent on labelled scenarios (CONTRACTS `agent evaluate`) and tuning its answer threshold
 * (`agent calibrate`). Pure: the caller runs the agent and hands the decisions in.
 *
 * - `auto_resolution`: the share of messages the agent closes without a person — it answers, asks a
 *   clarifying question, or rightly stays quiet (a drafted answer waiting for approval and a hand-off both
 *   involve a person);
 * - `answer_precision`: of the messages answered automatically, the share where an answer was expected
 *   and the primary citation is the expected article (`expected_article`, matched on the external id);
 * - `handoff_recall`: of the messages that should go to a person, the share handed off;
 * - `person_request_recall`: the same for explicit requests for a person (the floor is 100%);
 * - `unanswerable_answered`: answers given to messages the knowledge base cannot answer (stretch: 0);
 * - `draft_precision`: of the drafts left for approval, the share citing the expected article first.
 */
import { z } from 'zod'
import { AppError } from '../core/index.js'
import {
  DEFAULT_CONFIDENCE_MODEL,
  confidenceOf,
  fitConfidenceModel,
  type ConfidenceModel,
  type Signals,
} from './confidence.js'
import { DECISION_ACTIONS, type Decision, type DecisionAction } from './decision.js'

export const scenarioSchema = z.object({
  id: z.string().min(1),
  text: z.string(),
  language: z.enum(['zh', 'en']).optional(),
  expected_action: z.enum(DECISION_ACTIONS),
  expected_article: z.string().default('none'),
  handoff_reason: z.string().optional(),
  intent: z.string().optional(),
  split: z.enum(['tune', 'test']).optional(),
})
export type Scenario = z.infer<typeof scenarioSchema>

/** Parses a JSONL scenario file; every bad line is named in one error. */
export function parseScenarios(text: string, source = 'scenarios'): Scenario[] {
  const scenarios: Scenario[] = []
  const problems: string[] = []
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return
    try {
      const parsed = scenarioSchema.safeParse(JSON.parse(line))
      if (parsed.success) scenarios.push(parsed.data)
      else
        problems.push(
          `line ${index + 1}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        )
    } catch (error) {
      problems.push(`line ${index + 1}: not valid JSON (${(error as Error).message})`)
    }
  })
  if (problems.length > 0) {
    throw new AppError(
      'AGENT_INVALID_SCENARIOS',
      `${source} has ${problems.length} bad line(s): ${problems.slice(0, 5).join(' | ')}`,
      {
        details: { problems: problems.slice(0, 50) },
      },
    )
  }
  if (scenarios.length === 0) {
    throw new AppError(
      'AGENT_INVALID_SCENARIOS',
      `${source} holds no scenarios: give JSON lines with text and expected_action`,
    )
  }
  return scenarios
}

export interface ScenarioOutcome {
  readonly scenario: Scenario
  readonly decision: Pick<Decision, 'action' | 'confidence' | 'citations' | 'handOffReason' | 'signals'>
}

export interface AgentEvaluation {
  n: number
  auto_resolution: number
  answer_precision: number
  handoff_recall: number
  person_request_recall: number
  unanswerable_answered: number
  /** Of the drafts left for approval, the share citing the expected article first (what a reviewer gets). */
  draft_precision: number
  actions: Record<DecisionAction, number>
  /** expected action → the agent's action → count. */
  confusion: Record<string, Record<string, number>>
  errors: { id: string; text: string; expected: string; got: string; primary: string | null }[]
}

const AUTO: readonly DecisionAction[] = ['answer', 'ask_clarifying', 'no_reply']

function primaryOf(outcome: ScenarioOutcome): string | null {
  const primary = outcome.decision.citations[0]
  return primary ? (primary.externalId ?? primary.articleId) : null
}

function correctAnswer(outcome: ScenarioOutcome): boolean {
  return (
    outcome.scenario.expected_action === 'answer' && primaryOf(outcome) === outcome.scenario.expected_article
  )
}

/** The report of `agent evaluate`. */
export function evaluateScenarios(outcomes: readonly ScenarioOutcome[]): AgentEvaluation {
  const actions = Object.fromEntries(DECISION_ACTIONS.map((action) => [action, 0])) as Record<
    DecisionAction,
    number
  >
  const confusion: Record<string, Record<string, number>> = {}
  const errors: AgentEvaluation['errors'] = []
  let auto = 0
  let answered = 0
  let correct = 0
  let handoffs = 0
  let handedOff = 0
  let personRequests = 0
  let personHandedOff = 0
  let unanswerable = 0
  let drafts = 0
  let goodDrafts = 0
  for (const outcome of outcomes) {
    const { scenario, decision } = outcome
    actions[decision.action]++
    const row = (confusion[scenario.expected_action] ??= {})
    row[decision.action] = (row[decision.action] ?? 0) + 1
    const rightlyQuiet = decision.action !== 'answer' && decision.action === scenario.expected_action
    if (decision.action === 'answer' || (AUTO.includes(decision.action) && rightlyQuiet)) auto++
    if (decision.action === 'answer') {
      answered++
      if (correctAnswer(outcome)) correct++
      if (scenario.expected_action === 'hand_off' && scenario.expected_article === 'none') unanswerable++
    }
    if (decision.action === 'answer_with_approval') {
      drafts++
      if (primaryOf(outcome) === scenario.expected_article) goodDrafts++
    }
    if (scenario.expected_action === 'hand_off') {
      handoffs++
      if (decision.action === 'hand_off') handedOff++
      if (scenario.handoff_reason === 'customer_asked_for_person') {
        personRequests++
        if (decision.action === 'hand_off') personHandedOff++
      }
    }
    const wrong =
      decision.action !== scenario.expected_action ||
      (decision.action === 'answer' && !correctAnswer(outcome))
    if (wrong)
      errors.push({
        id: scenario.id,
        text: scenario.text,
        expected: `${scenario.expected_action}${scenario.expected_article !== 'none' ? ` ${scenario.expected_article}` : ''}`,
        got: `${decision.action}${decision.handOffReason ? ` (${decision.handOffReason})` : ''} ${decision.confidence.toFixed(2)}`,
        primary: primaryOf(outcome),
      })
  }
  const n = outcomes.length
  const fraction = (a: number, b: number) => (b === 0 ? 0 : a / b)
  return {
    n,
    auto_resolution: fraction(auto, n),
    answer_precision: fraction(correct, answered),
    handoff_recall: fraction(handedOff, handoffs),
    person_request_recall: personRequests === 0 ? 1 : fraction(personHandedOff, personRequests),
    unanswerable_answered: unanswerable,
    draft_precision: fraction(goodDrafts, drafts),
    actions,
    confusion,
    errors,
  }
}

export interface CalibrationResult {
  /** The chosen answer threshold. */
  answer: number
  target_precision: number
  tune: { n: number; answer_precision: number; auto_resolution: number; answered: number }
  /** Every candidate threshold tried, for the record. */
  curve: { threshold: number; answer_precision: number; auto_resolution: number }[]
}

/**
 * Chooses the answer threshold on tuning outcomes (decided with the answer threshold at 0, so every
 * would-be answer is an `answer` with its confidence): the lowest threshold whose answer precision reaches
 * `target`, which maximises auto-resolution at that precision. Answers below it become drafts for approval.
 */
export function calibrateAnswerThreshold(
  outcomes: readonly ScenarioOutcome[],
  target: number,
): CalibrationResult {
  const candidates = [
    ...new Set(outcomes.filter((o) => o.decision.action === 'answer').map((o) => o.decision.confidence)),
  ].sort((a, b) => a - b)
  const n = outcomes.length
  const quiet = outcomes.filter(
    (o) =>
      o.decision.action !== 'answer' &&
      AUTO.includes(o.decision.action) &&
      o.decision.action === o.scenario.expected_action,
  ).length
  const curve: CalibrationResult['curve'] = []
  let chosen: { threshold: number; precision: number; auto: number; answered: number } | null = null
  for (const threshold of [...candidates, 1.01]) {
    const answers = outcomes.filter(
      (o) => o.decision.action === 'answer' && o.decision.confidence >= threshold,
    )
    const correct = answers.filter(correctAnswer).length
    const precision = answers.length === 0 ? 1 : correct / answers.length
    const auto = n === 0 ? 0 : (answers.length + quiet) / n
    curve.push({ threshold, answer_precision: precision, auto_resolution: auto })
    if (!chosen && precision >= target) chosen = { threshold, precision, auto, answered: answers.length }
  }
  const pick = chosen ?? { threshold: 1.01, precision: 1, auto: n === 0 ? 0 : quiet / n, answered: 0 }
  return {
    answer: Math.round(pick.threshold * 1000) / 1000,
    target_precision: target,
    tune: { n, answer_precision: pick.precision, auto_resolution: pick.auto, answered: pick.answered },
    curve,
  }
}

/** The answer precision `agent calibrate` aims for unless told otherwise. */
export const DEFAULT_TARGET_PRECISION = 0.95

export interface AgentCalibration extends CalibrationResult {
  readonly confidenceModel: ConfidenceModel
  /** Tuning examples the model was fitted on (answers with a primary passage). */
  readonly fitted_on: number
  /**
   * What the calibration is likely to give on messages it was not fitted on: model and threshold fitted on
   * 4/5 of the tuning outcomes and scored on the rest, over 5 folds × 10 seeded shuffles. The tuning
   * figures (`tune`) are optimistic because the threshold is the lowest that reaches the target there.
   */
  readonly cross_validated: { answer_precision: number; auto_resolution: number; answered: number }
}

/** A small seeded generator (an LCG) for the cross-validation shuffles: same folds on every run. */
function seeded(seed: number): () => number {
  let state = seed % 2147483648
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

/** See `AgentCalibration.cross_validated`. */
export function crossValidateCalibration(
  outcomes: readonly ScenarioOutcome[],
  target: number,
  options: { folds?: number; repeats?: number } = {},
): AgentCalibration['cross_validated'] {
  const folds = options.folds ?? 5
  const repeats = options.repeats ?? 10
  let n = 0
  let auto = 0
  let answered = 0
  let correct = 0
  for (let repeat = 0; repeat < repeats; repeat++) {
    const random = seeded(7919 * repeat + 17)
    const order = outcomes
      .map((outcome) => ({ outcome, key: random() }))
      .sort((a, b) => a.key - b.key)
      .map(({ outcome }) => outcome)
    for (let fold = 0; fold < folds; fold++) {
      const held = order.filter((_, index) => index % folds === fold)
      const fitted = fitAndCalibrate(
        order.filter((_, index) => index % folds !== fold),
        target,
      )
      for (const outcome of held) {
        n++
        const { action, signals } = outcome.decision
        if (action !== 'answer') {
          if (AUTO.includes(action) && action === outcome.scenario.expected_action) auto++
          continue
        }
        if (!signals || confidenceOf(signals as Signals, fitted.confidenceModel) < fitted.answer) continue
        auto++
        answered++
        if (correctAnswer(outcome)) correct++
      }
    }
  }
  return {
    answer_precision: answered === 0 ? 1 : correct / answered,
    auto_resolution: n === 0 ? 0 : auto / n,
    answered: Math.round(answered / repeats),
  }
}

/**
 * `agent calibrate`: fits the answer-confidence model on tuning outcomes decided with both thresholds at 0
 * (so every message with a good passage is an answer, with its signals), rescores them with the fitted
 * model, and picks the answer threshold that reaches `target` precision (`calibrateAnswerThreshold`).
 */
export function calibrateAgent(outcomes: readonly ScenarioOutcome[], target: number): AgentCalibration {
  return { ...fitAndCalibrate(outcomes, target), cross_validated: crossValidateCalibration(outcomes, target) }
}

function fitAndCalibrate(
  outcomes: readonly ScenarioOutcome[],
  target: number,
): Omit<AgentCalibration, 'cross_validated'> {
  const examples = outcomes
    .filter((o) => o.decision.action === 'answer' && o.decision.signals)
    .map((o) => ({ signals: o.decision.signals as Signals, correct: correctAnswer(o) }))
  const confidenceModel = examples.length >= 10 ? fitConfidenceModel(examples) : DEFAULT_CONFIDENCE_MODEL
  const rescored = outcomes.map((o) =>
    o.decision.action === 'answer' && o.decision.signals
      ? {
          ...o,
          decision: {
            ...o.decision,
            confidence: confidenceOf(o.decision.signals as Signals, confidenceModel),
          },
        }
      : o,
  )
  return { ...calibrateAnswerThreshold(rescored, target), confidenceModel, fitted_on: examples.length }
}
