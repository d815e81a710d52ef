import { describe, expect, it } from 'vitest'
import { stem } from './stem.js'

describe('stem', () => {
  it('follows the examples of Porter’s paper, step by step', () => {
    const cases: [string, string][] = [
      ['caresses', 'caress'],
      ['ponies', 'poni'],
      ['cats', 'cat'],
      ['feed', 'feed'],
      ['agreed', 'agre'],
      ['plastered', 'plaster'],
      ['motoring', 'motor'],
      ['sing', 'sing'],
      ['conflated', 'conflat'],
      ['troubled', 'troubl'],
      ['sized', 'size'],
      ['hopping', 'hop'],
      ['falling', 'fall'],
      ['filing', 'file'],
      ['happy', 'happi'],
      ['relational', 'relat'],
      ['conditional', 'condit'],
      ['generalization', 'gener'],
      ['triplicate', 'triplic'],
      ['hopefulness', 'hope'],
      ['revival', 'reviv'],
      ['adjustment', 'adjust'],
      ['replacement', 'replac'],
      ['cement', 'cement'],
      ['adoption', 'adopt'],
      ['controlling', 'control'],
      ['rate', 'rate'],
      ['cease', 'ceas'],
    ]
    for (const [word, expected] of cases) expect([word, stem(word)]).toEqual([word, expected])
  })

  it('maps the inflections customers use to one stem', () => {
    expect(new Set(['refund', 'refunds', 'refunded', 'refunding'].map(stem))).toEqual(new Set(['refund']))
    expect(new Set(['ship', 'shipped', 'shipping', 'ships'].map(stem))).toEqual(new Set(['ship']))
    expect(stem('deliveries')).toBe(stem('delivery'))
  })

  it('leaves short words, digits and non-English letters alone', () => {
    expect(stem('is')).toBe('is')
    expect(stem('x1000s')).toBe('x1000s')
    expect(stem('café')).toBe('café')
    expect(stem('退款')).toBe('退款')
  })
})
