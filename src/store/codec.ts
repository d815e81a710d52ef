/** The two databases AgentCRM runs on. */
export type Dialect = 'sqlite' | 'postgres'

/**
 * The codec layer: both databases hand the domain the same values. Each table declares the columns that
 * need converting; everything else (text, integers) passes through.
 *
 * - time: ISO-8601 `Z` text on SQLite, `timestamptz` on Postgres (parsed back to ISO by the pool's type parser)
 * - json: text on SQLite, `jsonb` on Postgres; written as JSON text on both
 * - bool: 0/1 on SQLite, boolean on Postgres
 * - int: 64-bit counts and money; `bigint` on Postgres, parsed to number (exact below 2^53)
 */
export type ColumnKind = 'json' | 'bool' | 'time' | 'int' | 'blob'
export type ColumnKinds = Readonly<Record<string, ColumnKind>>

export interface Codec {
  readonly dialect: Dialect
  encode(kinds: ColumnKinds, row: Record<string, unknown>): Record<string, unknown>
  decode<T>(kinds: ColumnKinds, row: Record<string, unknown>): T
  json(value: unknown): string
  bool(value: boolean): boolean | number
}

export function createCodec(dialect: Dialect): Codec {
  const bool = (value: boolean): boolean | number => (dialect === 'sqlite' ? (value ? 1 : 0) : value)
  const encodeValue = (kind: ColumnKind, value: unknown): unknown => {
    if (value === null || value === undefined) return value
    switch (kind) {
      case 'json':
        return JSON.stringify(value)
      case 'bool':
        return bool(Boolean(value))
      case 'time':
        return value instanceof Date ? value.toISOString() : new Date(value as string).toISOString()
      case 'blob':
        return value instanceof Uint8Array ? Buffer.from(value) : value
      default:
        return value
    }
  }
  const decodeValue = (kind: ColumnKind, value: unknown): unknown => {
    if (value === null || value === undefined) return null
    switch (kind) {
      case 'json':
        return typeof value === 'string' ? JSON.parse(value) : value
      case 'bool':
        return value === true || value === 1 || value === '1' || value === 't'
      case 'time':
        return value instanceof Date ? value.toISOString() : value
      case 'int':
        return typeof value === 'bigint' || typeof value === 'string' ? Number(value) : value
      default:
        return value
    }
  }
  return {
    dialect,
    bool,
    json: (value) => JSON.stringify(value),
    encode(kinds, row) {
      const out: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(row)) {
        if (value === undefined) continue
        const kind = kinds[key]
        out[key] = kind === undefined ? value : encodeValue(kind, value)
      }
      return out
    },
    decode<T>(kinds: ColumnKinds, row: Record<string, unknown>): T {
      const out: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(row)) {
        const kind = kinds[key]
        out[key] = kind === undefined ? value : decodeValue(kind, value)
      }
      return out as T
    },
  }
}

/** Parses Postgres `timestamptz` text (`2026-11-25 01:54:24.123456+00`) to ISO-8601 `Z` with milliseconds. */
export function parsePostgresTimestamp(text: string): string {
  const iso = text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return text
  return date.toISOString()
}
