/**
 * The port through which the agent talks to a large language model. The agent never needs one: every
 * caller has a reply of its own to fall back on. Adapters (`src/llm/`) implement it over a provider's API;
 * `createRecordingLanguageModel` (`./testing/recording-model.ts`) implements it for tests.
 *
 * Adapters report failures as `AppError`s with the operational codes `LLM_TIMEOUT`, `LLM_RATE_LIMITED`,
 * `LLM_UNAVAILABLE`, `LLM_BAD_RESPONSE` and `LLM_CIRCUIT_OPEN`; an abort through the caller's signal
 * rejects with the signal's reason.
 */

/** One turn of the conversation shown to the model (the system prompt travels apart). */
export interface ChatMessage {
  readonly role: 'user' | 'assistant'
  readonly content: string
}

export interface GenerateRequest {
  /** Instructions for the model. Everything in a request must already be redacted. */
  readonly system: string
  readonly messages: readonly ChatMessage[]
  /** Sampling temperature; the provider's default when left out. */
  readonly temperature?: number
  /** Upper bound on the tokens generated. */
  readonly maxTokens?: number
  /** `json` asks the provider for a JSON object (OpenAI `response_format: json_object`). Default `text`. */
  readonly responseFormat?: 'text' | 'json'
}

export interface TokenUsage {
  readonly inputTokens: number
  readonly outputTokens: number
}

export interface GenerateResult {
  /** The model's answer, as it came. */
  readonly text: string
  /** Token counts, when the provider reports them. */
  readonly usage?: TokenUsage
  /** Wall time of the whole call, retries included. */
  readonly latencyMs: number
}

/**
 * A text generator.
 *
 * @example
 *   const result = await model.generate({ system: 'Answer briefly.', messages: [{ role: 'user', content: 'hi' }] })
 *   result.text
 */
export interface LanguageModel {
  /** Who serves the model, for records and explanations (`openai-compatible`, `recording`). */
  readonly provider: string
  /** The model's name as the provider knows it (`qwen2.5:7b-instruct`, `deepseek-chat`). */
  readonly model: string
  generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult>
}
