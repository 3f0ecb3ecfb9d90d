import { fileURLToPath } from 'node:url';
import {
  DEFAULT_SIMILARITY_POLICIES,
  isSimilarityPolicy,
  SIMILARITY_POLICY_NAMES,
  type SimilarityPolicy,
} from '@tiercache/media';
import { z } from 'zod';
import {
  accept,
  describeInput,
  flag,
  fromEnv,
  httpUrl,
  oneOf,
  text,
  wholeNumber,
} from './setting-schemas.js';
import type { SettingSpec } from './setting-spec.js';
import { PROFILE_DEFINITIONS, PROFILES, STORAGE_SETTINGS } from './storage/storage-registry.js';

// The table of every setting (see `SettingSpec`): the app's own here, each storage part's in its
// file under `storage/`. One table keeps the README's configuration section, the loader, the
// defaults and the error messages in agreement.

export const TTS_BACKENDS = ['auto', 'system', 'text2wav'] as const;
export type TtsBackendChoice = (typeof TTS_BACKENDS)[number];
export const IMAGE_ENGINES = ['auto', 'together', 'local'] as const;
export type ImageEngineChoice = (typeof IMAGE_ENGINES)[number];
// Media's own type and check: a policy name or { policy: 'jaccard', threshold } (a matcher
// cannot come from a file or the environment).
const similarity = accept<SimilarityPolicy>(
  `one of ${SIMILARITY_POLICY_NAMES.join(', ')}, or { "policy": "jaccard", "threshold": t } with t in (0, 1] (in the environment: t alone)`,
  isSimilarityPolicy,
);

/** A policy name, or a number: the Jaccard policy with that threshold. */
const similarityFromEnv = (raw: string): unknown => {
  if ((SIMILARITY_POLICY_NAMES as readonly string[]).includes(raw)) return raw;
  const threshold = fromEnv.number(raw);
  const jaccard = { policy: 'jaccard', threshold };
  // Anything else stays as written, so the error shows what was set.
  return isSimilarityPolicy(jaccard) ? jaccard : threshold;
};

/** The channels shipped with the app (`apps/media-service/channels`, next to `src/` and `dist/`). */
export const BUNDLED_CHANNELS_DIR = fileURLToPath(new URL('../channels', import.meta.url));

const profileSummary = Object.entries(PROFILE_DEFINITIONS)
  .map(([name, definition]) => `${name} (${definition.summary})`)
  .join(', ');

