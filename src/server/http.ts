import cookie from '@fastify/cookie'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance } from 'fastify'
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import type { App } from '../app.js'
import { registerAuth } from './auth.js'
import { registerErrorHandling } from './errors.js'
import { registerRoutes } from './routes/index.js'

export interface ServerOptions {
  /** Pino logger options, or false for none (tests). */
  readonly logger?: boolean | { level: string }
}

export type ZodServer = ReturnType<FastifyInstance['withTypeProvider']> & FastifyInstance

/**
 * Builds the HTTP server: `/api/v1` with OpenAPI generated from the same zod schemas that validate requests.
 *
 * @example
 *   const server = await buildServer(app, { logger: false })
 *   const response = await server.inject({ method: 'GET', url: '/healthz' })
 */
export async function buildServer(app: App, options: ServerOptions = {}): Promise<FastifyInstance> {
  const server = Fastify({
    logger: options.logger ?? false,
    bodyLimit: app.config.bodyLimitBytes,
    genReqId: () => `req_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: { allErrors: false } },
  })
  server.setValidatorCompiler(validatorCompiler)
  server.setSerializerCompiler(serializerCompiler)
  registerErrorHandling(server)
  await server.register(cookie)
  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'AgentCRM API',
        version: '1',
        description:
          'Self-hosted CRM with an explainable AI agent. Authenticate with `Authorization: Bearer <token>` (`agentcrm token create`) or the console session cookie.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'agentcrm_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  })
  await server.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
  })
  registerAuth(server, app)
  await registerRoutes(server.withTypeProvider<ZodTypeProvider>(), app)
  server.get('/api/v1/openapi.json', { schema: { hide: true }, config: { minRole: 'public' } }, async () =>
    server.swagger(),
  )
  return server
}
