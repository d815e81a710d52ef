import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyReply } from 'fastify'
import { AppError } from '../../core/index.js'
import type { ApiServer } from './types.js'

/** Where `npm run build` (Vite) writes the console. */
export const CONSOLE_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url))

/**
 * Scripts only from our origin (no inline scripts); inline styles are allowed because React and the chart
 * library set `style` attributes. Frames, plugins and foreign form targets are refused.
 */
const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** Vite names built assets `name-<hash>.ext`: their content never changes under that name. */
const HASHED_ASSET = /^assets\/.+-[\w-]{8,}\.\w+$/

/** Shown at `/` in a checkout where the console has not been built yet. */
const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AgentCRM</title>
<link rel="icon" href="data:,"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>AgentCRM</h1>
<p>The console has not been built yet. Run <code>npm run build</code> (or start with <code>npm start</code>, which builds it), then reload this page.</p>
<p>The API is running: <a href="/api/docs">API docs</a>.</p>
<p lang="zh-CN">控制台尚未构建。请运行 <code>npm run build</code>（或用 <code>npm start</code> 启动，它会先构建），然后刷新本页。</p>
</body></html>
`

function listFiles(root: string): Set<string> {
  const files = new Set<string>()
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) files.add(relative(root, path).split(sep).join('/'))
    }
  }
  walk(root)
  return files
}

function decodePath(url: string): string {
  const raw = url.split('?')[0].replace(/^\/+/, '')
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
}

/**
 * Serves the console (the React app Vite builds into `web/dist`) at `/`: its files, and `index.html` for
 * every other path that is not the API (client routes like `/inbox/123`), so a reload keeps the page.
 * Hashed assets are cached for a year; `index.html` is revalidated on every load. Unknown `/api/…` paths
 * and missing files stay JSON 404s. Without a build, `/` says to run `npm run build`.
 */
export function consoleRoutes(server: ApiServer, options: { root?: string } = {}): void {
  const root = options.root ?? CONSOLE_DIST
  const built = existsSync(join(root, 'index.html')) && statSync(join(root, 'index.html')).isFile()
  const files = built ? listFiles(root) : new Set<string>()
  if (built) {
    void server.register(fastifyStatic, { root, serve: false, dotfiles: 'ignore' })
  }

  const sendIndex = (reply: FastifyReply) => {
    securityHeaders(reply).header('cache-control', 'no-cache')
    if (!built) return reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE)
    return reply.sendFile('index.html', { cacheControl: false })
  }

  server.get('/', { schema: { hide: true }, config: { minRole: 'public' } }, async (_request, reply) =>
    sendIndex(reply),
  )

  server.get('/*', { schema: { hide: true }, config: { minRole: 'public' } }, async (request, reply) => {
    const path = decodePath(request.url)
    // browsers ask for /favicon.ico on pages without an icon link (JSON, the API docs): the SVG answers
    if (path === 'favicon.ico' && files.has('favicon.svg')) {
      securityHeaders(reply).header('cache-control', 'public, max-age=86400')
      return reply.sendFile('favicon.svg', { cacheControl: false })
    }
    if (files.has(path)) {
      if (path === 'index.html') return sendIndex(reply)
      const immutable = HASHED_ASSET.test(path)
      securityHeaders(reply).header(
        'cache-control',
        immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
      )
      return reply.sendFile(path, { cacheControl: false })
    }
    // The API, API docs and anything that looks like a file keep the JSON 404 of the rest of the server.
    if (/^api(\/|$)/.test(path) || /\.\w{1,8}$/.test(path)) {
      throw new AppError('CORE_ROUTE_NOT_FOUND', `no route ${request.method} /${path}`)
    }
    return sendIndex(reply)
  })
}
