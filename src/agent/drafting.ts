// Optional LLM drafting: the language-model port, the grounded, redacted reply drafter, and a recording
// fake for tests. Meant to be re-exported from src/agent/index.ts.
export type {
  ChatMessage,
  GenerateRequest,
  GenerateResult,
  LanguageModel,
  TokenUsage,
} from './language-model.js'
export {
  MAX_EN_HAN_SHARE,
  MIN_ZH_HAN_SHARE,
  draftReply,
  type DraftDeps,
  type DraftFallbackReason,
  type DraftInput,
  type DraftOptions,
  type DraftOutcome,
  type DraftPassage,
} from './draft.js'
export {
  createRecordingLanguageModel,
  type RecordedCall,
  type RecordedResponse,
  type RecordingLanguageModel,
  type RecordingModelOptions,
} from './testing/recording-model.js'
