import { describe, expect, it } from 'vitest'
import { isAppError } from '../core/index.js'
import type { Citation, DecisionAction, HandOffReason } from './decision.js'
import { SIGNALS, type Signals } from './confidence.js'
import {
  calibrateAgent,
  calibrateAnswerThreshold,
  crossValidateCalibration,
  evaluateScenarios,
  parseScenarios,
  type Scenario,
  type ScenarioOutcome,
} from './evaluation.js'

function cite(externalId: string | null, articleId = `art_${externalId ?? 'x'}`): Citation {
  return { externalId, articleId, title: 't', passage: 'p', score: 0.5 }
}

/** One labelled scenario and what the agent did with it. */
function outcome(
  scenario: Partial<Scenario> & Pick<Scenario, 'id' | 'expected_action'>,
  action: DecisionAction,
  confidence: number,
  citations: Citation[] = [],
  handOffReason: HandOffReason | null = null,
): ScenarioOutcome {
  return {
    scenario: { text: `text of ${scenario.id}`, expected_article: 'none', ...scenario },
    decision: { action, confidence, citations, handOffReason },
  }
}

describe('evaluateScenarios', () => {
  const outcomes: ScenarioOutcome[] = [
    // Answered with the expected article.
    outcome({ id: 's1', expected_action: 'answer', expected_article: 'refunds-zh' }, 'answer', 0.9, [
      cite('refunds-zh'),
      cite('returns-zh'),
    ]),
    // Answered from the wrong article: counts as answered, not as correct.
    outcome({ id: 's2', expected_action: 'answer', expected_article: 'shipping-en' }, 'answer', 0.7, [
      cite('warranty-en'),
      cite('shipping-en'),
    ]),
    // Answered although the knowledge base cannot answer it.
    outcome({ id: 's3', expected_action: 'hand_off', handoff_reason: 'no_knowledge' }, 'answer', 0.5, [
      cite('coupons-en'),
    ]),
    outcome(
      { id: 's4', expected_action: 'hand_off', handoff_reason: 'customer_asked_for_person' },
      'hand_off',
      1,
      [],
      'customer_asked_for_person',
    ),
    // A person was asked for, and the agent only drafted.
    outcome(
      { id: 's5', expected_action: 'hand_off', handoff_reason: 'customer_asked_for_person' },
      'answer_with_approval',
      0.6,
      [cite('contact-us-en')],
    ),
    outcome({ id: 's6', expected_action: 'no_reply' }, 'no_reply', 1),
    // Asking when an answer was expected is not a resolution.
    outcome({ id: 's7', expected_action: 'answer', expected_article: 'warranty-zh' }, 'ask_clarifying', 0.5),
    outcome({ id: 's8', expected_action: 'ask_clarifying' }, 'ask_clarifying', 0.5),
    outcome(
      { id: 's9', expected_action: 'answer_with_approval', expected_article: 'refunds-en' },
      'answer_with_approval',
      0.55,
      [cite('refunds-en')],
    ),
    // A citation without an external id is matched on the internal id.
    outcome({ id: 's10', expected_action: 'answer', expected_article: 'art_01ABC' }, 'answer', 0.8, [
      cite(null, 'art_01ABC'),
    ]),
  ]

  it('computes auto-resolution, answer precision, hand-off recall and action counts exactly', () => {
    const report = evaluateScenarios(outcomes)
    expect(report.n).toBe(10)
    // s1, s2, s3, s10 answered; s6 rightly quiet; s8 rightly asked.
    expect(report.auto_resolution).toBe(0.6)
    // Of the 4 answers, s1 and s10 cite the expected article.
    expect(report.answer_precision).toBe(0.5)
    // s3, s4, s5 should go to a person; only s4 did.
    expect(report.handoff_recall).toBeCloseTo(1 / 3, 12)
    expect(report.person_request_recall).toBe(0.5)
    expect(report.unanswerable_answered).toBe(1)
    expect(report.actions).toEqual({
      answer: 4,
      answer_with_approval: 2,
      ask_clarifying: 2,
      hand_off: 1,
      no_reply: 1,
    })
    expect(report.confusion).toEqual({
      answer: { answer: 3, ask_clarifying: 1 },
      hand_off: { answer: 1, hand_off: 1, answer_with_approval: 1 },
      no_reply: { no_reply: 1 },
      ask_clarifying: { ask_clarifying: 1 },
      answer_with_approval: { answer_with_approval: 1 },
    })
  })

  it('lists each wrong decision with what was expected and what the agent did', () => {
    expect(evaluateScenarios(outcomes).errors).toEqual([
      {
        id: 's2',
        text: 'text of s2',
        expected: 'answer shipping-en',
        got: 'answer 0.70',
        primary: 'warranty-en',
      },
      { id: 's3', text: 'text of s3', expected: 'hand_off', got: 'answer 0.50', primary: 'coupons-en' },
      {
        id: 's5',
        text: 'text of s5',
        expected: 'hand_off',
        got: 'answer_with_approval 0.60',
        primary: 'contact-us-en',
      },
      {
        id: 's7',
        text: 'text of s7',
        expected: 'answer warranty-zh',
        got: 'ask_clarifying 0.50',
        primary: null,
      },
    ])
    const handOff = evaluateScenarios([
      outcome(
        { id: 'h', expected_action: 'answer', expected_article: 'a' },
        'hand_off',
        0.4,
        [],
        'low_confidence',
      ),
    ])
    expect(handOff.errors[0].got).toBe('hand_off (low_confidence) 0.40')
  })

  it('reports zeros for no scenarios, and full person-request recall when there were none', () => {
    expect(evaluateScenarios([])).toMatchObject({
      n: 0,
      auto_resolution: 0,
      answer_precision: 0,
      handoff_recall: 0,
      person_request_recall: 1,
      unanswerable_answered: 0,
      errors: [],
    })
  })
})

