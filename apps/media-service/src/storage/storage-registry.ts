import type { SettingSpec } from '../setting-spec.js';
import { diskTier } from './disk-tier.js';
import { memoryIndex } from './memory-index.js';
import { memoryTier } from './memory-tier.js';
import { postgresIndex } from './postgres-index.js';
import { s3Tier } from './s3-tier.js';
import { sqliteIndex } from './sqlite-index.js';
import type { IndexPart, TierPart } from './storage-part.js';

// Every tier and index the app can build, and the profiles made of them. A new tier is its own
// file (settings, build, probe) plus one line here and its name in the profiles that use it.

export const TIER_PARTS = [memoryTier, diskTier, s3Tier] as const;
export const INDEX_PARTS = [memoryIndex, sqliteIndex, postgresIndex] as const;

type TierName = (typeof TIER_PARTS)[number]['name'];
type IndexName = (typeof INDEX_PARTS)[number]['name'];

export interface ProfileDefinition {
  index: IndexName;
  /** Fastest first: the order reads try them in. */
  tiers: readonly TierName[];
  /** For the `profile` setting's description. */
  summary: string;
}

export const PROFILE_DEFINITIONS = {
  memory: { index: 'memory-index', tiers: ['memory'], summary: 'L1 only' },
  local: { index: 'sqlite', tiers: ['memory', 'disk'], summary: 'memory + SQLite + disk' },
  shared: { index: 'sqlite', tiers: ['memory', 'disk', 's3'], summary: 'local + S3' },
  farm: {
    index: 'postgres',
    tiers: ['memory', 'disk', 's3'],
    summary: 'memory + disk + S3 over the PostgreSQL index',
  },
} as const satisfies Record<string, ProfileDefinition>;

export type Profile = keyof typeof PROFILE_DEFINITIONS;
export const PROFILES = Object.keys(PROFILE_DEFINITIONS) as [Profile, ...Profile[]];

/** The profile that needs nothing but memory: what a run falls back to when storage cannot open. */
export const MEMORY_PROFILE: Profile = 'memory';

/** Each part's settings, by part name, as `resolve` returns them (for the parts a profile uses). */
export type StorageSettings = {
  [Part in (typeof TIER_PARTS)[number] | (typeof INDEX_PARTS)[number] as Part['name']]?: ReturnType<
    Part['resolve']
  >;
};

export const tierPart = (name: string): TierPart | undefined =>
  (TIER_PARTS as readonly TierPart[]).find((part) => part.name === name);

export const indexPart = (name: string): IndexPart | undefined =>
  (INDEX_PARTS as readonly IndexPart[]).find((part) => part.name === name);

/** The parts of `profile`: its index, then its tiers. */
export function partsOf(profile: Profile): { index: IndexPart; tiers: TierPart[] } {
  const definition: ProfileDefinition = PROFILE_DEFINITIONS[profile];
  return {
    index: indexPart(definition.index) as IndexPart,
    tiers: definition.tiers.map((name) => tierPart(name) as TierPart),
  };
}

/** Every setting a tier or index declares. */
export const STORAGE_SETTINGS: readonly SettingSpec[] = [...TIER_PARTS, ...INDEX_PARTS].flatMap(
  (part) => part.settings,
);
