import { describe, expect, it } from 'vitest'
import { CUSTOMER_TIERS } from '../../crm/index.js'
import { DEMO_ATTRIBUTE_DEFINITIONS } from '../../crm/demo/index.js'
import { scoreUrgency } from '../../nlp/index.js'
import { POLICY_FIELDS, policyFieldCatalogue } from './catalogue.js'

describe('policyFieldCatalogue', () => {
  it('lists the built-in facts with their values', () => {
    const catalogue = policyFieldCatalogue([])
    expect(catalogue.intent.values).toHaveLength(18)
    expect(catalogue.intent.values).toContain('human_agent')
    expect(catalogue.sentiment.values).toEqual(['positive', 'neutral', 'negative'])
    expect(catalogue['urgency.level'].values).toEqual(['low', 'normal', 'high', 'urgent'])
    expect(catalogue.language.values).toEqual(['zh', 'en', 'mixed', 'other'])
    expect(catalogue.channel.values).toEqual(['chat', 'email', 'sms', 'phone', 'api'])
    expect(catalogue['customer.tier'].values).toEqual(CUSTOMER_TIERS)
    expect(catalogue.amount.type).toBe('money')
    expect(catalogue['customer.lifetime_value'].type).toBe('money')
    expect(catalogue['entities.types'].type).toBe('string[]')
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(POLICY_FIELDS).sort())
  })

  it('names every cue scoreUrgency can report', () => {
    const cues = scoreUrgency({
      intent: 'complaint',
      sentiment: { label: 'negative', score: -0.9 },
      text: 'WHERE IS MY ORDER!!! 我要找律师, call 12315, I will sue, chargeback now',
    }).cues
    expect(cues.length).toBeGreaterThan(5)
    for (const cue of cues) expect(policyFieldCatalogue([])['urgency.cues'].values).toContain(cue)
  })

  it('adds each custom customer attribute under customer.attributes, typed from its definition', () => {
    const catalogue = policyFieldCatalogue([
      ...DEMO_ATTRIBUTE_DEFINITIONS,
      { entity: 'customer', key: 'birthday', type: 'date', options: null },
      { entity: 'order', key: 'giftWrap', type: 'boolean', options: null },
    ])
    expect(catalogue['customer.attributes.preferredChannel']).toEqual({
      type: 'string',
      values: ['wechat', 'app', 'phone', 'email', 'sms'],
      description: 'Custom customer attribute preferredChannel (Preferred channel).',
    })
    expect(catalogue['customer.attributes.memberPoints'].type).toBe('number')
    expect(catalogue['customer.attributes.marketingOptIn'].type).toBe('boolean')
    expect(catalogue['customer.attributes.memberNumber']).toMatchObject({ type: 'string' })
    expect(catalogue['customer.attributes.memberNumber'].values).toBeUndefined()
    expect(catalogue['customer.attributes.birthday'].type).toBe('datetime')
    expect(catalogue['customer.attributes.color']).toBeUndefined()
    expect(catalogue['customer.attributes.giftWrap']).toBeUndefined()
  })
})
