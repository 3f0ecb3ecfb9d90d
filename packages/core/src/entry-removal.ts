import type { IndexCall } from './cache-parts.js';
import type { Entry } from './contracts/entry.js';
import type { EntryIndex } from './contracts/entry-index.js';
import type { TierAccess } from './tier-access.js';

export interface RemovalContext {
  index: EntryIndex;
  tiers: TierAccess;
  indexCall: IndexCall;
}

/**
 * Removes an entry: the index row first (a blob without a row is harmless garbage, a row
 * without a blob is not), then its per-entry records, then its blob if no other entry
 * references the same content. An index that cannot count references keeps every blob:
 * `verify` and the tiers' own bounds collect them. Resolves whether the row was removed.
 */
export async function removeEntry(context: RemovalContext, entry: Entry): Promise<boolean> {
  const { index, tiers, indexCall } = context;
  const removed = indexCall('delete', () => index.delete(entry.type, entry.key), false);
  if (!removed) return false;
  await tiers.removeEntry(entry, unreferenced(context, entry));
  return true;
}

/** True when the index is sure no entry references the entry's blob. */
export function unreferenced(context: Omit<RemovalContext, 'tiers'>, entry: Entry): boolean {
  const { index, indexCall } = context;
  if (!index.blobReferences) return false;
  const count = index.blobReferences.bind(index);
  return indexCall('blobReferences', () => count(entry), 1) === 0;
}
