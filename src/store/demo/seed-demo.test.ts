import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { fixedClock } from '../../core/index.js'
import { cliActor } from '../../crm/index.js'
import { describeEachDatabase } from '../../../test/support/databases.js'
import { seedDemo } from './seed-demo.js'

describeEachDatabase('demo seed', (database) => {
  it('fills an empty database, refuses a second seed, and starts over with reset — deterministically', async () => {
    const store = await database.open()
    const dir = mkdtempSync(join(tmpdir(), 'agentcrm-seed-'))
    try {
      const clock = fixedClock('2026-11-25T09:30:00.000Z')
      const labelsFile = join(dir, 'labels.jsonl')
      const first = await seedDemo(store, clock, cliActor, { customers: 60, seed: 7, labelsFile })
      expect(first.customers).toBe(60)
      expect(first.products).toBeGreaterThan(40)
      expect(first.orders).toBeGreaterThan(0)
      expect(first.events).toBe(1200)
      expect(first.conversations).toBeGreaterThan(0)
      const count = async (table: string) =>
        Number(
          (
            await store.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      expect(await count('customers')).toBe(60)
      expect(await count('messages')).toBe(first.messages)
      expect(await count('identities')).toBeGreaterThan(60)

      // Ground truth lives beside the data, keyed by message id — never in the messages table.
      const labels = readFileSync(labelsFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
      expect(labels.length).toBeGreaterThan(0)
      const ids = new Set(
        (await store.db.selectFrom('messages').select('id').where('direction', '=', 'inbound').execute()).map(
          (r) => r.id,
        ),
      )
      expect(labels.every((l: { messageId: string }) => ids.has(l.messageId))).toBe(true)
      const columns = Object.keys(
        (await store.db.selectFrom('messages').selectAll().executeTakeFirstOrThrow()) ?? {},
      )
      expect(columns.some((c) => /intent|sentiment|label/i.test(c))).toBe(false)

      await expect(seedDemo(store, clock, cliActor, { customers: 10, seed: 7 })).rejects.toThrow(
        /already holds 60 customers/,
      )

      const names = async () =>
        (
          await store.db
            .selectFrom('customers')
            .select(['externalId', 'name'])
            .orderBy('externalId')
            .execute()
        ).map((r) => `${r.externalId}:${r.name}`)
      const before = await names()
      const again = await seedDemo(store, clock, cliActor, { customers: 60, seed: 7, reset: true })
      expect(again.orders).toBe(first.orders)
      expect(await names()).toEqual(before)
      expect(await count('customers')).toBe(60)
    } finally {
      await store.dispose()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
