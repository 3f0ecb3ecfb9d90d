import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type BlobTier, createMemoryIndex, type EntryIndex } from '@tiercache/core';
import { createDiskTier, type DiskTier } from '@tiercache/disk';
import type { MediaStorage } from '@tiercache/media';
import { createMemoryTier } from '@tiercache/memory';
import type { PostgresIndex } from '@tiercache/postgres';
import type { S3Tier } from '@tiercache/s3';
import { openSqliteIndex, type SqliteIndex } from '@tiercache/sqlite';
import type { ServiceConfig } from './config.js';

/** The parts of an opened profile that maintenance commands need by name. */
export interface OpenedStorage extends MediaStorage {
  index: EntryIndex;
  /** The L2 tier (local, shared and farm profiles). */
  disk: DiskTier | undefined;
  /** The L3 tier (shared and farm profiles). */
  s3: S3Tier | undefined;
}

/** A warning from a tier or the farm index, for the operator (never holds a secret). */
export interface StorageWarning {
  code: string;
  message: string;
}

/** The farm profile's index, opened before the storage: its replica loads from the server. */
export interface FarmIndex {
  index: PostgresIndex;
  /** The bucket every entry's blob must reach before other machines may see the entry. */
  publishAfter: { s3: S3Tier | undefined };
}

export interface ProfileStorage {
  /** Opens the profile's index and tiers; `@tiercache/media` calls it on first use only. */
  open(): OpenedStorage;
  /** What `open` returned, once it ran. */
  opened(): OpenedStorage | undefined;
}

/** A warning the storage reports on the way (the S3 tier's, or a profile that fell back). */
export interface StorageWarning {
  code: string;
  /** One line; never contains credentials. */
  message: string;
  /** The tier it is about, when it is about one. */
  tier?: string;
}

/** How `profileStorage` treats storage that cannot be opened. */
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
  /** The farm profile's shared index (see `openFarmIndex`), opened by the caller. */
  farm?: FarmIndex;
}

/** The profile's index; read-only when it cannot be opened for writing and only reads are coming. */
function openIndex(file: string, readsOnly: boolean): SqliteIndex {
  try {
    return openSqliteIndex({ file });
  } catch (error) {
    if (!readsOnly || !existsSync(file)) throw error;
    try {
      return openSqliteIndex({ file, readonly: true });
    } catch {
      throw error;
    }
  }
}

/** Where the shared profile keeps its sync cursor: beside `cache.db`, which it describes. */
export const syncStatePath = (cacheDir: string) => join(cacheDir, 's3-sync.json');

type S3Module = typeof import('@tiercache/s3');

/**
 * The S3 package for the shared profile, `undefined` otherwise. Loaded on demand: the AWS SDK
 * takes longer to load than most CLI commands take to run.
 */
export async function loadS3Module(config: ServiceConfig): Promise<S3Module | undefined> {
  return config.s3 ? import('@tiercache/s3') : undefined;
}

function s3Tier(
  config: ServiceConfig,
  module: S3Module | undefined,
  onWarning: (warning: StorageWarning) => void,
): S3Tier | undefined {
  const s3 = config.s3;
  if (!s3) return undefined;
  if (!module) throw new Error('the shared and farm profiles need loadS3Module() first');
  return module.createS3Tier({
    bucket: s3.bucket,
    prefix: s3.prefix,
    clientConfig: {
      region: s3.region,
      forcePathStyle: s3.forcePathStyle,
      ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
      ...(s3.credentials ? { credentials: s3.credentials } : {}),
    },
    syncStatePath: syncStatePath(config.cacheDir),
    onWarning: (warning) => onWarning({ ...warning, tier: 's3' }),
  });
}

/** How often the same farm index failure is reported while it lasts. */
const FARM_WARNING_EVERY_MS = 60_000;

/**
 * Connects the farm profile to its PostgreSQL index (`undefined` for other profiles). Runtime
 * failures of the server become warnings, at most one per kind a minute: the index serves from
 * its replica meanwhile and recovers on its own.
 */
export async function openFarmIndex(
  config: ServiceConfig,
  onWarning: (warning: StorageWarning) => void = () => undefined,
): Promise<FarmIndex | undefined> {
  const settings = config.postgres;
  if (!settings) return undefined;
  const { openPostgresIndex } = await import('@tiercache/postgres');
  const publishAfter: FarmIndex['publishAfter'] = { s3: undefined };
  const lastWarned = new Map<string, number>();
  const index = await openPostgresIndex({
    connectionString: settings.url,
    migrate: settings.migrate,
    // A worker started while the database is down generates on its own and joins when it is back.
    offlineStart: true,
    beforePublish: async () => {
      await publishAfter.s3?.flush();
    },
    onError: (error) => {
      const kind = `${error.context.operation}:${error.context.sqlState ?? ''}`;
      const now = Date.now();
      if (now - (lastWarned.get(kind) ?? 0) < FARM_WARNING_EVERY_MS) return;
      lastWarned.set(kind, now);
      onWarning({ code: error.code, message: error.message });
    },
  });
  return { index, publishAfter };
}

/**
 * One storage per profile:
 * - `memory`: core's memory index and the memory tier; gone when the process ends.
 * - `local`: memory L1 over disk L2, with the SQLite index in `<cacheDir>/cache.db` (the
 *   original system's layout: `<cacheDir>/<type>/<key>.<ext>` beside it).
 * - `shared`: local plus the S3 bucket as L3, so machines share what each generated.
 * - `farm`: memory L1, disk L2 and the S3 bucket as L3 over one PostgreSQL index shared by every
 *   machine (`openFarmIndex`): claims make one machine generate a new key, the change feed
 *   brings every machine's entries to the others' matchers.
 */
export function profileStorage(
  config: ServiceConfig,
  s3Module: S3Module | undefined,
  onWarning: (warning: StorageWarning) => void = () => undefined,
  options: ProfileStorageOptions = {},
): ProfileStorage {
  let storage: OpenedStorage | undefined;
  return {
    open() {
      if (storage) return storage;
      const memory = createMemoryTier({ maxBytes: config.memoryMaxBytes });
      const memoryOnly = (): OpenedStorage => ({
        index: createMemoryIndex(),
        tiers: [memory],
        disk: undefined,
        s3: undefined,
      });
      if (config.profile === 'memory') {
        storage = memoryOnly();
        return storage;
      }
      // The S3 tier validates its options first, so a bad one fails before the index file exists.
      const s3 = s3Tier(config, s3Module, onWarning);
      try {
        const disk = createDiskTier({ dir: config.cacheDir });
        if (options.farm) options.farm.publishAfter.s3 = s3;
        const index = options.farm
          ? options.farm.index
          : openIndex(join(config.cacheDir, 'cache.db'), options.readsOnly === true);
        const tiers: BlobTier[] = s3 ? [memory, disk, s3] : [memory, disk];
        storage = { index, tiers, disk, s3 };
      } catch (error) {
        if (!options.fallbackToMemory) throw error;
        void s3?.close().catch(() => undefined);
        const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
        onWarning({
          code: 'E_STORAGE_UNAVAILABLE',
          message: `the ${config.profile} cache in ${config.cacheDir} cannot be opened (${reason}); this run goes on with the memory cache only`,
        });
        storage = memoryOnly();
      }
      return storage;
    },
    opened: () => storage,
  };
}
