/**
 * The one error type of AgentCRM and the registry of every error code.
 *
 * Codes carry a capability prefix and a kind (see STYLE.md, after n8n):
 * - `user`: bad input or a missing record — a 4xx, logged at info;
 * - `operational`: a network, provider or database failed — retryable;
 * - `bug`: an invariant broke — a 500, reported.
 *
 * @example
 *   throw new AppError('CRM_CUSTOMER_NOT_FOUND', `customer "${id}" does not exist`)
 */
export type ErrorKind = 'user' | 'operational' | 'bug'

export interface ErrorCodeSpec {
  readonly kind: ErrorKind
  readonly status: number
}

export const ERROR_CODES = {
  // core / request handling
  CORE_VALIDATION_FAILED: { kind: 'user', status: 400 },
  CORE_MALFORMED_JSON: { kind: 'user', status: 400 },
  CORE_BODY_TOO_LARGE: { kind: 'user', status: 413 },
  CORE_UNSUPPORTED_MEDIA_TYPE: { kind: 'user', status: 415 },
  CORE_INVALID_CURSOR: { kind: 'user', status: 400 },
  CORE_INVALID_SORT: { kind: 'user', status: 400 },
  CORE_INVALID_CONFIG: { kind: 'user', status: 500 },
  CORE_ROUTE_NOT_FOUND: { kind: 'user', status: 404 },
  CORE_METHOD_NOT_ALLOWED: { kind: 'user', status: 405 },
  CORE_INTERNAL: { kind: 'bug', status: 500 },
  CORE_USAGE: { kind: 'user', status: 400 },
  CORE_RATE_LIMITED: { kind: 'user', status: 429 },
  CORE_NOT_ACCEPTABLE: { kind: 'user', status: 406 },
  CORE_NOT_READY: { kind: 'operational', status: 503 },
  CORE_PORT_IN_USE: { kind: 'operational', status: 500 },
  // auth
  AUTH_UNAUTHENTICATED: { kind: 'user', status: 401 },
  AUTH_INVALID_CREDENTIALS: { kind: 'user', status: 401 },
  AUTH_FORBIDDEN: { kind: 'user', status: 403 },
  AUTH_ORIGIN_MISMATCH: { kind: 'user', status: 403 },
  AUTH_USER_NOT_FOUND: { kind: 'user', status: 404 },
  AUTH_USER_EXISTS: { kind: 'user', status: 409 },
  AUTH_TOKEN_NOT_FOUND: { kind: 'user', status: 404 },
  AUTH_LOGIN_RATE_LIMITED: { kind: 'user', status: 429 },
  // store
  STORE_UNSUPPORTED_URL: { kind: 'user', status: 500 },
  STORE_MIGRATION_FAILED: { kind: 'operational', status: 500 },
  STORE_UNAVAILABLE: { kind: 'operational', status: 503 },
  STORE_BACKUP_FAILED: { kind: 'operational', status: 500 },
  // crm
  CRM_CUSTOMER_NOT_FOUND: { kind: 'user', status: 404 },
  CRM_COMPANY_NOT_FOUND: { kind: 'user', status: 404 },
  CRM_PRODUCT_NOT_FOUND: { kind: 'user', status: 404 },
  CRM_ORDER_NOT_FOUND: { kind: 'user', status: 404 },
  CRM_EVENT_NOT_FOUND: { kind: 'user', status: 404 },
  CRM_INBOX_NOT_FOUND: { kind: 'user', status: 404 },
  CRM_CONVERSATION_NOT_FOUND: { kind: 'user', status: 404 },
  CRM_MESSAGE_NOT_FOUND: { kind: 'user', status: 404 },
  CRM_NOTE_NOT_FOUND: { kind: 'user', status: 404 },
  CRM_TASK_NOT_FOUND: { kind: 'user', status: 404 },
  CRM_ATTACHMENT_NOT_FOUND: { kind: 'user', status: 404 },
  CRM_IDENTITY_NOT_FOUND: { kind: 'user', status: 404 },
  CRM_ATTRIBUTE_NOT_FOUND: { kind: 'user', status: 404 },
  CRM_IMPORT_JOB_NOT_FOUND: { kind: 'user', status: 404 },
  CRM_AUDIT_ENTRY_NOT_FOUND: { kind: 'user', status: 404 },
  CRM_DUPLICATE: { kind: 'user', status: 409 },
  CRM_REFERENCED: { kind: 'user', status: 409 },
  CRM_INVALID_ATTRIBUTE: { kind: 'user', status: 400 },
  CRM_INVALID_PHONE: { kind: 'user', status: 400 },
  CRM_INVALID_REFERENCE: { kind: 'user', status: 400 },
  CRM_MERGE_INVALID: { kind: 'user', status: 409 },
  CRM_CUSTOMER_ERASED: { kind: 'user', status: 409 },
  CRM_NOT_EMPTY: { kind: 'user', status: 409 },
  CRM_IMPORT_INVALID_FILE: { kind: 'user', status: 400 },
  CRM_UNKNOWN_ENTITY: { kind: 'user', status: 400 },
  // nlu
  NLU_MODEL_NOT_FOUND: { kind: 'user', status: 404 },
  NLU_EXAMPLE_NOT_FOUND: { kind: 'user', status: 404 },
  NLU_NO_ACTIVE_MODEL: { kind: 'user', status: 409 },
  NLU_INVALID_DATASET: { kind: 'user', status: 400 },
  NLU_PROMOTION_REFUSED: { kind: 'user', status: 409 },
  NLU_UNKNOWN_TASK: { kind: 'user', status: 400 },
  NLU_TRAINING_JOB_NOT_FOUND: { kind: 'user', status: 404 },
  NLU_TRAINING_BUSY: { kind: 'user', status: 409 },
  // channels
  CHANNEL_MESSAGE_ID_REUSED: { kind: 'user', status: 409 },
  // channel webhooks and delivery (src/channels)
  CHANNEL_SIGNATURE_MISSING: { kind: 'user', status: 401 },
  CHANNEL_SIGNATURE_INVALID: { kind: 'user', status: 401 },
  CHANNEL_SIGNATURE_EXPIRED: { kind: 'user', status: 401 },
  CHANNEL_REPLAYED: { kind: 'user', status: 409 },
  CHANNEL_NOT_FOUND: { kind: 'user', status: 404 },
  CHANNEL_INVALID_PAYLOAD: { kind: 'user', status: 400 },
  CHANNEL_NOT_CONFIGURED: { kind: 'user', status: 422 },
  CHANNEL_DELIVERY_REFUSED: { kind: 'user', status: 502 },
  CHANNEL_DELIVERY_FAILED: { kind: 'operational', status: 502 },
  // the chat widget (src/channels/chat, server/routes/widget.ts)
  CHANNEL_WIDGET_ORIGIN_REFUSED: { kind: 'user', status: 403 },
  CHANNEL_WIDGET_VISITOR_UNKNOWN: { kind: 'user', status: 401 },
  CHANNEL_WIDGET_RATE_LIMITED: { kind: 'user', status: 429 },
  CHANNEL_MESSAGE_TOO_LONG: { kind: 'user', status: 400 },
  // the email channel: raw MIME in, IMAP polling (src/channels/email)
  CHANNEL_EMAIL_MALFORMED: { kind: 'user', status: 400 },
  CHANNEL_EMAIL_NO_SENDER: { kind: 'user', status: 422 },
  CHANNEL_EMAIL_TOO_LARGE: { kind: 'user', status: 413 },
  CHANNEL_IMAP_FAILED: { kind: 'operational', status: 502 },
  CHANNEL_POLL_BUSY: { kind: 'user', status: 409 },
  // conditions (crm/conditions) compiled to SQL, and agent policies written in them
  STORE_CONDITION_INVALID: { kind: 'user', status: 400 },
  STORE_CONDITION_UNSUPPORTED: { kind: 'user', status: 400 },
  AGENT_POLICY_INVALID: { kind: 'user', status: 400 },
  // knowledge base (retrieval)
  KB_INVALID_ARTICLE: { kind: 'user', status: 400 },
  KB_INVALID_DOCUMENT: { kind: 'user', status: 400 },
  KB_DUPLICATE_CHUNK: { kind: 'user', status: 409 },
  KB_INVALID_SNAPSHOT: { kind: 'user', status: 400 },
  KB_INVALID_GLOSSARY: { kind: 'user', status: 400 },
  KB_DICTIONARY_UNAVAILABLE: { kind: 'bug', status: 500 },
  KB_ARTICLE_NOT_FOUND: { kind: 'user', status: 404 },
  KB_FAQ_NOT_FOUND: { kind: 'user', status: 404 },
  KB_UNKNOWN_PRODUCT: { kind: 'user', status: 400 },
  KB_EXTERNAL_ID_TAKEN: { kind: 'user', status: 409 },
  KB_IMPORT_FAILED: { kind: 'user', status: 400 },
  // agent (reasoning, decisions, evaluation)
  AGENT_DECISION_NOT_FOUND: { kind: 'user', status: 404 },
  AGENT_POLICY_SET_NOT_FOUND: { kind: 'user', status: 404 },
  AGENT_INVALID_SCENARIOS: { kind: 'user', status: 400 },
  // workflows (definitions as data)
  WORKFLOW_INVALID: { kind: 'user', status: 400 },
  WORKFLOW_NOT_FOUND: { kind: 'user', status: 404 },
  WORKFLOW_FILE_UNREADABLE: { kind: 'user', status: 400 },
  // actions (the executor), approvals, notifications, human takeover
  ACTION_INVALID_INPUT: { kind: 'user', status: 400 },
  ACTION_APPROVAL_NOT_FOUND: { kind: 'user', status: 404 },
  ACTION_APPROVAL_DECIDED: { kind: 'user', status: 409 },
  ACTION_NOTIFICATION_NOT_FOUND: { kind: 'user', status: 404 },
  ACTION_MESSAGE_NOT_INBOUND: { kind: 'user', status: 409 },
  ACTION_IDEMPOTENCY_KEY_REUSED: { kind: 'user', status: 409 },
  ACTION_ASSIGNMENT_INVALID: { kind: 'user', status: 400 },
  // llm (an optional OpenAI-compatible model; the agent falls back to its own reply on any of these)
  LLM_TIMEOUT: { kind: 'operational', status: 504 },
  LLM_RATE_LIMITED: { kind: 'operational', status: 503 },
  LLM_UNAVAILABLE: { kind: 'operational', status: 502 },
  LLM_BAD_RESPONSE: { kind: 'operational', status: 502 },
  LLM_CIRCUIT_OPEN: { kind: 'operational', status: 503 },
  // workflow runs (src/workflow/engine.ts)
  WORKFLOW_RUN_NOT_FOUND: { kind: 'user', status: 404 },
  WORKFLOW_RUN_NOT_ACTIVE: { kind: 'user', status: 409 },
  WORKFLOW_ACTION_UNAVAILABLE: { kind: 'user', status: 400 },
  // surveys and outgoing workflow calls (issue 5: send_survey, call_webhook)
  SURVEY_NOT_FOUND: { kind: 'user', status: 404 },
  SURVEY_ALREADY_ANSWERED: { kind: 'user', status: 409 },
  WORKFLOW_WEBHOOK_FAILED: { kind: 'operational', status: 502 },
} as const satisfies Record<string, ErrorCodeSpec>

export type ErrorCode = keyof typeof ERROR_CODES

export interface AppErrorOptions {
  readonly cause?: unknown
  readonly details?: unknown
}

/** An error with a registered code; its kind and HTTP status come from the registry. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: unknown
  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.details = options.details
  }

  get kind(): ErrorKind {
    return ERROR_CODES[this.code].kind
  }

  get status(): number {
    return ERROR_CODES[this.code].status
  }

  /** The public shape: `{ error: { code, message, details } }`. */
  toJSON(): { error: { code: string; message: string; details: unknown } } {
    return { error: { code: this.code, message: this.message, details: this.details ?? null } }
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError
}

/** The `<AREA>_<ENTITY>_NOT_FOUND` error for an id that does not resolve. */
export function notFound(code: ErrorCode, entity: string, id: string): AppError {
  return new AppError(code, `${entity} "${id}" does not exist`, { details: { id } })
}
