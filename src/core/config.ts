import { z } from 'zod'
import { AppError } from './errors.js'

/**
 * The typed, frozen configuration. `loadConfig` is the only reader of `process.env` in AgentCRM:
 * explicit option, then environment variable, then default.
 */
export interface Config {
  readonly databaseUrl: string
  readonly dataDir: string
  readonly port: number
  readonly host: string
  readonly secret: string | null
  readonly redisUrl: string | null
  readonly llm: { readonly baseUrl: string; readonly model: string; readonly apiKey: string | null } | null
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Default region for phone numbers written without a country code. */
  readonly defaultRegion: string
  readonly bodyLimitBytes: number
  readonly sessionTtlHours: number
  /** `AGENTCRM_SMTP_URL` (`smtp://user:pass@host:587`, `smtps://…`): email replies go out through it. */
  readonly smtpUrl: string | null
  /** `AGENTCRM_RUN_RETENTION_DAYS` (default 30): finished workflow runs and their steps are pruned after it. */
  readonly runRetentionDays: number
  /** `AGENTCRM_DECISION_RETENTION_DAYS` (default 365): agent decision records are pruned after it. */
  readonly decisionRetentionDays: number
  /** `AGENTCRM_QUEUE_PREFIX` (queue mode): the Redis key prefix, so installs and tests can share a server. */
  readonly queuePrefix: string | null
  /** `AGENTCRM_PUBLIC_URL`: the console's address as people reach it, for links in notification emails. */
  readonly publicUrl: string
  /** `AGENTCRM_NOTIFY_FROM`: the sender of notification emails to the team. */
  readonly notifyFrom: string
  /** `AGENTCRM_EMAIL_MAX_BYTES` (default 10 MiB): the largest raw email accepted (webhook or IMAP). */
  readonly emailMaxBytes: number
  /** `AGENTCRM_EMAIL_ATTACHMENT_MAX_BYTES` (default 5 MiB): larger attachments are recorded, not stored. */
  readonly emailAttachmentMaxBytes: number
  /** `AGENTCRM_IMAP_POLL_SECONDS` (default 60): how often email inboxes with IMAP settings are polled. */
  readonly imapPollSeconds: number
  /** `AGENTCRM_IMAP_PASSWORD_<NAME>` variables: IMAP passwords, named by an inbox's `settings.imap.passwordEnv`. */
  readonly imapPasswords: Readonly<Record<string, string>>
}

export type ConfigOverrides = Partial<Omit<Config, 'llm'>> & { llm?: Config['llm'] }

const portSchema = z.coerce.number().int().min(0).max(65535)

/**
 * Builds the configuration from overrides (flags), then the environment, then defaults.
 *
 * @example
 *   const config = loadConfig(process.env, { port: 3001 })
 */
