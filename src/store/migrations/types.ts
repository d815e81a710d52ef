import type { ColumnDataType, Expression } from 'kysely'
import type { Dialect } from '../database.js'

type DataType = ColumnDataType | Expression<unknown>

/** Column types that differ between SQLite and Postgres; one migration set serves both. */
export interface ColumnTypes {
  readonly time: DataType
  readonly json: DataType
  readonly bool: DataType
  readonly int: DataType
  readonly blob: DataType
  readonly text: DataType
  readonly float: DataType
}

export function columnTypes(dialect: Dialect): ColumnTypes {
  return dialect === 'sqlite'
    ? {
        time: 'text',
        json: 'text',
        bool: 'integer',
        int: 'integer',
        blob: 'blob',
        text: 'text',
        float: 'real',
      }
    : {
        time: 'timestamptz',
        json: 'jsonb',
        bool: 'boolean',
        int: 'bigint',
        blob: 'bytea',
        text: 'text',
        float: 'double precision',
      }
}
