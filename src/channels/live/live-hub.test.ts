import { describe, expect, it } from 'vitest'
import type { LiveEvent } from '../../store/live/live-events.js'
import { createLiveHub, type LiveEventSource } from './live-hub.js'

const event = (seq: number): LiveEvent => ({
  seq,
  kind: 'message.created',
  conversationId: 'cnv_1',
  customerId: 'cus_1',
  messageId: `msg_${seq}`,
  notificationId: null,
  approvalId: null,
  userId: null,
})

/** A table of announcements the test commits to, in any order (as concurrent transactions do). */
function memorySource(): LiveEventSource & { commit(...seqs: number[]): void } {
  const rows: LiveEvent[] = []
  return {
    commit: (...seqs) => rows.push(...seqs.map(event)),
    async after(seq, limit) {
      return rows
        .filter((row) => row.seq > seq)
        .sort((a, b) => a.seq - b.seq)
        .slice(0, limit)
    },
    async latest() {
      return rows.reduce((max, row) => Math.max(max, row.seq), 0)
    },
  }
}

describe('live hub', () => {
  // the timer never fires in these tests: each poll is a tick()
  const setup = (gapTimeoutMs = 1_000) => {
    const source = memorySource()
    let now = 0
    const hub = createLiveHub({ source, intervalMs: 1e9, gapTimeoutMs, now: () => now })
    return { source, hub, advance: (ms: number) => (now += ms) }
  }

  it('starts at the newest announcement and fans each new one out to every listener once', async () => {
    const { source, hub } = setup()
    source.commit(1, 2)
    const a: number[] = []
    const b: number[] = []
    await hub.subscribe((e) => a.push(e.seq))
    await hub.subscribe((e) => b.push(e.seq))
    source.commit(3, 4)
    await hub.tick()
    await hub.tick()
    expect(a).toEqual([3, 4])
    expect(b).toEqual([3, 4])
    await hub.close()
  })

  it('delivers a transaction that commits after a later one (a hole filled late), without repeats', async () => {
    const { source, hub, advance } = setup(1_000)
    const seen: number[] = []
    await hub.subscribe((e) => seen.push(e.seq))
    source.commit(2) // 1 is still in flight
    await hub.tick()
    advance(500)
    source.commit(1, 3)
    await hub.tick()
    await hub.tick()
    expect(seen).toEqual([2, 1, 3])
    await hub.close()
  })

  it('gives up on a hole after the timeout (a rolled-back transaction) and keeps following', async () => {
    const { source, hub, advance } = setup(1_000)
    const seen: number[] = []
    await hub.subscribe((e) => seen.push(e.seq))
    source.commit(2, 3) // 1 rolled back: it never appears
    await hub.tick()
    advance(1_001)
    await hub.tick()
    // past the hole: a late 1 is no longer looked for, and new events keep coming
    source.commit(1, 4)
    await hub.tick()
    expect(seen).toEqual([2, 3, 4])
    await hub.close()
  })

  it('replays the backlog after a sequence number, and stops polling when the last listener leaves', async () => {
    const { source, hub } = setup()
    source.commit(1, 2, 3)
    expect((await hub.replay(1)).map((e) => e.seq)).toEqual([2, 3])
    const unsubscribe = await hub.subscribe(() => {})
    expect(hub.listenerCount).toBe(1)
    unsubscribe()
    expect(hub.listenerCount).toBe(0)
    await hub.close()
    await expect(hub.subscribe(() => {})).rejects.toThrow('closed')
  })
})
