import { readFileSync } from 'node:fs'
import { z } from 'zod'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import {
  chatSettings,
  createRateLimiter,
  normalizeOrigin,
  requireVisitor,
  visitorToken,
  type ChatSettings,
} from '../../channels/index.js'
import { AppError } from '../../core/index.js'
import type { Inbox } from '../../crm/index.js'
import type { App } from '../../app.js'
import { followLive } from '../live-stream.js'
import { lastEventId, openSse, registerSse, requireEventStream } from '../sse.js'
import type { ApiServer } from './types.js'

/** The widget script, plain JavaScript with no build step. */
const WIDGET_SOURCE = new URL('../../channels/chat/widget.js', import.meta.url)

const tags = ['widget']
const inboxParams = z.strictObject({ inboxKey: z.string().min(1).max(200) })
const streamQuery = z.strictObject({
  token: z.string().min(1).max(200),
  lastEventId: z.string().max(20).optional(),
})
const widgetMessage = z.object({
  id: z.string(),
  conversationId: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  authorKind: z.string(),
  text: z.string(),
  sentAt: z.string(),
})
type WidgetMessage = z.output<typeof widgetMessage>
const widgetConfig = z.object({
  title: z.object({ zh: z.string(), en: z.string() }),
  greeting: z.object({ zh: z.string(), en: z.string() }),
  maxMessageLength: z.number(),
})

/** How many of the latest messages the widget shows when it opens. */
const THREAD_LIMIT = 100

function publicConfig(settings: ChatSettings): z.output<typeof widgetConfig> {
  return { title: settings.title, greeting: settings.greeting, maxMessageLength: settings.maxMessageLength }
}

/**
 * The chat widget's public API (issue 5, the `chat` channel) and its script. Everything here is public —
 * the visitor token is the credential — so every request is checked against the inbox's origin allow-list
 * and rate-limited per IP (and messages per visitor), and a visitor only ever sees the conversations filed
 * under its own customer in this inbox.
 */
