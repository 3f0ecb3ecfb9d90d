import type { BlobTier, EntryIndex } from '@tiercache/core';
import type { DiskTier } from '@tiercache/disk';
import type { MediaStorage } from '@tiercache/media';
import type { S3Tier } from '@tiercache/s3';
import type { ServiceConfig } from '../config.js';
import type { SharedIndex, StorageContext, StorageWarning, TierPart } from './storage-part.js';
import { MEMORY_PROFILE, type Profile, partsOf } from './storage-registry.js';

export type { StorageWarning } from './storage-part.js';

/** The parts of an opened profile that maintenance commands need by name. */
export interface OpenedStorage extends MediaStorage {
  index: EntryIndex;
  /** The L2 tier (local, shared and farm profiles). */
  disk: DiskTier | undefined;
  /** The L3 tier (shared and farm profiles). */
  s3: S3Tier | undefined;
}

export interface ProfileStorage {
  /** Opens the profile's index and tiers; `@tiercache/media` calls it on first use only. */
  open(): OpenedStorage;
  /** What `open` returned, once it ran. */
  opened(): OpenedStorage | undefined;
  /** Waits until every tier wrote what it queued (uploads). */
  flush(): Promise<void>;
  /** Closes the shared index, if the profile has one (after the cache is closed). */
  close(): Promise<void>;
}

/** How `openProfileStorage` treats storage that cannot be opened. */
export interface ProfileStorageOptions {
  /**
   * `false`: opening fails the call. `true`: one warning, and the run goes on with the memory
   * profile (a generation must not fail because the cache's disk is full or its index locked).
   * @default false
   */
  fallbackToMemory?: boolean;
  /**
   * Only reads will be made (`cache verify`, `cache stats`): an index that cannot be opened for
   * writing (a full disk) is opened read-only instead, from a snapshot if need be.
   * @default false
   */
  readsOnly?: boolean;
  /** Receives the tiers' and the index's warnings. @default ignored */
  onWarning?: (warning: StorageWarning) => void;
}

interface BuiltTier {
  part: TierPart;
  tier: BlobTier;
}

/**
 * The storage of `config.profile`, from its parts (see `storage-registry.ts`). Loads what the
 * tiers need (the AWS SDK) and opens a shared index (the farm's PostgreSQL index, whose replica
 * loads from the server: a bad URL or an unreachable server rejects here, the password never
 * shown); the tiers and a local index open on first use.
 */
export async function openProfileStorage(
  config: ServiceConfig,
  options: ProfileStorageOptions = {},
): Promise<ProfileStorage> {
  const onWarning = options.onWarning ?? (() => undefined);
  const parts = partsOf(config.profile);
  const settingsOf = (name: string): unknown => (config.storage as Record<string, unknown>)[name];
  const loaded = new Map<string, unknown>();
  for (const part of parts.tiers) if (part.load) loaded.set(part.name, await part.load());
  let built: BuiltTier[] = [];
  const flush = async () => {
    await Promise.all(built.map(({ part, tier }) => part.flush?.(tier)));
  };
  const context: StorageContext = {
    cacheDir: config.cacheDir,
    onWarning,
    readsOnly: options.readsOnly === true,
    flushTiers: flush,
  };
  const shared: SharedIndex | undefined = await parts.index.openShared?.(
    settingsOf(parts.index.name),
    context,
  );

  const build = (profile: Profile): OpenedStorage => {
    const { index, tiers } = partsOf(profile);
    built = [];
    try {
      // Tiers first: the S3 tier validates its options, so a bad one fails before the index file exists.
      for (const part of tiers)
        built.push({ part, tier: part.create(settingsOf(part.name), context, loaded.get(part.name)) });
      const opened =
        profile === config.profile && shared
          ? shared.index
          : index.openLocal?.(settingsOf(index.name), context);
      if (!opened) throw new Error(`the ${index.name} index opens before the storage`);
      const named = (name: string) => built.find(({ part }) => part.name === name)?.tier;
      return {
        index: opened,
        tiers: built.map(({ tier }) => tier),
        disk: named('disk') as DiskTier | undefined,
        s3: named('s3') as S3Tier | undefined,
      };
    } catch (error) {
      for (const { tier } of built) void tier.close?.().catch(() => undefined);
      built = [];
      throw error;
    }
  };

  let storage: OpenedStorage | undefined;
  return {
    open() {
      if (storage) return storage;
      try {
        storage = build(config.profile);
      } catch (error) {
        if (!options.fallbackToMemory || config.profile === MEMORY_PROFILE) throw error;
        const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
        onWarning({
          code: 'E_STORAGE_UNAVAILABLE',
          message: `the ${config.profile} cache in ${config.cacheDir} cannot be opened (${reason}); this run goes on with the memory cache only`,
        });
        storage = build(MEMORY_PROFILE);
      }
      return storage;
    },
    opened: () => storage,
    flush,
    close: async () => {
      await shared?.close();
    },
  };
}