export function loadConfig(env: Record<string, string | undefined>, overrides: ConfigOverrides = {}): Config {
  const pick = (key: string): string | undefined => {
    const value = env[key]
    return value === undefined || value === '' ? undefined : value
  }
  const portText = overrides.port ?? pick('AGENTCRM_PORT') ?? 3000
  const port = portSchema.safeParse(portText)
  if (!port.success) {
    throw new AppError(
      'CORE_INVALID_CONFIG',
      `AGENTCRM_PORT "${String(portText)}" is not a port; use a whole number from 0 to 65535`,
    )
  }
  const llmBase = pick('AGENTCRM_LLM_BASE_URL')
  const llmModel = pick('AGENTCRM_LLM_MODEL')
  if ((llmBase === undefined) !== (llmModel === undefined) && overrides.llm === undefined) {
    throw new AppError(
      'CORE_INVALID_CONFIG',
      'set both AGENTCRM_LLM_BASE_URL and AGENTCRM_LLM_MODEL to use an LLM, or neither to run without one',
    )
  }
  const logLevel = overrides.logLevel ?? pick('AGENTCRM_LOG_LEVEL') ?? 'info'
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
  if (!(levels as readonly string[]).includes(logLevel)) {
    throw new AppError(
      'CORE_INVALID_CONFIG',
      `AGENTCRM_LOG_LEVEL "${logLevel}" is not a level; use one of ${levels.join(', ')}`,
    )
  }
  const redisUrl = overrides.redisUrl ?? pick('AGENTCRM_REDIS_URL') ?? null
  const databaseUrl = overrides.databaseUrl ?? pick('AGENTCRM_DATABASE_URL') ?? '.agentcrm/agentcrm.db'
  if (redisUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new AppError(
      'CORE_INVALID_CONFIG',
      'AGENTCRM_REDIS_URL (queue mode) requires Postgres; set AGENTCRM_DATABASE_URL to a postgres:// URL',
    )
  }
  const smtpUrl = overrides.smtpUrl ?? pick('AGENTCRM_SMTP_URL') ?? null
  if (smtpUrl !== null && !/^smtps?:\/\//.test(smtpUrl)) {
    throw new AppError(
      'CORE_INVALID_CONFIG',
      'AGENTCRM_SMTP_URL must start with smtp:// or smtps:// (for example smtp://user:pass@mail.example.com:587)',
    )
  }
  const days = (key: string, value: number | string | undefined, fallback: number): number => {
    const parsed = z.coerce
      .number()
      .int()
      .min(1)
      .max(36_500)
      .safeParse(value ?? fallback)
    if (!parsed.success)
      throw new AppError(
        'CORE_INVALID_CONFIG',
        `${key} "${String(value)}" is not a number of days; use a whole number from 1 to 36500`,
      )
    return parsed.data
  }
  const runRetentionDays = days(
    'AGENTCRM_RUN_RETENTION_DAYS',
    overrides.runRetentionDays ?? pick('AGENTCRM_RUN_RETENTION_DAYS'),
    30,
  )
  const decisionRetentionDays = days(
    'AGENTCRM_DECISION_RETENTION_DAYS',
    overrides.decisionRetentionDays ?? pick('AGENTCRM_DECISION_RETENTION_DAYS'),
    365,
  )
  const publicUrl = (
    overrides.publicUrl ??
    pick('AGENTCRM_PUBLIC_URL') ??
    `http://localhost:${port.data === 0 ? 3000 : port.data}`
  ).replace(/\/+$/, '')
  if (!/^https?:\/\/[^/\s]+/.test(publicUrl)) {
    throw new AppError(
      'CORE_INVALID_CONFIG',
      `AGENTCRM_PUBLIC_URL "${publicUrl}" is not an http(s) URL; use the console's address, e.g. https://crm.example.com`,
    )
  }
  const bytes = (key: string, value: number | string | undefined, fallback: number): number => {
    const parsed = z.coerce
      .number()
      .int()
      .min(1024)
      .max(1024 ** 3)
      .safeParse(value ?? fallback)
    if (!parsed.success)
      throw new AppError(
        'CORE_INVALID_CONFIG',
        `${key} "${String(value)}" is not a size in bytes; use a whole number from 1024 to 1073741824`,
      )
    return parsed.data
  }
  const imapPollSeconds = z.coerce
    .number()
    .int()
    .min(10)
    .max(86_400)
    .safeParse(overrides.imapPollSeconds ?? pick('AGENTCRM_IMAP_POLL_SECONDS') ?? 60)
  if (!imapPollSeconds.success) {
    throw new AppError(
      'CORE_INVALID_CONFIG',
      'AGENTCRM_IMAP_POLL_SECONDS is not a number of seconds; use a whole number from 10 to 86400',
    )
  }
  const imapPasswords =
    overrides.imapPasswords ??
    Object.fromEntries(
      Object.keys(env)
        .filter((key) => key.startsWith('AGENTCRM_IMAP_PASSWORD_') && pick(key) !== undefined)
        .map((key) => [key, pick(key) as string]),
    )
  const config: Config = {
    databaseUrl,
    dataDir: overrides.dataDir ?? pick('AGENTCRM_DATA_DIR') ?? '.agentcrm',
    port: port.data,
    host: overrides.host ?? pick('AGENTCRM_HOST') ?? '127.0.0.1',
    secret: overrides.secret ?? pick('AGENTCRM_SECRET') ?? null,
    redisUrl,
    llm:
      overrides.llm !== undefined
        ? overrides.llm
        : llmBase !== undefined && llmModel !== undefined
          ? { baseUrl: llmBase, model: llmModel, apiKey: pick('AGENTCRM_LLM_API_KEY') ?? null }
          : null,
    logLevel: logLevel as Config['logLevel'],
    defaultRegion: overrides.defaultRegion ?? pick('AGENTCRM_DEFAULT_REGION') ?? 'CN',
    bodyLimitBytes: overrides.bodyLimitBytes ?? 1024 * 1024,
    sessionTtlHours: overrides.sessionTtlHours ?? 12,
    smtpUrl,
    runRetentionDays,
    decisionRetentionDays,
    queuePrefix: overrides.queuePrefix ?? pick('AGENTCRM_QUEUE_PREFIX') ?? null,
    publicUrl,
    notifyFrom: overrides.notifyFrom ?? pick('AGENTCRM_NOTIFY_FROM') ?? 'AgentCRM <no-reply@agentcrm.local>',
    emailMaxBytes: bytes(
      'AGENTCRM_EMAIL_MAX_BYTES',
      overrides.emailMaxBytes ?? pick('AGENTCRM_EMAIL_MAX_BYTES'),
      10 * 1024 * 1024,
    ),
    emailAttachmentMaxBytes: bytes(
      'AGENTCRM_EMAIL_ATTACHMENT_MAX_BYTES',
      overrides.emailAttachmentMaxBytes ?? pick('AGENTCRM_EMAIL_ATTACHMENT_MAX_BYTES'),
      5 * 1024 * 1024,
    ),
    imapPollSeconds: imapPollSeconds.data,
    imapPasswords: Object.freeze({ ...imapPasswords }),
  }
  return Object.freeze(config)
}

/** Test-only settings, read here so that tests too never touch `process.env` directly. */
export interface TestServices {
  readonly postgresUrl: string | null
  readonly redisUrl: string | null
  readonly requireServices: boolean
}

export function loadTestServices(env: Record<string, string | undefined>): TestServices {
  return Object.freeze({
    postgresUrl: env.AGENTCRM_TEST_POSTGRES_URL || null,
    redisUrl: env.AGENTCRM_TEST_REDIS_URL || null,
    requireServices: env.AGENTCRM_REQUIRE_SERVICES === '1',
  })
}