describe('calibrateAnswerThreshold', () => {
  // Decided with the answer threshold at 0: every would-be answer is an `answer` with its confidence.
  const tune: ScenarioOutcome[] = [
    outcome({ id: 'a', expected_action: 'answer', expected_article: 'A' }, 'answer', 0.9, [cite('A')]),
    outcome({ id: 'b', expected_action: 'answer', expected_article: 'B' }, 'answer', 0.8, [cite('B')]),
    outcome({ id: 'c', expected_action: 'answer', expected_article: 'C' }, 'answer', 0.7, [cite('X')]),
    outcome({ id: 'd', expected_action: 'answer', expected_article: 'D' }, 'answer', 0.6, [cite('D')]),
    outcome({ id: 'e', expected_action: 'hand_off' }, 'answer', 0.5, [cite('Y')]),
    outcome({ id: 'f', expected_action: 'no_reply' }, 'no_reply', 1),
    outcome({ id: 'g', expected_action: 'hand_off' }, 'hand_off', 0.5, [], 'no_knowledge'),
  ]

  it('picks the lowest threshold whose answer precision reaches the target', () => {
    const result = calibrateAnswerThreshold(tune, 0.95)
    expect(result.answer).toBe(0.8)
    expect(result.target_precision).toBe(0.95)
    expect(result.tune).toEqual({ n: 7, answer_precision: 1, auto_resolution: 3 / 7, answered: 2 })
  })

  it('records the precision and auto-resolution of every candidate threshold', () => {
    expect(calibrateAnswerThreshold(tune, 0.95).curve).toEqual([
      { threshold: 0.5, answer_precision: 3 / 5, auto_resolution: 6 / 7 },
      { threshold: 0.6, answer_precision: 3 / 4, auto_resolution: 5 / 7 },
      { threshold: 0.7, answer_precision: 2 / 3, auto_resolution: 4 / 7 },
      { threshold: 0.8, answer_precision: 1, auto_resolution: 3 / 7 },
      { threshold: 0.9, answer_precision: 1, auto_resolution: 2 / 7 },
      { threshold: 1.01, answer_precision: 1, auto_resolution: 1 / 7 },
    ])
  })

  it('takes a lower threshold for a lower target, even where precision dips above it', () => {
    const result = calibrateAnswerThreshold(tune, 0.7)
    expect(result.answer).toBe(0.6)
    expect(result.tune).toEqual({ n: 7, answer_precision: 0.75, auto_resolution: 5 / 7, answered: 4 })
    expect(calibrateAnswerThreshold(tune, 0.5).answer).toBe(0.5)
  })

  it('answers nothing automatically when no threshold is precise enough', () => {
    const wrong = [
      outcome({ id: 'w1', expected_action: 'answer', expected_article: 'A' }, 'answer', 0.9, [cite('B')]),
      outcome({ id: 'w2', expected_action: 'no_reply' }, 'no_reply', 1),
    ]
    const result = calibrateAnswerThreshold(wrong, 0.95)
    expect(result.answer).toBe(1.01)
    expect(result.tune).toEqual({ n: 2, answer_precision: 1, auto_resolution: 0.5, answered: 0 })
    expect(calibrateAnswerThreshold([], 0.9)).toMatchObject({
      answer: 1.01,
      tune: { n: 0, answer_precision: 1, auto_resolution: 0, answered: 0 },
    })
  })
})

