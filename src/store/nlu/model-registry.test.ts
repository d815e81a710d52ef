import { expect, it } from 'vitest'
import { fixedClock } from '../../core/index.js'
import { cliActor } from '../../crm/index.js'
import { describeEachDatabase } from '../../../test/support/databases.js'
import { createModelRegistry } from './model-registry.js'

describeEachDatabase('model registry', (database) => {
  it('versions models per task, keeps one active, promotes and rolls back', async () => {
    const store = await database.open()
    try {
      const clock = fixedClock('2026-11-25T00:00:00.000Z')
      const registry = createModelRegistry({ store, clock, defaultRegion: 'CN' })
      expect(await registry.active('intent')).toBeNull()
      const base = { task: 'intent', source: 'builtin', labels: ['a', 'b'], dataFingerprint: 'f1' }
      const v1 = await registry.register(
        { ...base, metrics: { accuracy: 0.9 }, artefact: '{"w":1}', activate: true },
        cliActor,
      )
      clock.advance(1000)
      const v2 = await registry.register(
        { ...base, metrics: { accuracy: 0.92 }, artefact: '{"w":2}' },
        cliActor,
      )
      expect([v1.version, v2.version]).toEqual([1, 2])
      expect(v2.status).toBe('candidate')
      expect((await registry.active('intent'))?.artefact).toBe('{"w":1}')

      clock.advance(1000)
      await registry.promote('intent', 2, cliActor)
      const active = await registry.active('intent')
      expect(active?.version).toBe(2)
      expect(active?.artefact).toBe('{"w":2}')
      expect((await registry.list('intent')).filter((m) => m.status === 'active')).toHaveLength(1)

      clock.advance(1000)
      const rolled = await registry.rollback('intent', cliActor)
      expect(rolled.version).toBe(1)
      expect((await registry.active('intent'))?.artefact).toBe('{"w":1}')
      expect(await registry.active('sentiment')).toBeNull()
      await expect(registry.promote('intent', 9, cliActor)).rejects.toThrow(/no intent model has version 9/)
    } finally {
      await store.dispose()
    }
  })
})
