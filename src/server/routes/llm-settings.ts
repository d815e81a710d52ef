import type { App } from '../../app.js'
import type { ApiServer } from './types.js'

/** A base URL without credentials or query (a key someone put in the URL is never shown back). */
function displayUrl(value: string): string {
  try {
    const url = new URL(value)
    url.username = ''
    url.password = ''
    url.search = ''
    url.hash = ''
    return url.toString()
  } catch {
    return '(not a valid URL)'
  }
}

/**
 * The LLM provider as this process uses it. It is configured by the environment only
 * (`AGENTCRM_LLM_BASE_URL`, `AGENTCRM_LLM_MODEL`, `AGENTCRM_LLM_API_KEY`), so the console shows it read-only;
 * see docs/decisions/2026-11-25-console-settings.md.
 */
export function llmSettingsRoutes(server: ApiServer, app: App): void {
  server.get(
    '/api/v1/settings/llm',
    {
      schema: {
        tags: ['workspace'],
        summary:
          'The optional LLM provider in use (read-only: set by AGENTCRM_LLM_* environment variables); the API key is never returned, only whether one is set',
      },
      config: { minRole: 'admin' },
    },
    async () => {
      const llm = app.config.llm
      return {
        configured: llm !== null,
        source: 'environment' as const,
        baseUrl: llm ? displayUrl(llm.baseUrl) : null,
        model: llm?.model ?? null,
        apiKeySet: Boolean(llm?.apiKey),
        variables: ['AGENTCRM_LLM_BASE_URL', 'AGENTCRM_LLM_MODEL', 'AGENTCRM_LLM_API_KEY'],
      }
    },
  )
}