describe('parseScenarios', () => {
  it('reads JSON lines, with expected_article defaulting to none', () => {
    const scenarios = parseScenarios(
      [
        JSON.stringify({
          id: 's1',
          text: '退款多久到账',
          expected_action: 'answer',
          expected_article: 'refunds-zh',
          split: 'test',
        }),
        '',
        JSON.stringify({
          id: 's2',
          text: '转人工',
          expected_action: 'hand_off',
          handoff_reason: 'customer_asked_for_person',
        }),
      ].join('\r\n'),
    )
    expect(scenarios).toEqual([
      {
        id: 's1',
        text: '退款多久到账',
        expected_action: 'answer',
        expected_article: 'refunds-zh',
        split: 'test',
      },
      {
        id: 's2',
        text: '转人工',
        expected_action: 'hand_off',
        expected_article: 'none',
        handoff_reason: 'customer_asked_for_person',
      },
    ])
  })

  it('names every bad line in one error', () => {
    const error = (() => {
      try {
        parseScenarios(
          [
            JSON.stringify({ id: 'ok', text: 'hi', expected_action: 'no_reply' }),
            '{"id": "broken"',
            JSON.stringify({ id: 'bad', text: 'hi', expected_action: 'shout' }),
          ].join('\n'),
          'my.jsonl',
        )
      } catch (caught) {
        return caught
      }
      return null
    })()
    expect(isAppError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'AGENT_INVALID_SCENARIOS' })
    expect((error as Error).message).toMatch(/^my\.jsonl has 2 bad line\(s\): line 2: not valid JSON/)
    const problems = (error as { details: { problems: string[] } }).details.problems
    expect(problems).toHaveLength(2)
    expect(problems[1]).toMatch(/^line 3: expected_action: /)
  })

  it('refuses a file with no scenarios', () => {
    expect(() => parseScenarios('\n\n', 'empty.jsonl')).toThrow('empty.jsonl holds no scenarios')
  })
})

describe('crossValidateCalibration', () => {
  const signals = (strength: number): Signals =>
    ({ ...Object.fromEntries(SIGNALS.map((signal) => [signal, 0])), strength }) as Signals
  /** An answer decided at threshold 0, right or wrong, with the given retrieval strength. */
  const answer = (id: string, right: boolean, strength: number): ScenarioOutcome => ({
    scenario: { id, text: id, expected_action: 'answer', expected_article: 'A' },
    decision: {
      action: 'answer',
      confidence: 0.5,
      citations: [cite(right ? 'A' : 'B')],
      handOffReason: null,
      signals: signals(strength),
    },
  })

  it('keeps the held-out precision when the signals separate right from wrong answers', () => {
    const outcomes = [
      ...Array.from({ length: 20 }, (_, i) => answer(`r${i}`, true, 1)),
      ...Array.from({ length: 10 }, (_, i) => answer(`w${i}`, false, 0)),
    ]
    const estimate = crossValidateCalibration(outcomes, 0.9)
    expect(estimate.answer_precision).toBe(1)
    expect(estimate.auto_resolution).toBeCloseTo(20 / 30, 10)
    // seeded: the same folds every time
    expect(crossValidateCalibration(outcomes, 0.9)).toEqual(estimate)
    expect(calibrateAgent(outcomes, 0.9).cross_validated).toEqual(estimate)
  })

  it('answers nothing on held-out messages when the signals say nothing about being right', () => {
    const outcomes = Array.from({ length: 30 }, (_, i) => answer(`x${i}`, i % 2 === 0, 0.5))
    expect(crossValidateCalibration(outcomes, 0.9)).toEqual({
      answer_precision: 1,
      auto_resolution: 0,
      answered: 0,
    })
  })
})
