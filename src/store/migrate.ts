import { Migrator, type Migration, type MigrationProvider, type MigrationResult } from 'kysely'
import { AppError } from '../core/index.js'
import type { Store } from './database.js'
import { coreMigration } from './migrations/0001-core.js'
import { modelsMigration } from './migrations/0002-models.js'
import { knowledgeMigration } from './migrations/0003-knowledge.js'
import { workflowsMigration } from './migrations/0004-workflows.js'
import { actionsMigration } from './migrations/0005-actions.js'
import { jobsMigration } from './migrations/0006-jobs.js'
import { runsMigration } from './migrations/0007-runs.js'
import { channelsMigration } from './migrations/0008-channels.js'
import { surveysMigration } from './migrations/0009-surveys.js'
import { liveMigration } from './migrations/0011-live.js'
import { emailMigration } from './migrations/0010-email.js'
import { notifyMigration } from './migrations/0015-notify.js'
import { trainingMigration } from './migrations/0013-training.js'

/** Every migration, in order. One set serves SQLite and Postgres; each receives the dialect. */
export function allMigrations(store: Store): Record<string, Migration> {
  return {
    '0001-core': coreMigration(store.dialect),
    '0002-models': modelsMigration(store.dialect),
    '0003-knowledge': knowledgeMigration(store.dialect),
    '0004-workflows': workflowsMigration(store.dialect),
    '0005-actions': actionsMigration(store.dialect),
    '0006-jobs': jobsMigration(store.dialect),
    '0007-runs': runsMigration(store.dialect),
    '0008-channels': channelsMigration(store.dialect),
    '0009-surveys': surveysMigration(store.dialect),
    '0011-live': liveMigration(store.dialect),
    '0010-email': emailMigration(store.dialect),
    '0015-notify': notifyMigration(store.dialect),
    '0013-training': trainingMigration(store.dialect),
  }
}

export interface MigrateResult {
  readonly applied: readonly string[]
  readonly failed: string | null
  readonly error: AppError | null
}

/**
 * Applies pending migrations. Returns what was applied instead of throwing halfway; each migration runs in
 * a transaction on both databases, so a failure leaves the database at the previous version.
 */
export async function migrateToLatest(store: Store): Promise<MigrateResult> {
  const provider: MigrationProvider = { getMigrations: async () => allMigrations(store) }
  // unordered: migrations written in parallel may land in any order; each is independent of the others'
  const migrator = new Migrator({
    db: store.db,
    provider,
    migrationTableSchema: store.schema ?? undefined,
    allowUnorderedMigrations: true,
  })
  const { error, results } = await migrator.migrateToLatest()
  const applied = (results ?? [])
    .filter((r: MigrationResult) => r.status === 'Success')
    .map((r) => r.migrationName)
  const failed = (results ?? []).find((r: MigrationResult) => r.status === 'Error')?.migrationName ?? null
  return {
    applied,
    failed,
    error:
      error === undefined
        ? null
        : new AppError(
            'STORE_MIGRATION_FAILED',
            `migration ${failed ?? '(unknown)'} failed; nothing of it was kept`,
            {
              cause: error,
            },
          ),
  }
}
