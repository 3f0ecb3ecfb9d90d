import {
  DEFAULT_SIMILARITY_POLICIES,
  isSimilarityPolicy,
  SIMILARITY_POLICY_NAMES,
  type SimilarityPolicy,
} from '@tiercache/media';
import { z } from 'zod';
import { parseBooleanText, parseDecimalText } from './text-values.js';

// The table of every setting: where it lives in the config file, its environment variable, its
// command-line flag (for the few that have one), how a string from the environment becomes a
// value, and the zod schema that value must satisfy. One table keeps the README's configuration
// section, the loader and the error messages in agreement.

export const PROFILES = ['memory', 'local', 'shared', 'farm'] as const;
export type Profile = (typeof PROFILES)[number];
export const TTS_BACKENDS = ['auto', 'system', 'text2wav'] as const;
export type TtsBackendChoice = (typeof TTS_BACKENDS)[number];
export const IMAGE_ENGINES = ['auto', 'together', 'local'] as const;
export type ImageEngineChoice = (typeof IMAGE_ENGINES)[number];

const got = (input: unknown) => {
  if (typeof input === 'string') return JSON.stringify(input);
  if (input === undefined) return 'nothing';
  return typeof input === 'object' && input !== null
    ? Array.isArray(input)
      ? 'an array'
      : 'an object'
    : String(input);
};

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (issue) => `expected one of ${values.join(', ')}, got ${got(issue.input)}` });

const text = (what: string) =>
  z
    .string({ error: (issue) => `expected ${what}, got ${got(issue.input)}` })
    .refine((value) => value.trim().length > 0, {
      error: (issue) => `expected ${what}, got ${issue.input === '' ? 'an empty string' : 'only spaces'}`,
    });

const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .number({ error: (issue) => `expected a whole number from ${min} to ${max}, got ${got(issue.input)}` })
    .refine((n) => Number.isSafeInteger(n) && n >= min && n <= max, {
      error: (issue) => `expected a whole number from ${min} to ${max}, got ${got(issue.input)}`,
    });

const flag = z.boolean({ error: (issue) => `expected true or false, got ${got(issue.input)}` });

/** A value `test` accepts; anything else is reported as `expected <what>, got <value>`. */
const accept = <T>(what: string, test: (value: unknown) => value is T) =>
  z.custom<T>(test, { error: (issue) => `expected ${what}, got ${got(issue.input)}` });

const isString = (value: unknown): value is string => typeof value === 'string';

// Media's own type and check: a policy name or { policy: 'jaccard', threshold } (a matcher
// cannot come from a file or the environment).
const similarity = accept<SimilarityPolicy>(
  `one of ${SIMILARITY_POLICY_NAMES.join(', ')}, or { "policy": "jaccard", "threshold": t } with t in (0, 1] (in the environment: t alone)`,
  isSimilarityPolicy,
);

const bucketName = accept(
  'an S3 bucket name (3-63 of a-z 0-9 . -)',
  (value): value is string => isString(value) && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value),
);

const keyPrefix = accept(
  'a key prefix without a leading "/" or "."/".." segments',
  (value): value is string =>
    isString(value) &&
    !value.startsWith('/') &&
    !value.split('/').some((part) => part === '.' || part === '..'),
);

const httpUrl = accept(
  'an http(s) URL',
  (value): value is string => isString(value) && /^https?:\/\/[^\s/]+/.test(value) && URL.canParse(value),
);

// Never echoes the value: a connection string may hold a password.
const postgresUrl = z.custom<string>(
  (value) => isString(value) && /^postgres(ql)?:\/\/[^\s/]+\/[^\s/?]+/.test(value) && URL.canParse(value),
  {
    error:
      'expected a postgres://user:password@host:port/database URL (value not shown: it may hold a password)',
  },
);

/** Environment strings to values; anything unrecognized is passed on for the schema to reject. */
const fromEnv = {
  string: (raw: string): unknown => raw,
  number: (raw: string): unknown => parseDecimalText(raw) ?? raw,
  boolean: (raw: string): unknown => parseBooleanText(raw) ?? raw,
  /** A policy name, or a number: the Jaccard policy with that threshold. */
  similarity: (raw: string): unknown => {
    if ((SIMILARITY_POLICY_NAMES as readonly string[]).includes(raw)) return raw;
    const threshold = fromEnv.number(raw);
    const jaccard = { policy: 'jaccard', threshold };
    // Anything else stays as written, so the error shows what was set.
    return isSimilarityPolicy(jaccard) ? jaccard : threshold;
  },
};

