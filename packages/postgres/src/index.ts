export type { PostgresIndexErrorCode } from './postgres-errors.js';
export {
  openPostgresIndex,
  type PostgresIndex,
  type PostgresIndexHealth,
} from './postgres-index.js';
export type { PostgresIndexOptions } from './postgres-index-options.js';
export { SCHEMA_VERSION } from './schema.js';
