import { describe, expect, it } from 'vitest'
import { roleAllows } from './roles.js'

describe('roleAllows', () => {
  it('orders people roles viewer < agent < admin', () => {
    expect(roleAllows('viewer', 'viewer')).toBe(true)
    expect(roleAllows('viewer', 'agent')).toBe(false)
    expect(roleAllows('agent', 'agent')).toBe(true)
    expect(roleAllows('agent', 'admin')).toBe(false)
    expect(roleAllows('admin', 'viewer')).toBe(true)
  })

  it('lets integration tokens only ingest', () => {
    expect(roleAllows('integration', 'integration')).toBe(true)
    expect(roleAllows('integration', 'viewer')).toBe(false)
    expect(roleAllows('agent', 'integration')).toBe(true)
    expect(roleAllows('viewer', 'integration')).toBe(false)
  })
})
