import { CONTRACT_VERSION } from '@tiercache/core/contracts';
import { assertRejectTime } from './postgres-errors.js';
import type { PostgresIndex } from './postgres-index.js';
import type { SharedIndex } from './shared-index.js';
import { CLEAR_ENTRIES, DELETE_ENTRY, INSERT_REJECTION, RELEASE_CLAIM } from './shared-statements.js';

/**
 * The `PostgresIndex` callers see: reads answered by the replica, changes recorded there at once
 * and sent to the server through the shared index's ordered writes.
 */
export function sharedIndexApi(shared: SharedIndex): PostgresIndex {
  const { replica } = shared;
  const local = replica.index;
  let closing: Promise<void> | undefined;
  return {
    contractVersion: CONTRACT_VERSION,
    get: (type, key) => local.get(type, key),
    insert: (entry) => {
      const existing = local.get(entry.type, entry.key);
      if (existing) return existing;
      const stored = local.insert(entry);
      shared.publish(stored);
      return stored;
    },
    touch: (type, key, at) => {
      const touched = local.touch(type, key, at);
      if (touched) shared.uses.add(type, key, at);
      return touched;
    },
    delete: (type, key) => {
      const removed = local.delete(type, key);
      if (removed) shared.write('delete', DELETE_ENTRY, [type, key]);
      return removed;
    },
    clear: (type) => {
      const removed = local.clear(type);
      shared.write('clear', CLEAR_ENTRIES, [type ?? null]);
      return removed;
    },
    reject: (type, requestKey, entryKey, at) => {
      assertRejectTime(at);
      const added = local.reject(type, requestKey, entryKey, at);
      // Known already: from the server, or queued for it by an earlier call.
      if (added) shared.write('reject', INSERT_REJECTION, [type, requestKey, entryKey, Math.round(at)]);
      return added;
    },
    isRejected: (type, requestKey, entryKey) => local.isRejected(type, requestKey, entryKey),
    partition: (type, paramsHash) => local.partition(type, paramsHash),
    evictionCandidates: (options) => local.evictionCandidates(options),
    stats: () => local.stats(),
    revision: () => local.revision(),
    subscribe: (listener) => local.subscribe(listener),
    claimSharedGeneration: (type, key, { claimMs }) => shared.claim(type, key, claimMs),
    releaseGeneration: (type, key) =>
      shared.write('releaseGeneration', RELEASE_CLAIM, [type, key, shared.owner]),
    lookupShared: (type, key) => shared.lookup(type, key),
    flush: (timeoutMs) => shared.flush(timeoutMs),
    catchUp: () => shared.feed.catchUp(),
    sharedStats: () => shared.sharedStats(),
    health: () => ({
      connected: shared.feed.connected,
      pendingWrites: shared.writes.pending,
      revision: shared.sync.revision,
      machineId: shared.settings.machineId,
    }),
    close: () => {
      closing ??= shared.close();
      return closing;
    },
  };
}