export async function widgetRoutes(server: ApiServer, app: App): Promise<void> {
  registerSse(server)
  const limiter = createRateLimiter({ clock: app.clock })
  let script: string | null = null

  async function chatInbox(key: string): Promise<Inbox> {
    let inbox: Inbox | null = null
    try {
      inbox = await app.crm.inboxes.get(key)
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'CRM_INBOX_NOT_FOUND') throw error
    }
    if (inbox === null || inbox.channel !== 'chat' || !inbox.active) {
      throw new AppError(
        'CRM_INBOX_NOT_FOUND',
        inbox === null
          ? `chat inbox "${key.slice(0, 80)}" does not exist; data-inbox must be the id of a chat inbox`
          : inbox.channel !== 'chat'
            ? `inbox "${key}" is an ${inbox.channel} inbox; the widget needs a chat inbox`
            : `chat inbox "${key}" is inactive; activate it to take messages`,
        { details: { inbox: key } },
      )
    }
    return inbox
  }

  /**
   * CORS: a request from a page whose origin the inbox does not allow is refused (403) with the fix; an
   * allowed one gets `Access-Control-Allow-Origin`. Requests without an Origin (servers, curl) and from
   * AgentCRM's own pages pass.
   */
  function checkOrigin(request: FastifyRequest, reply: FastifyReply, inbox: Inbox, settings: ChatSettings) {
    reply.header('vary', 'Origin')
    const origin = request.headers.origin
    if (typeof origin !== 'string' || origin === '') return
    const normalized = normalizeOrigin(origin)
    const own = normalized !== null && new URL(normalized).host === request.headers.host
    if (normalized === null || (!own && !settings.allowedOrigins.includes(normalized))) {
      throw new AppError(
        'CHANNEL_WIDGET_ORIGIN_REFUSED',
        `pages at ${origin.slice(0, 100)} may not use chat inbox "${inbox.id}"; add the origin to the inbox's settings.allowedOrigins (PATCH /api/v1/inboxes/${inbox.id})`,
        { details: { origin, allowedOrigins: settings.allowedOrigins } },
      )
    }
    reply
      .header('access-control-allow-origin', normalized)
      .header('access-control-expose-headers', 'Retry-After')
  }

  function limit(reply: FastifyReply, key: string, rule: ChatSettings['ipLimit'], what: string): void {
    try {
      limiter.hit(key, rule, what)
    } catch (error) {
      if (error instanceof AppError && typeof error.details === 'object' && error.details !== null) {
        const retry = (error.details as { retryAfterSeconds?: number }).retryAfterSeconds
        if (retry !== undefined) reply.header('retry-after', String(retry))
      }
      throw error
    }
  }

  /** The inbox, its settings, the origin check and the per-IP limit every widget request goes through. */
  async function gate(request: FastifyRequest, reply: FastifyReply, key: string) {
    const inbox = await chatInbox(key)
    const settings = chatSettings(inbox)
    checkOrigin(request, reply, inbox, settings)
    limit(reply, `ip:${inbox.id}:${request.ip}`, settings.ipLimit, 'requests from this address')
    return { inbox, settings }
  }

  /** The visitor's latest conversation in this inbox and its last messages, oldest first. */
  async function thread(inboxId: string, customerId: string | null) {
    if (customerId === null) return { conversationId: null, messages: [] as WidgetMessage[] }
    const db = app.store.db
    const conversation = await db
      .selectFrom('conversations')
      .select('id')
      .where('inboxId', '=', inboxId)
      .where('customerId', '=', customerId)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst()
    if (conversation === undefined) return { conversationId: null, messages: [] as WidgetMessage[] }
    const rows = await db
      .selectFrom('messages')
      .select(['id', 'conversationId', 'direction', 'authorKind', 'text', 'sentAt'])
      .where('conversationId', '=', String(conversation.id))
      .orderBy('sentAt', 'desc')
      .orderBy('id', 'desc')
      .limit(THREAD_LIMIT)
      .execute()
    return {
      conversationId: String(conversation.id),
      messages: rows.reverse().map((row) => toWidgetMessage(row)),
    }
  }

  function toWidgetMessage(row: Record<string, unknown>): WidgetMessage {
    const decoded = app.store.codec.decode<WidgetMessage>({ sentAt: 'time' }, row)
    return {
      id: String(decoded.id),
      conversationId: String(decoded.conversationId),
      direction: decoded.direction,
      authorKind: String(decoded.authorKind),
      text: String(decoded.text),
      sentAt: String(decoded.sentAt),
    }
  }

  server.get(
    '/widget.js',
    { schema: { hide: true }, config: { minRole: 'public' } },
    async (_request, reply) => {
      script ??= readFileSync(WIDGET_SOURCE, 'utf8')
      return reply
        .type('application/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .header('x-content-type-options', 'nosniff')
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(script)
    },
  )

  server.get(
    '/widget-demo',
    {
      schema: {
        hide: true,
        querystring: z.strictObject({
          inbox: z.string().max(200).optional(),
          lang: z.enum(['zh', 'en']).optional(),
        }),
      },
      config: { minRole: 'public' },
    },
    async (request, reply) => {
      let inboxId = request.query.inbox
      if (inboxId === undefined) {
        const row = await app.store.db
          .selectFrom('inboxes')
          .select('id')
          .where('channel', '=', 'chat')
          .where('active', '=', app.store.codec.bool(true))
          .orderBy('createdAt')
          .orderBy('id')
          .executeTakeFirst()
        inboxId = row === undefined ? undefined : String(row.id)
      }
      const lang = request.query.lang ?? 'zh'
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header(
          'content-security-policy',
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
        )
      return demoPage(inboxId ?? null, lang, `${request.protocol}://${request.headers.host ?? 'localhost'}`)
    },
  )

  // CORS preflight of the widget API (the visitor header and JSON bodies make requests non-simple)
  server.options(
    '/api/v1/widget/*',
    { schema: { hide: true }, config: { minRole: 'public' } },
    async (request, reply) => {
      const key = decodeURIComponent(request.url.split('?')[0].split('/')[4] ?? '')
      await gate(request, reply, key)
      reply
        .header('access-control-allow-methods', 'GET, POST, OPTIONS')
        .header('access-control-allow-headers', 'content-type, x-agentcrm-visitor, last-event-id')
        .header('access-control-max-age', '600')
        .status(204)
      return reply.send()
    },
  )

  server.post(
    '/api/v1/widget/:inboxKey/visitors',
    {
      schema: {
        tags,
        summary:
          'Start a chat widget visitor (201): a random token the widget keeps in localStorage and sends as X-AgentCRM-Visitor, and the widget texts',
        params: inboxParams,
        response: {
          201: z.object({ token: z.string(), visitorId: z.string(), config: widgetConfig }),
        },
      },
      config: { minRole: 'public' },
    },
    async (request, reply) => {
      const { inbox, settings } = await gate(request, reply, request.params.inboxKey)
      const visitor = await app.channels.visitors.issue(inbox.id)
      reply.status(201)
      return { token: visitor.token, visitorId: visitor.id, config: publicConfig(settings) }
    },
  )

  server.get(
    '/api/v1/widget/:inboxKey/conversation',
    {
      schema: {
        tags,
        summary:
          "The visitor's conversation in this chat inbox (X-AgentCRM-Visitor: token): its latest 100 messages, oldest first, and the widget texts",
        params: inboxParams,
        response: {
          200: z.object({
            conversationId: z.string().nullable(),
            messages: z.array(widgetMessage),
            config: widgetConfig,
          }),
        },
      },
      config: { minRole: 'public' },
    },
    async (request, reply) => {
      const { inbox, settings } = await gate(request, reply, request.params.inboxKey)
      const visitor = await requireVisitor(app.channels.visitors, inbox.id, visitorToken(request.headers))
      return { ...(await thread(inbox.id, visitor.customerId)), config: publicConfig(settings) }
    },
  )

  // The message route keeps its body raw: the chat adapter's `receive` gets headers and bytes, like the
  // other channels (a route-level parser in its own scope).
  await server.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/widget/:inboxKey/messages',
      {
        schema: {
          tags,
          summary:
            'Send a visitor message (202), JSON {text, messageId, name?, email?} with X-AgentCRM-Visitor: token. messageId (a UUID the widget makes) makes retries idempotent. The reply arrives on the widget stream',
          params: inboxParams,
          response: {
            202: z.object({ messageId: z.string(), conversationId: z.string(), duplicate: z.boolean() }),
          },
        },
        config: { minRole: 'public' },
      },
      async (request, reply) => {
        const { inbox, settings } = await gate(request, reply, request.params.inboxKey)
        const adapter = app.channels.adapters.forInbox(inbox)
        const visitor = await requireVisitor(app.channels.visitors, inbox.id, visitorToken(request.headers))
        limit(reply, `visitor:${visitor.id}`, settings.visitorLimit, 'messages from this visitor')
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
        const [message] = await adapter.receive({ headers: request.headers, rawBody })
        // the one ingest path of every channel: message, identity and conversation in one transaction,
        // then the message.received runs (keyed on the message: a retried post starts no second run)
        const receipt = await app.channels.ingest.file(inbox, message, request.actor)
        await app.channels.visitors.seen(visitor.id, receipt.customerId)
        reply.status(202)
        return {
          messageId: receipt.messageId,
          conversationId: receipt.conversationId,
          duplicate: receipt.duplicate,
        }
      },
    )
  })

  server.get(
    '/api/v1/widget/:inboxKey/stream',
    {
      schema: {
        tags,
        summary:
          "The visitor's messages live as Server-Sent Events (`event: message`, data {id, conversationId, direction, authorKind, text, sentAt}); ?token=visitor token (EventSource cannot send headers); resume with Last-Event-ID",
        params: inboxParams,
        querystring: streamQuery,
      },
      config: { minRole: 'public' },
    },
    async (request, reply) => {
      requireEventStream(request)
      const { inbox } = await gate(request, reply, request.params.inboxKey)
      const visitor = await requireVisitor(app.channels.visitors, inbox.id, request.query.token)
      const after = lastEventId(request, request.query.lastEventId)
      let customerId = visitor.customerId
      const cors: Record<string, string> = {}
      for (const name of ['access-control-allow-origin', 'vary']) {
        const value = reply.getHeader(name)
        if (typeof value === 'string') cors[name] = value
      }
      const stream = openSse(server, request, reply, { headers: cors })
      try {
        await followLive(app, stream, after, async (event) => {
          if (event.kind !== 'message.created' || event.messageId === null) return null
          // a visitor without a message yet has no customer: look again when messages appear
          if (customerId === null) {
            customerId = (await app.channels.visitors.byId(visitor.id))?.customerId ?? null
          }
          if (customerId === null || event.customerId !== customerId) return null
          const row = await app.store.db
            .selectFrom('messages')
            .select(['id', 'conversationId', 'direction', 'authorKind', 'text', 'sentAt', 'inboxId'])
            .where('id', '=', event.messageId)
            .executeTakeFirst()
          if (row === undefined || row.inboxId !== inbox.id) return null
          return { event: 'message', data: toWidgetMessage(row) }
        })
      } catch (error) {
        // the response is already a stream: log, and let the client reconnect
        request.log.error(error)
        stream.close()
      }
    },
  )
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** A page to try the widget on the running demo (`/widget-demo`), in the language asked for. */
function demoPage(inboxId: string | null, lang: 'zh' | 'en', origin: string): string {
  const zh = lang === 'zh'
  const body =
    inboxId === null
      ? `<p>${zh ? '还没有聊天收件箱：运行 <code>agentcrm demo seed</code>，或在控制台里创建一个 chat 收件箱。' : 'There is no chat inbox yet: run <code>agentcrm demo seed</code> or create a chat inbox in the console.'}</p>`
      : `<p>${zh ? '点右下角的按钮，向 AI 客服提问，例如“退款多久到账？”' : 'Open the chat button at the bottom right and ask the AI agent, for example “How long does a refund take?”'}</p>
<p>${zh ? '在你的网站上嵌入：' : 'Embed it on your site:'}</p>
<pre><code>&lt;script src="${escapeHtml(origin)}/widget.js" data-inbox="${escapeHtml(inboxId)}"&gt;&lt;/script&gt;</code></pre>
<script src="/widget.js" data-inbox="${escapeHtml(inboxId)}"></script>`
  return `<!doctype html>
<html lang="${zh ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${zh ? '聊天小部件演示 · AgentCRM' : 'Chat widget demo · AgentCRM'}</title>
<link rel="icon" href="data:,">
</head>
<body style="font-family: system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.6">
<h1>${zh ? '示例商店' : 'Demo shop'}</h1>
${body}
<p><a href="?lang=${zh ? 'en' : 'zh'}${inboxId ? `&amp;inbox=${encodeURIComponent(inboxId)}` : ''}">${zh ? 'English' : '中文'}</a></p>
</body></html>
`
}