export interface SettingSpec {
  /** Dotted path in the config file (`s3.bucket`) and in the resolved configuration. */
  path: string;
  env: string;
  /** Command-line flag that overrides both file and environment. */
  flag?: string;
  schema: z.ZodType;
  parseEnv: (raw: string) => unknown;
  /** Default, as text for the README (the loader computes path defaults itself). */
  defaultText: string;
  description: string;
}

export const SETTINGS: readonly SettingSpec[] = [
  {
    path: 'profile',
    env: 'TIERCACHE_PROFILE',
    flag: '--profile',
    schema: oneOf(PROFILES),
    parseEnv: fromEnv.string,
    defaultText: 'local',
    description:
      'storage profile: memory (L1 only), local (memory + SQLite + disk), shared (local + S3), farm (memory + disk + S3 with the PostgreSQL index)',
  },
  {
    path: 'cacheDir',
    env: 'TIERCACHE_CACHE_DIR',
    flag: '--cache-dir',
    schema: text('a folder path'),
    parseEnv: fromEnv.string,
    defaultText: './media_local_storage/cache',
    description: 'cache folder of the local and shared profiles: cache.db and <type>/<key>.<ext>',
  },
  {
    path: 'outputDir',
    env: 'TIERCACHE_OUTPUT_DIR',
    flag: '--output-dir',
    schema: text('a folder path'),
    parseEnv: fromEnv.string,
    defaultText: './media_local_storage/output',
    description: 'where delivered files (narration, images, video folders) are written',
  },
  {
    path: 'enableCache',
    env: 'TIERCACHE_ENABLE_CACHE',
    schema: flag,
    parseEnv: fromEnv.boolean,
    defaultText: 'true',
    description: 'false runs every generation directly: no cache folder, no database, no lookups',
  },
  {
    path: 'memoryMaxBytes',
    env: 'TIERCACHE_MEMORY_MAX_BYTES',
    schema: wholeNumber(1),
    parseEnv: fromEnv.number,
    defaultText: '268435456 (256 MiB)',
    description: 'byte budget of the memory L1 tier',
  },
  {
    path: 'similarity.tts',
    env: 'TIERCACHE_TTS_SIMILARITY',
    schema: similarity,
    parseEnv: fromEnv.similarity,
    defaultText: DEFAULT_SIMILARITY_POLICIES.tts,
    description:
      'matching policy of speech: exact-only, canonical (the same words written differently), guarded or jaccard (a similar hit says other words, so opt in deliberately)',
  },
  {
    path: 'similarity.image',
    env: 'TIERCACHE_IMAGE_SIMILARITY',
    schema: similarity,
    parseEnv: fromEnv.similarity,
    defaultText: DEFAULT_SIMILARITY_POLICIES.image,
    description:
      'matching policy of images: exact-only, canonical, guarded (differences in articles, fillers and quality boosters only) or jaccard (the original rule; a number in the environment, or { "policy": "jaccard", "threshold": t } in a file, sets its threshold)',
  },
  {
    path: 'tts.backend',
    env: 'TIERCACHE_TTS_BACKEND',
    schema: oneOf(TTS_BACKENDS),
    parseEnv: fromEnv.string,
    defaultText: 'auto',
    description: 'eSpeak NG backend: system binary, text2wav (WASM), or auto (system when installed)',
  },
  {
    path: 'image.engine',
    env: 'TIERCACHE_IMAGE_ENGINE',
    schema: oneOf(IMAGE_ENGINES),
    parseEnv: fromEnv.string,
    defaultText: 'auto',
    description: 'image engine: together, local renderer, or auto (together when TOGETHER_API_KEY is set)',
  },
  {
    path: 'together.apiKey',
    env: 'TOGETHER_API_KEY',
    schema: text('an API key'),
    parseEnv: fromEnv.string,
    defaultText: '(none)',
    description: 'Together.ai API key (environment only: keep secrets out of files)',
  },
  {
    path: 'together.baseUrl',
    env: 'TIERCACHE_TOGETHER_BASE_URL',
    schema: httpUrl,
    parseEnv: fromEnv.string,
    defaultText: 'https://api.together.xyz/v1',
    description: 'Together.ai API base URL',
  },
  {
    path: 'together.model',
    env: 'TIERCACHE_TOGETHER_MODEL',
    schema: text('a model name'),
    parseEnv: fromEnv.string,
    defaultText: 'black-forest-labs/FLUX.1-schnell',
    description: 'image model used when a channel names none',
  },
  {
    path: 'together.timeoutMs',
    env: 'TIERCACHE_TOGETHER_TIMEOUT_MS',
    schema: wholeNumber(1, 600_000),
    parseEnv: fromEnv.number,
    defaultText: '60000',
    description: 'longest one image request may take',
  },
  {
    path: 'embeddings.url',
    env: 'TIERCACHE_EMBEDDINGS_URL',
    schema: httpUrl,
    parseEnv: fromEnv.string,
    defaultText: '(none: Jaccard)',
    description:
      'OpenAI-compatible embeddings API root (…/v1): similar hits by embeddings instead of Jaccard',
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
    description: 'embeddings API key (environment only: keep secrets out of files)',
  },
  {
    path: 'embeddings.threshold',
    env: 'TIERCACHE_EMBEDDINGS_THRESHOLD',
    schema: z
      .number({ error: (issue) => `expected a number in (0, 1], got ${got(issue.input)}` })
      .refine((n) => n > 0 && n <= 1, {
        error: (issue) => `expected a number in (0, 1], got ${got(issue.input)}`,
      }),
    parseEnv: fromEnv.number,
    defaultText: '0.9',
    description:
      'lowest cosine similarity of a similar hit, for the types whose similarity policy is not exact-only',
  },
  {
    path: 'channelsDir',
    env: 'TIERCACHE_CHANNELS_DIR',
    schema: text('a folder path'),
    parseEnv: fromEnv.string,
    defaultText: "(the app's channels/ folder)",
    description: 'where channel definitions (<name>.json) are read',
  },
  {
    path: 'concurrency',
    env: 'TIERCACHE_CONCURRENCY',
    schema: wholeNumber(1, 64),
    parseEnv: fromEnv.number,
    defaultText: '2',
    description: 'assets generated at once within one video or warm list',
  },
  {
    path: 's3.bucket',
    env: 'TIERCACHE_S3_BUCKET',
    schema: bucketName,
    parseEnv: fromEnv.string,
    defaultText: '(required by shared)',
    description: 'bucket the shared profile stores in; it must exist',
  },
  {
    path: 's3.prefix',
    env: 'TIERCACHE_S3_PREFIX',
    schema: keyPrefix,
    parseEnv: fromEnv.string,
    defaultText: "'' (a '/' is appended when missing)",
    description: 'key prefix inside the bucket; machines sharing a cache use the same bucket and prefix',
  },
  {
    path: 's3.endpoint',
    env: 'TIERCACHE_S3_ENDPOINT',
    schema: httpUrl,
    parseEnv: fromEnv.string,
    defaultText: '(AWS)',
    description: 'S3-compatible endpoint (MinIO, R2, s3rver)',
  },
  {
    path: 's3.region',
    env: 'TIERCACHE_S3_REGION',
    schema: text('a region'),
    parseEnv: fromEnv.string,
    defaultText: '$AWS_REGION or us-east-1',
    description: 'bucket region',
  },
  {
    path: 's3.forcePathStyle',
    env: 'TIERCACHE_S3_FORCE_PATH_STYLE',
    schema: flag,
    parseEnv: fromEnv.boolean,
    defaultText: 'false',
    description: 'path-style URLs (most S3-compatible servers need true)',
  },
  {
    path: 'postgres.url',
    env: 'TIERCACHE_POSTGRES_URL',
    schema: postgresUrl,
    parseEnv: fromEnv.string,
    defaultText: '(required by farm)',
    description:
      'PostgreSQL database the farm profile shares its index in (the password never appears in output)',
  },
  {
    path: 'postgres.migrate',
    env: 'TIERCACHE_POSTGRES_MIGRATE',
    schema: flag,
    parseEnv: fromEnv.boolean,
    defaultText: 'true',
    description: 'create or upgrade the farm index schema at start (machines serialize on an advisory lock)',
  },
];

export function settingAt(path: string): SettingSpec {
  const spec = SETTINGS.find((setting) => setting.path === path);
  if (!spec) throw new Error(`no setting ${path}`);
  return spec;
}

/** Settings read from the environment only: secrets stay out of files. */
export const SECRET_VARIABLES = ['TOGETHER_API_KEY', 'TIERCACHE_EMBEDDINGS_API_KEY'];

/** Every dotted path the config file may contain (sections included), for unknown-key errors. */
export const FILE_PATHS = new Set(
  SETTINGS.filter((s) => !SECRET_VARIABLES.includes(s.env)).flatMap((s) => {
    const parts = s.path.split('.');
    return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
  }),
);

export { got as describeInput };
