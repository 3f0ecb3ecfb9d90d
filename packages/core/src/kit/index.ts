// Helpers for tier, index and matcher authors. Users need only `@tiercache/core`.
export {
  assertBlobRef,
  assertEntryRef,
  blobPath,
  blobRefOf,
  CONTENT_HASH_PATTERN,
  sameBlob,
} from '../blob-ref.js';
export { compareForEviction, IndexChangeFeed } from '../change-feed.js';
export {
  type DestinationCheckOptions,
  resolveOwnedPaths,
  unwritableDestination,
  validateDestination,
  writeDestination,
} from '../destination.js';
export { validateEntry } from '../entry-validation.js';
export { type ErrorFactory, errorsFor, type PackageErrors } from '../error-factories.js';
export { describeValue } from '../errors.js';
export { canonicalJson } from '../json.js';
export { assertLogger, safeLog, silentLogger } from '../logger.js';
export { withExplanation } from '../matcher.js';
export { assertAssetType } from '../request.js';
export { ENTRY_ROW_COLUMNS, type EntryRow, entryToRow, rowToEntry } from './entry-row.js';
export {
  type CheckedOption,
  type CheckOptionsSettings,
  checkOptions,
  type NumberRule,
  type OptionChecker,
  type OptionPresence,
  type StringRule,
} from './option-checker.js';
