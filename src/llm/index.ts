// Adapters that implement the agent's LanguageModel port (src/agent/language-model.ts).
export {
  createOpenAiCompatibleModel,
  type OpenAiCompatibleModel,
  type OpenAiCompatibleOptions,
} from './openai-compatible.js'
export {
  createCircuitBreaker,
  type CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
} from './circuit-breaker.js'
