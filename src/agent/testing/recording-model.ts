import type { GenerateRequest, GenerateResult, LanguageModel } from '../language-model.js'

/** What a recording model answers to one call: a text, a whole result, an error to throw, or a function. */
export type RecordedResponse =
  | string
  | GenerateResult
  | Error
  | ((request: GenerateRequest, signal: AbortSignal | undefined) => GenerateResult | Promise<GenerateResult>)

export interface RecordedCall {
  readonly request: GenerateRequest
  readonly signal: AbortSignal | undefined
}

export interface RecordingLanguageModel extends LanguageModel {
  /** Every call so far, in order. */
  readonly calls: readonly RecordedCall[]
}

export interface RecordingModelOptions {
  readonly provider?: string
  readonly model?: string
}

/**
 * A fake {@link LanguageModel} for tests: answers the calls with `responses` in order and records each
 * request. A call beyond the last response throws, so a test notices an unexpected call.
 *
 * @example
 *   const model = createRecordingLanguageModel(['{"reply": "ok", "citations": [1]}', new Error('down')])
 *   await model.generate(request) // { text: '{"reply": "ok", "citations": [1]}', latencyMs: 0 }
 *   model.calls[0].request.system
 */
export function createRecordingLanguageModel(
  responses: readonly RecordedResponse[],
  options: RecordingModelOptions = {},
): RecordingLanguageModel {
  const calls: RecordedCall[] = []
  return {
    provider: options.provider ?? 'recording',
    model: options.model ?? 'recording-model',
    calls,
    async generate(request, signal) {
      calls.push({ request, signal })
      const response = responses[calls.length - 1]
      if (response === undefined) {
        throw new Error(
          `recording model got call ${calls.length} but has only ${responses.length} responses; add one`,
        )
      }
      if (response instanceof Error) throw response
      if (typeof response === 'function') return response(request, signal)
      if (typeof response === 'string') return { text: response, latencyMs: 0 }
      return response
    },
  }
}
