import { readFileSync } from 'node:fs'
import type { ApiServer } from './types.js'

const INDEX = new URL('../../../web/public/index.html', import.meta.url)

/** Serves the console's entry page at `/` (the page talks to the HTTP API only). */
export function consoleRoutes(server: ApiServer): void {
  const html = readFileSync(INDEX, 'utf8')
  server.get('/', { schema: { hide: true }, config: { minRole: 'public' } }, async (_request, reply) => {
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header(
        'content-security-policy',
        "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'",
      )
      .header('x-frame-options', 'DENY')
    return html
  })
}
