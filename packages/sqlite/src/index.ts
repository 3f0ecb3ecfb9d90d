export type { CheckpointMode, CheckpointResult } from './checkpoint-policy.js';
export {
  diagnoseSqliteIndex,
  type IndexRecoveryOptions,
  type IndexRecoveryReport,
  recoverSqliteIndex,
} from './index-recovery.js';
export { SCHEMA_VERSION } from './schema.js';
export type { SqliteIndexErrorCode } from './sqlite-errors.js';
export {
  type IntegrityCheckOptions,
  type IntegrityReport,
  openSqliteIndex,
  type SqliteIndex,
  type SqliteIndexStats,
} from './sqlite-index.js';
export type { SqliteIndexOptions } from './sqlite-index-options.js';
