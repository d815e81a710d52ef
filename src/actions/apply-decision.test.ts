import { describe, expect, it } from 'vitest'
import type { Decision } from '../agent/index.js'
import { planDecision, type DecisionSituation } from './apply-decision.js'

function decision(action: Decision['action'], reply: string | null = 'Hello, here is the answer.'): Decision {
  return {
    action,
    confidence: 0.8,
    reply: action === 'no_reply' ? null : reply,
    citations: [],
    handOffReason: action === 'hand_off' ? 'customer_asked_for_person' : null,
    rulesFired: [],
    explanation: 'test',
    language: 'en',
    facts: [],
    orderId: null,
  }
}

const aiHandled: DecisionSituation = {
  handler: 'ai',
  automatic: null,
  aiRepliesInWindow: 0,
  aiRepliesPerHour: 5,
}

describe('planning a decision into actions', () => {
  it('answers and asks clarifying questions with a reply', () => {
    for (const action of ['answer', 'ask_clarifying'] as const) {
      expect(planDecision(decision(action), aiHandled)).toEqual({
        outcome: 'sent',
        reason: null,
        steps: [{ action: 'reply', text: 'Hello, here is the answer.' }],
      })
    }
  })

  it('drafts an answer that needs approval, and does nothing for no_reply', () => {
    expect(planDecision(decision('answer_with_approval'), aiHandled)).toMatchObject({
      outcome: 'drafted',
      steps: [{ action: 'draft_for_approval', reason: 'needs_approval', notify: true }],
    })
    expect(planDecision(decision('no_reply'), aiHandled)).toEqual({
      outcome: 'nothing',
      reason: null,
      steps: [],
    })
  })

  it('hands off with the holding reply first, then the hand-off', () => {
    expect(planDecision(decision('hand_off', 'A colleague will reply.'), aiHandled)).toEqual({
      outcome: 'handed_off',
      reason: null,
      steps: [
        { action: 'reply', text: 'A colleague will reply.' },
        { action: 'hand_off', reason: 'customer_asked_for_person' },
      ],
    })
  })

  it('only drafts while a person handles the conversation, and never hands off again', () => {
    const human = { ...aiHandled, handler: 'human' } as const
    for (const action of ['answer', 'ask_clarifying', 'answer_with_approval'] as const) {
      expect(planDecision(decision(action), human), action).toEqual({
        outcome: 'drafted',
        reason: 'human_handler',
        steps: [
          {
            action: 'draft_for_approval',
            text: 'Hello, here is the answer.',
            reason: 'human_handler',
            notify: true,
          },
        ],
      })
    }
    expect(planDecision(decision('hand_off'), human)).toEqual({
      outcome: 'nothing',
      reason: 'already_with_a_person',
      steps: [],
    })
  })

  it('never acts on automatic mail, whatever the decision and the handler', () => {
    const automatic = { ...aiHandled, automatic: { automatic: true, reason: 'Auto-Submitted: auto-replied' } }
    for (const action of ['answer', 'hand_off', 'answer_with_approval', 'ask_clarifying'] as const) {
      expect(planDecision(decision(action), automatic)).toEqual({
        outcome: 'nothing',
        reason: 'automatic_mail: Auto-Submitted: auto-replied',
        steps: [],
      })
    }
  })

  it('hands the conversation to a person with the draft ready once the hourly cap is reached', () => {
    const capped = { ...aiHandled, aiRepliesInWindow: 5 }
    expect(planDecision(decision('answer'), capped)).toEqual({
      outcome: 'handed_off',
      reason: 'reply_cap',
      steps: [
        { action: 'hand_off', reason: 'reply_cap' },
        {
          action: 'draft_for_approval',
          text: 'Hello, here is the answer.',
          reason: 'reply_cap',
          notify: false,
        },
      ],
    })
    // a hand-off still happens, without the holding reply the AI may no longer send
    expect(planDecision(decision('hand_off'), capped).steps).toEqual([
      { action: 'hand_off', reason: 'customer_asked_for_person' },
    ])
    // one below the cap still sends
    expect(planDecision(decision('answer'), { ...aiHandled, aiRepliesInWindow: 4 }).outcome).toBe('sent')
  })

  it('does nothing for an answer without text', () => {
    expect(planDecision(decision('answer', '   '), aiHandled)).toEqual({
      outcome: 'nothing',
      reason: 'no_reply_text',
      steps: [],
    })
  })
})
