import type { QueryClient } from '@tanstack/react-query'

/** The events `GET /api/v1/stream` sends, each with JSON data naming what changed. */
export const LIVE_EVENTS = [
  'message.created',
  'conversation.updated',
  'notification.created',
  'approval.created',
] as const
export type LiveEventType = (typeof LIVE_EVENTS)[number]
export interface LiveEvent {
  readonly type: LiveEventType
  readonly conversationId?: string
  readonly messageId?: string
  readonly notificationId?: string
  readonly approvalId?: string
}

/**
 * The react-query keys each event makes stale. Keys are arrays that start with the resource name
 * (`['conversations', filters]`, `['messages', conversationId]`, …): invalidating `['conversations']`
 * refreshes every conversation list.
 */
export function keysFor(event: LiveEvent): unknown[][] {
  const conversation = event.conversationId
  switch (event.type) {
    case 'message.created':
      return [
        ['conversations'],
        ...(conversation
          ? [
              ['messages', conversation],
              ['conversation', conversation],
            ]
          : []),
      ]
    case 'conversation.updated':
      return [['conversations'], ...(conversation ? [['conversation', conversation]] : [])]
    case 'notification.created':
      return [['notifications']]
    case 'approval.created':
      return [['approvals'], ...(conversation ? [['messages', conversation]] : [])]
  }
}

type Listener = (event: LiveEvent) => void
const listeners = new Set<Listener>()

/** Pages that want more than cache invalidation (a toast, a sound) listen here. */
export function onLiveEvent(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/**
 * Opens one EventSource for the signed-in session and invalidates the queries each event touches.
 * Reconnects with backoff when a live connection drops; if the endpoint is not there (the first
 * connection never opens: a 404), it gives up quietly. Returns a function that closes it.
 */
export function connectLive(queryClient: QueryClient, url = '/api/v1/stream'): () => void {
  let source: EventSource | null = null
  let everOpened = false
  let stopped = false
  let retry: ReturnType<typeof setTimeout> | null = null
  let delay = 1_000

  const dispatch = (type: LiveEventType, data: string) => {
    let payload: Omit<LiveEvent, 'type'> = {}
    try {
      payload = data ? (JSON.parse(data) as Omit<LiveEvent, 'type'>) : {}
    } catch {
      payload = {}
    }
    const event: LiveEvent = { ...payload, type }
    for (const key of keysFor(event)) void queryClient.invalidateQueries({ queryKey: key })
    for (const listener of listeners) listener(event)
  }

  const open = () => {
    if (stopped || typeof EventSource === 'undefined') return
    source = new EventSource(url, { withCredentials: true })
    source.onopen = () => {
      everOpened = true
      delay = 1_000
    }
    for (const type of LIVE_EVENTS) {
      source.addEventListener(type, (event) => dispatch(type, (event as MessageEvent<string>).data))
    }
    source.onerror = () => {
      if (!source || source.readyState !== EventSource.CLOSED) return // the browser reconnects by itself
      source.close()
      source = null
      if (!everOpened) return // no stream endpoint on this server: nothing to do
      retry = setTimeout(open, delay)
      delay = Math.min(delay * 2, 30_000)
    }
  }
  open()

  return () => {
    stopped = true
    if (retry) clearTimeout(retry)
    source?.close()
    source = null
  }
}