/** Every setting, in the order the README lists them. */
export const SETTINGS: readonly SettingSpec[] = [
  {
    path: 'profile',
    env: 'TIERCACHE_PROFILE',
    flag: '--profile',
    schema: oneOf(PROFILES),
    parseEnv: fromEnv.string,
    default: 'local',
    description: `storage profile: ${profileSummary}`,
  },
  {
    path: 'cacheDir',
    env: 'TIERCACHE_CACHE_DIR',
    flag: '--cache-dir',
    schema: text('a folder path'),
    parseEnv: fromEnv.string,
    default: './media_local_storage/cache',
    description: 'cache folder of the local, shared and farm profiles: `cache.db` and `<type>/<key>.<ext>`',
  },
  {
    path: 'outputDir',
    env: 'TIERCACHE_OUTPUT_DIR',
    flag: '--output-dir',
    schema: text('a folder path'),
    parseEnv: fromEnv.string,
    default: './media_local_storage/output',
    description: 'where delivered files (narration, images, video folders) are written',
  },
  {
    path: 'enableCache',
    env: 'TIERCACHE_ENABLE_CACHE',
    schema: flag,
    parseEnv: fromEnv.boolean,
    default: true,
    description: 'false runs every generation directly: no cache folder, no database, no lookups',
  },
  {
    path: 'ttlMs',
    env: 'TIERCACHE_TTL_MS',
    schema: wholeNumber(1),
    parseEnv: fromEnv.number,
    defaultText: '(none: entries never expire)',
    description:
      'how long a stored entry answers requests, in milliseconds; an expired one is generated again and `cache prune` removes it',
  },
  {
    path: 'prune.maxBytes',
    env: 'TIERCACHE_PRUNE_MAX_BYTES',
    schema: wholeNumber(0),
    parseEnv: fromEnv.number,
    defaultText: '(none)',
    description:
      'largest total size `cache prune` leaves, in bytes: expired entries first, then the least recently used (`--max-bytes` overrides it)',
  },
  {
    path: 'prune.maxEntries',
    env: 'TIERCACHE_PRUNE_MAX_ENTRIES',
    schema: wholeNumber(0),
    parseEnv: fromEnv.number,
    defaultText: '(none)',
    description: 'most entries `cache prune` leaves (`--max-entries` overrides it)',
  },
  {
    path: 'similarity.tts',
    env: 'TIERCACHE_TTS_SIMILARITY',
    schema: similarity,
    parseEnv: similarityFromEnv,
    default: DEFAULT_SIMILARITY_POLICIES.tts,
    description:
      'matching policy of speech: exact-only, canonical (the same words written differently), guarded or jaccard (a similar hit says other words, so opt in deliberately)',
  },
  {
    path: 'similarity.image',
    env: 'TIERCACHE_IMAGE_SIMILARITY',
    schema: similarity,
    parseEnv: similarityFromEnv,
    default: DEFAULT_SIMILARITY_POLICIES.image,
    description:
      'matching policy of images: exact-only, canonical, guarded (differences in articles, fillers and quality boosters only) or jaccard (the original rule; a number in the environment, or { "policy": "jaccard", "threshold": t } in a file, sets its threshold)',
  },
  {
    path: 'tts.backend',
    env: 'TIERCACHE_TTS_BACKEND',
    schema: oneOf(TTS_BACKENDS),
    parseEnv: fromEnv.string,
    default: 'auto',
    description: 'eSpeak NG backend: system binary, text2wav (WASM), or auto (system when installed)',
  },
  {
    path: 'image.engine',
    env: 'TIERCACHE_IMAGE_ENGINE',
    schema: oneOf(IMAGE_ENGINES),
    parseEnv: fromEnv.string,
    default: 'auto',
    description: 'image engine: together, local renderer, or auto (together when TOGETHER_API_KEY is set)',
  },
  {
    path: 'together.apiKey',
    env: 'TOGETHER_API_KEY',
    schema: text('an API key'),
    parseEnv: fromEnv.string,
    defaultText: '(none)',
    secret: true,
    description: 'Together.ai API key (environment only: keep secrets out of files)',
  },
  {
    path: 'together.baseUrl',
    env: 'TIERCACHE_TOGETHER_BASE_URL',
    schema: httpUrl,
    parseEnv: fromEnv.string,
    default: 'https://api.together.xyz/v1',
    description: 'Together.ai API base URL',
  },
  {
    path: 'together.model',
    env: 'TIERCACHE_TOGETHER_MODEL',
    schema: text('a model name'),
    parseEnv: fromEnv.string,
    default: 'black-forest-labs/FLUX.1-schnell',
    description: 'image model used when a channel names none',
  },
  {
    path: 'together.timeoutMs',
    env: 'TIERCACHE_TOGETHER_TIMEOUT_MS',
    schema: wholeNumber(1, 600_000),
    parseEnv: fromEnv.number,
    default: 60_000,
    description: 'longest one image request may take',
  },
  {
    path: 'embeddings.url',
    env: 'TIERCACHE_EMBEDDINGS_URL',
    schema: httpUrl,
    parseEnv: fromEnv.string,
    defaultText: '(none: each policy matches locally)',
    description:
      'OpenAI-compatible embeddings API root (…/v1): the guarded and jaccard policies find similar hits by embeddings',
  },
  {
    path: 'embeddings.model',
    env: 'TIERCACHE_EMBEDDINGS_MODEL',
    schema: text('a model name'),
    parseEnv: fromEnv.string,
    defaultText: '(required with the URL)',
    description: 'embedding model, as the server names it',
  },
  {
    path: 'embeddings.apiKey',
    env: 'TIERCACHE_EMBEDDINGS_API_KEY',
    schema: text('an API key'),
    parseEnv: fromEnv.string,
    defaultText: '(none)',
    secret: true,
    description: 'embeddings API key (environment only: keep secrets out of files)',
  },
  {
    path: 'embeddings.threshold',
    env: 'TIERCACHE_EMBEDDINGS_THRESHOLD',
    schema: z
      .number({ error: (issue) => `expected a number in (0, 1], got ${describeInput(issue.input)}` })
      .refine((n) => n > 0 && n <= 1, {
        error: (issue) => `expected a number in (0, 1], got ${describeInput(issue.input)}`,
      }),
    parseEnv: fromEnv.number,
    default: 0.9,
    description:
      'lowest cosine similarity of a similar hit, for the types whose similarity policy is not exact-only',
  },
  {
    path: 'channelsDir',
    env: 'TIERCACHE_CHANNELS_DIR',
    schema: text('a folder path'),
    parseEnv: fromEnv.string,
    default: BUNDLED_CHANNELS_DIR,
    defaultText: "(the app's channels/ folder)",
    description: 'where channel definitions (`<name>.json`) are read',
  },
  {
    path: 'concurrency',
    env: 'TIERCACHE_CONCURRENCY',
    schema: wholeNumber(1, 64),
    parseEnv: fromEnv.number,
    default: 2,
    description: 'assets generated at once within one video or warm list',
  },
  ...STORAGE_SETTINGS,
];

export function settingAt(path: string): SettingSpec {
  const spec = SETTINGS.find((setting) => setting.path === path);
  if (!spec) throw new Error(`no setting ${path}`);
  return spec;
}

/** Every dotted path the config file may contain (sections included), for unknown-key errors. */
export const FILE_PATHS = new Set(
  SETTINGS.filter((s) => !s.secret).flatMap((s) => {
    const parts = s.path.split('.');
    return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
  }),
);

export type { Profile } from './storage/storage-registry.js';
export { describeInput, PROFILES };
