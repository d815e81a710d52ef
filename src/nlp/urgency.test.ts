import { describe, expect, it } from 'vitest'
import { scoreUrgency } from './urgency.js'

describe('scoreUrgency', () => {
  it('ranks a lawyer threat above a polite question', () => {
    const polite = scoreUrgency({
      intent: 'product_inquiry',
      sentiment: { label: 'neutral', score: 0 },
      text: '请问这款耳机有白色的吗？',
    })
    const threat = scoreUrgency({
      intent: 'complaint',
      sentiment: { label: 'negative', score: -0.9 },
      text: '三天了还不退款，我已经联系律师准备起诉你们！',
    })
    expect(polite).toEqual({ score: 0, level: 'low', cues: [] })
    expect(threat.level).toBe('urgent')
    expect(threat.score).toBeGreaterThan(polite.score)
    expect(threat.cues).toEqual(['intent:complaint', 'sentiment:negative', '律师', '起诉'])
  })

  it('orders messages by how much they press', () => {
    const scores = [
      { text: 'Hi, do you ship to Canada?' },
      { intent: 'shipping_delay', text: 'my order is late' },
      {
        intent: 'shipping_delay',
        sentiment: { label: 'negative', score: -0.7 },
        text: '快递怎么还没到，赶紧处理',
      },
      {
        intent: 'payment_issue',
        sentiment: { label: 'negative', score: -0.8 },
        text: 'Charged twice, fix it ASAP or I file a chargeback',
      },
      {
        intent: 'complaint',
        sentiment: { label: 'negative', score: -1 },
        text: '再不处理我就打12315投诉，还要找媒体曝光！！！',
      },
    ].map((input) => scoreUrgency(input).score)
    expect([...scores].sort((a, b) => a - b)).toEqual(scores)
    expect(new Set(scores).size).toBe(scores.length)
  })

  it('finds the English cues and capitals', () => {
    const result = scoreUrgency({
      text: 'I need my refund right now, my lawyer will sue. Reporting to the BBB!!!',
    })
    expect(result.cues).toEqual(['lawyer', 'sue', 'BBB', 'right now', '!!!'])
    expect(result.level).toBe('urgent')
    expect(scoreUrgency({ text: 'WHERE IS MY REFUND? ANSWER ME' }).cues).toEqual(['ALL_CAPS'])
    expect(scoreUrgency({ text: 'Order LM20261024-582130 via DHL and UPS' }).cues).toEqual([])
  })

  it('does not count negated hurry', () => {
    expect(scoreUrgency({ text: '不急，慢慢来，不着急' }).cues).toEqual([])
    expect(scoreUrgency({ text: 'not urgent at all' }).cues).toEqual([])
    expect(scoreUrgency({ text: '很急！' }).cues).toEqual(['急'])
    expect(scoreUrgency({ text: 'this is urgent' }).cues).toEqual(['urgent'])
  })

  it('does not read issue, pursue or a longer number as a cue', () => {
    expect(scoreUrgency({ text: 'an issue I want to pursue, ticket 123156' }).cues).toEqual([])
  })

  it('scales the intent weight by its confidence and ignores unknown labels', () => {
    const sure = scoreUrgency({ intent: { label: 'complaint', confidence: 1 }, text: '' })
    const unsure = scoreUrgency({ intent: { label: 'complaint', confidence: 0.3 }, text: '' })
    expect(sure.score).toBeGreaterThan(unsure.score)
    expect(scoreUrgency({ intent: 'my_custom_label', text: '' })).toEqual({
      score: 0,
      level: 'low',
      cues: [],
    })
  })

  it('stays in [0, 1] with every cue at once, and tolerates bad numbers', () => {
    const everything = scoreUrgency({
      intent: 'complaint',
      sentiment: { label: 'negative', score: Number.NaN },
      text: '律师 起诉 12315 消协 工商 曝光 媒体 投诉 差评 马上 立刻 赶紧 急 退款不到账 chargeback lawyer sue BBB ASAP urgent immediately right now !!!',
    })
    expect(everything.score).toBeGreaterThan(0.99)
    expect(everything.score).toBeLessThanOrEqual(1)
    expect(everything.level).toBe('urgent')
  })

  it('handles empty, emoji-only and 64k-character messages', () => {
    expect(scoreUrgency({ text: '' }).score).toBe(0)
    expect(scoreUrgency({ text: '😀🙏🏻' }).score).toBe(0)
    expect(scoreUrgency({ text: 'A'.repeat(65_536) }).cues).toEqual([])
    expect(scoreUrgency({ text: 'AB '.repeat(21_845) }).cues).toEqual(['ALL_CAPS'])
    expect(scoreUrgency({ text: '急'.repeat(65_536) + '\uD800' }).cues).toEqual(['急'])
  })
})
