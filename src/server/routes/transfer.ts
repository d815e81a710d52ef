import { Readable } from 'node:stream'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../../core/index.js'
import type { App } from '../../app.js'
import {
  EXPORT_ENTITIES,
  exportEntity,
  formatFromContentType,
  IMPORT_CONTENT_TYPES,
  IMPORT_ENTITIES,
  importEntity,
  MAX_UPLOAD_BYTES,
  parseFormat,
} from '../../store/index.js'
import { idParams, type ApiServer } from './types.js'

const tags = ['import and export']
const formatQuery = z.enum(['csv', 'jsonl', 'ndjson'])

/**
 * `POST /api/v1/import/{entity}` takes the file itself as the body (`text/csv` or `application/x-ndjson`), spools
 * it to disk without buffering it in memory, and answers 202 with a job; `GET /api/v1/import/jobs/{id}` has the
 * report once it finished. `GET /api/v1/export/{entity}` streams CSV or JSON lines.
 */
export function transferRoutes(server: ApiServer, app: App): void {
  void server.register(async (scope) => {
    // Only these routes take raw files: the parser hands the request stream through, unread.
    scope.addContentTypeParser(
      IMPORT_CONTENT_TYPES,
      { bodyLimit: MAX_UPLOAD_BYTES },
      (_request, payload, done) => done(null, payload),
    )
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/import/:entity',
      {
        schema: {
          tags,
          summary: `Import a CSV or NDJSON file of ${IMPORT_ENTITIES.join(', ')}; answers 202 with a job to poll`,
          description:
            'Send the file as the body with Content-Type text/csv or application/x-ndjson (up to 1 GiB). Rows are validated one by one; valid rows are upserted (customers by external id, products by SKU, orders by number; events are inserted) and invalid ones listed by line in the report.',
          consumes: IMPORT_CONTENT_TYPES,
          params: z.strictObject({ entity: z.string().min(1).max(64) }),
          querystring: z.strictObject({
            dryRun: z.enum(['true', 'false']).default('false'),
            format: formatQuery.optional(),
          }),
          body: z.any().describe('the CSV (with a header row) or NDJSON file'),
        },
        config: { minRole: 'admin' },
        bodyLimit: MAX_UPLOAD_BYTES,
      },
      async (request, reply) => {
        const entity = importEntity(request.params.entity)
        const body: unknown = request.body
        if (!(body instanceof Readable)) {
          throw new AppError(
            'CORE_UNSUPPORTED_MEDIA_TYPE',
            `send the file as the body with Content-Type ${IMPORT_CONTENT_TYPES.join(' or ')}`,
            { details: { contentType: request.headers['content-type'] ?? null } },
          )
        }
        const length = Number(request.headers['content-length'] ?? 0)
        if (length > MAX_UPLOAD_BYTES) {
          throw new AppError(
            'CORE_BODY_TOO_LARGE',
            'the upload is larger than 1 GiB; import it with the CLI',
            {
              details: { maxBytes: MAX_UPLOAD_BYTES },
            },
          )
        }
        const format = request.query.format
          ? parseFormat(request.query.format)
          : formatFromContentType(request.headers['content-type'])
        if (format === null) {
          throw new AppError(
            'CORE_UNSUPPORTED_MEDIA_TYPE',
            'give ?format=csv|jsonl or a CSV/NDJSON Content-Type',
          )
        }
        const job = await app.transfer.startImport({
          entity,
          format,
          input: body,
          dryRun: request.query.dryRun === 'true',
          actor: request.actor,
        })
        reply.status(202)
        return job
      },
    )
  })

  server.get(
    '/api/v1/import/jobs',
    {
      schema: {
        tags,
        summary: 'Import jobs, newest first',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(2000).optional(),
          entity: z.enum(IMPORT_ENTITIES).optional(),
          status: z.enum(['running', 'succeeded', 'failed']).optional(),
        }),
      },
      config: { minRole: 'admin' },
    },
    async (request) => {
      const { limit, cursor, ...filters } = request.query
      return app.transfer.listJobs({ limit, cursor, filters })
    },
  )

  server.get(
    '/api/v1/import/jobs/:id',
    {
      schema: {
        tags,
        summary: 'An import job: status running, succeeded (with its report) or failed (with its error)',
        params: idParams,
      },
      config: { minRole: 'admin' },
    },
    async (request) => app.transfer.getJob(request.params.id),
  )

  server.get(
    '/api/v1/export/:entity',
    {
      schema: {
        tags,
        summary: `Export ${EXPORT_ENTITIES.join(', ')} as CSV or JSON lines (streamed); the CSV re-imports as is`,
        params: z.strictObject({ entity: z.string().min(1).max(64) }),
        querystring: z.strictObject({ format: formatQuery.default('csv') }),
      },
      config: { minRole: 'admin' },
    },
    async (request, reply) => {
      const entity = exportEntity(request.params.entity)
      const format = parseFormat(request.query.format)
      reply
        .header(
          'content-type',
          format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        )
        .header('content-disposition', `attachment; filename="${entity}.${format}"`)
      return reply.send(Readable.from(app.transfer.exportRows(entity, format)))
    },
  )
}
