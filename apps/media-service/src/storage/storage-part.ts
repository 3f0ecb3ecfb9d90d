import type { BlobTier, EntryIndex } from '@tiercache/core';
import type { SettingSpec } from '../setting-spec.js';

/** A warning from a tier or the index, for the operator (never holds a secret). */
export interface StorageWarning {
  code: string;
  /** One line; never contains credentials. */
  message: string;
  /** The tier it is about, when it is about one. */
  tier?: string;
}

/** The loaded settings, as a part reads its own. */
export interface SettingReader {
  /** The validated value of `path`, its default when nothing set it. */
  value<T>(path: string): T | undefined;
  /** Throws `E_CONFIG` about `path`, named as the user set it (or by its variable when unset). */
  fail(path: string, message: string): never;
  /** The environment the configuration was read from (`AWS_*` for the S3 part). */
  env: Readonly<Record<string, string | undefined>>;
  profile: string;
}

/** What every part of a profile is built with. */
export interface StorageContext {
  /** The profile's cache folder (absolute). */
  cacheDir: string;
  onWarning: (warning: StorageWarning) => void;
  /** Only reads will be made (`cache verify`, `cache stats`). */
  readsOnly: boolean;
  /** Waits until every tier of the profile has written what it queued (the farm index publishes after it). */
  flushTiers: () => Promise<void>;
}

/**
 * One blob tier a profile can use, in one file: its settings, how they are read, how the tier is
 * built, and how its health is probed. Adding a tier is one such file and one line in
 * `storage-registry.ts`.
 */
export interface TierPart<
  Name extends string = string,
  Settings = unknown,
  Loaded = unknown,
  Tier extends BlobTier = BlobTier,
> {
  kind: 'tier';
  name: Name;
  settings: readonly SettingSpec[];
  /** This tier's settings; runs only when the profile uses the tier, so it may require some. */
  resolve(read: SettingReader): Settings;
  /** Loads a large dependency on demand (the AWS SDK), before the storage is opened. */
  load?(): Promise<Loaded>;
  create(settings: Settings, context: StorageContext, loaded: Loaded): Tier;
  /** Waits until the tier wrote what it queued (uploads): before the service closes, before a shared index publishes. */
  flush?(tier: Tier): Promise<void>;
  /**
   * Throws when the tier cannot answer (`/healthz`).
   * @default a lookup of an entry no one stores (`has`)
   */
  probe?(tier: BlobTier): Promise<void>;
}

/** One entry index a profile can use, in one file: its settings and how it is opened. */
export interface IndexPart<Name extends string = string, Settings = unknown> {
  kind: 'index';
  name: Name;
  settings: readonly SettingSpec[];
  resolve(read: SettingReader): Settings;
  /**
   * Opens the index before the storage (a shared index loads its replica from its server), or
   * answers `undefined` to be opened with the storage by `openLocal`.
   */
  openShared?(settings: Settings, context: StorageContext): Promise<SharedIndex>;
  /** Opens an index that lives with the storage (in memory, or a file in the cache folder). */
  openLocal?(settings: Settings, context: StorageContext): EntryIndex;
}

/** An index opened before the storage; closed when the service closes. */
export interface SharedIndex {
  index: EntryIndex;
  close(): Promise<void>;
}
