export {
  openStore,
  redactUrl,
  type Store,
  type StoreOptions,
  type Dialect,
  type Db,
  type Row,
} from './database.js'
export { parseDatabaseUrl, type DatabaseTarget } from './url.js'
export { createCodec, type Codec, type ColumnKinds, type ColumnKind } from './codec.js'
export { migrateToLatest, type MigrateResult } from './migrate.js'
