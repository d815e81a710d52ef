import { attachmentCreateSchema, attachmentListQuerySchema } from '../../crm/index.js'
import type { App } from '../../app.js'
import { crudRoutes } from './crud.js'
import { idParams, type ApiServer } from './types.js'

/** `Content-Disposition` for a download: an ASCII fallback plus the UTF-8 name (RFC 6266). */
function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}

/** Attachments: JSON in (base64), metadata out; the bytes only from `/content`. */
export function attachmentRoutes(server: ApiServer, app: App): void {
  crudRoutes(server, app.crm.attachments, {
    path: '/api/v1/attachments',
    tag: 'attachments',
    noun: 'attachment',
    listQuery: attachmentListQuerySchema,
    create: attachmentCreateSchema,
    roles: { delete: 'admin' },
    without: ['patch'],
  })
  server.get(
    '/api/v1/attachments/:id/content',
    {
      schema: {
        tags: ['attachments'],
        summary: 'The bytes of an attachment, with its content type, as a download',
        params: idParams,
      },
      config: { minRole: 'viewer' },
    },
    async (request, reply) => {
      const file = await app.crm.attachments.content(request.params.id)
      // Served as a download in a sandbox: uploaded HTML or SVG must never run in the console's origin.
      return reply
        .header('content-type', file.contentType)
        .header('content-length', String(file.content.byteLength))
        .header('content-disposition', contentDisposition(file.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(file.content)
    },
  )
}
