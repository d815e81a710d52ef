import type { LiveEvent } from '../store/index.js'
import type { App } from '../app.js'
import type { SseStream } from './sse.js'

/** What a stream sends for one announcement: an SSE event name and its data, or null to skip it. */
export type LiveProjection = (event: LiveEvent) => Promise<{ event: string; data: unknown } | null>

/**
 * Follows the app's live hub on one SSE stream: subscribes first, then (with `after`, the client's
 * `Last-Event-ID`) sends the backlog the table still holds, then everything live — each announcement once,
 * in order, through `project` (visibility rules and shape). Unsubscribes when the stream closes.
 */
export async function followLive(
  app: App,
  stream: SseStream,
  after: number | null,
  project: LiveProjection,
): Promise<void> {
  const backlog = new Set<number>()
  let replaying = after !== null
  const buffered: LiveEvent[] = []
  let chain: Promise<void> = Promise.resolve()

  const deliver = (event: LiveEvent, replayed = false) => {
    chain = chain
      .then(async () => {
        if (stream.closed) return
        if (after !== null && event.seq <= after) return
        if (!replayed && backlog.has(event.seq)) return
        const projected = await project(event)
        if (projected !== null) stream.send(projected.event, projected.data, event.seq)
      })
      .catch(() => stream.close())
  }

  const unsubscribe = await app.live.hub.subscribe((event) => {
    if (replaying) buffered.push(event)
    else deliver(event)
  })
  stream.onClose(unsubscribe)
  if (after === null) return
  let cursor = after
  for (;;) {
    const page = await app.live.hub.replay(cursor, 500)
    for (const event of page) {
      backlog.add(event.seq)
      deliver(event, true)
    }
    if (page.length < 500 || stream.closed) break
    cursor = page[page.length - 1].seq
  }
  replaying = false
  for (const event of buffered.splice(0)) deliver(event)
}

/** The ids of an announcement, without the empty ones (the console stream's data). */
export function liveIds(event: LiveEvent): Record<string, string> {
  const ids: Record<string, string> = {}
  if (event.conversationId !== null) ids.conversationId = event.conversationId
  if (event.messageId !== null) ids.messageId = event.messageId
  if (event.notificationId !== null) ids.notificationId = event.notificationId
  if (event.approvalId !== null) ids.approvalId = event.approvalId
  return ids
}
