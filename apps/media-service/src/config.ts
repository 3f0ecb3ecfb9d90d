import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SIMILARITY_POLICIES, type SimilarityPolicy } from '@tiercache/media';
import { MediaServiceError } from './errors.js';
import { describeJsonError } from './json-syntax.js';
import {
  describeInput,
  FILE_PATHS,
  type ImageEngineChoice,
  type Profile,
  SECRET_VARIABLES,
  SETTINGS,
  type SettingSpec,
  settingAt,
  type TtsBackendChoice,
} from './settings.js';

/** Where the shared profile keeps its L3 tier. */
export interface S3Settings {
  bucket: string;
  /** `''` or ending in `/`. */
  prefix: string;
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
  /** Taken from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`; absent: the SDK's default chain. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
}

export interface EmbeddingsSettings {
  url: string;
  model: string;
  apiKey: string | undefined;
  /** Lowest cosine similarity of a similar hit. */
  threshold: number;
}

/** Where the farm profile keeps its shared index. */
export interface PostgresSettings {
  /** Connection string; may hold a password: never print it. */
  url: string;
  migrate: boolean;
}

/** The validated configuration a `MediaService` is built from. Paths are absolute. */
export interface ServiceConfig {
  profile: Profile;
  cacheDir: string;
  outputDir: string;
  enableCache: boolean;
  memoryMaxBytes: number;
  similarity: { tts: SimilarityPolicy; image: SimilarityPolicy };
  tts: { backend: TtsBackendChoice };
  image: { engine: ImageEngineChoice };
  together: { apiKey: string | undefined; baseUrl: string; model: string; timeoutMs: number };
  /** An OpenAI-compatible embeddings API for similar hits; absent: each policy's own matcher. */
  embeddings: EmbeddingsSettings | undefined;
  channelsDir: string;
  concurrency: number;
  /** Present exactly when `profile` is `shared` or `farm`. */
  s3: S3Settings | undefined;
  /** Present exactly when `profile` is `farm`. */
  postgres: PostgresSettings | undefined;
}

export interface LoadConfigOptions {
  /**
   * JSON config file; relative paths inside it are resolved against its folder.
   * @default no file
   */
  file?: string | undefined;
  /**
   * The environment to read `TIERCACHE_*`, `TOGETHER_API_KEY` and `AWS_*` from.
   * @default process.env
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Command-line values by setting path (`profile`, `cacheDir`, `outputDir`); they win over
   * the environment, which wins over the file.
   * @default {}
   */
  overrides?: Readonly<Record<string, string | undefined>>;
  /**
   * Folder that relative paths from the environment and the command line are resolved against.
   * @default process.cwd()
   */
  cwd?: string;
}

/** The channels shipped with the app (`apps/media-service/channels`, next to `src/` and `dist/`). */
export const BUNDLED_CHANNELS_DIR = fileURLToPath(new URL('../channels/', import.meta.url));

const DEFAULTS: Record<string, unknown> = {
  profile: 'local',
  enableCache: true,
  memoryMaxBytes: 256 * 1024 * 1024,
  'similarity.tts': DEFAULT_SIMILARITY_POLICIES.tts,
  'similarity.image': DEFAULT_SIMILARITY_POLICIES.image,
  'tts.backend': 'auto',
  'image.engine': 'auto',
  'together.baseUrl': 'https://api.together.xyz/v1',
  'together.model': 'black-forest-labs/FLUX.1-schnell',
  'together.timeoutMs': 60_000,
  concurrency: 2,
  'postgres.migrate': true,
};

const PATH_SETTINGS = new Set(['cacheDir', 'outputDir', 'channelsDir']);

function configError(where: string, message: string, setting?: string): MediaServiceError {
  return new MediaServiceError('E_CONFIG', `${where}: ${message}`, {
    context: { setting: setting ?? where },
  });
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw configError(`--config ${file}`, `cannot read the file (${code})`, 'config');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw configError(`--config ${file}`, `not valid JSON (${describeJsonError(error)})`, 'config');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw configError(`--config ${file}`, `expected a JSON object, got ${describeInput(parsed)}`, 'config');
  const flat: Record<string, unknown> = {};
  const walk = (object: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(object)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (!FILE_PATHS.has(path)) {
        const secret = SETTINGS.find((spec) => spec.path === path && SECRET_VARIABLES.includes(spec.env));
        const hint = secret ? ` (set ${secret.env} in the environment instead)` : '';
        throw configError(`${file}: ${path}`, `unknown setting${hint}`, path);
      }
      const isSection = SETTINGS.some((s) => s.path.startsWith(`${path}.`));
      if (isSection) {
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          throw configError(`${file}: ${path}`, `expected an object, got ${describeInput(value)}`, path);
        walk(value as Record<string, unknown>, path);
      } else flat[path] = value;
    }
  };
  walk(parsed as Record<string, unknown>, '');
  return flat;
}

interface Sourced {
  value: unknown;
  /** How the error message names this setting: the variable, the flag or `<file>: <path>`. */
  where: string;
  base: string;
}

function validate(spec: SettingSpec, sourced: Sourced): unknown {
  const result = spec.schema.safeParse(sourced.value);
  if (result.success) return result.data;
  throw configError(sourced.where, result.error.issues[0]?.message ?? 'invalid value', spec.path);
}

/**
 * Reads the configuration from the command line, the environment and a JSON file (in that order
 * of precedence) and validates every setting. Throws `MediaServiceError` `E_CONFIG` whose message
 * names the setting as the user wrote it: `TIERCACHE_PROFILE: expected one of memory, local,
 * shared, got "clod"`.
 */
export function loadConfig(options: LoadConfigOptions = {}): ServiceConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = options.file === undefined ? undefined : resolve(cwd, options.file);
  const fromFile = file ? readConfigFile(file) : {};
  const values = new Map<string, { value: unknown; where: string }>();

  for (const spec of SETTINGS) {
    const override = spec.flag ? options.overrides?.[spec.path] : undefined;
    const raw = env[spec.env];
    let sourced: Sourced | undefined;
    if (override !== undefined) sourced = { value: override, where: spec.flag ?? spec.path, base: cwd };
    // Set but empty is a mistake to report, not a reason to fall back to a default folder.
    else if (raw !== undefined) sourced = { value: spec.parseEnv(raw), where: spec.env, base: cwd };
    else if (file && spec.path in fromFile)
      sourced = { value: fromFile[spec.path], where: `${file}: ${spec.path}`, base: dirname(file) };
    if (!sourced) continue;
    let value = validate(spec, sourced);
    if (PATH_SETTINGS.has(spec.path)) value = resolve(sourced.base, value as string);
    values.set(spec.path, { value, where: sourced.where });
  }

  const get = <T>(path: string, fallback?: T): T =>
    (values.get(path)?.value ?? DEFAULTS[path] ?? fallback) as T;
  const profile = get<Profile>('profile');
  return {
    profile,
    cacheDir: get('cacheDir', resolve(cwd, 'media_local_storage/cache')),
    outputDir: get('outputDir', resolve(cwd, 'media_local_storage/output')),
    enableCache: get('enableCache'),
    memoryMaxBytes: get('memoryMaxBytes'),
    similarity: { tts: get('similarity.tts'), image: get('similarity.image') },
    tts: { backend: get('tts.backend') },
    image: { engine: get('image.engine') },
    together: {
      apiKey: get<string | undefined>('together.apiKey', undefined),
      baseUrl: get<string>('together.baseUrl').replace(/\/+$/, ''),
      model: get('together.model'),
      timeoutMs: get('together.timeoutMs'),
    },
    embeddings: embeddingsSettings(values),
    channelsDir: get('channelsDir', BUNDLED_CHANNELS_DIR),
    concurrency: get('concurrency'),
    s3: profile === 'shared' || profile === 'farm' ? s3Settings(values, env, profile) : undefined,
    postgres: profile === 'farm' ? postgresSettings(values, get<boolean>('postgres.migrate')) : undefined,
  };
}

/** Embeddings need both a URL and a model; a key or threshold alone is a mistake worth naming. */
function embeddingsSettings(
  values: Map<string, { value: unknown; where: string }>,
): EmbeddingsSettings | undefined {
  const value = <T>(path: string) => values.get(path)?.value as T | undefined;
  const url = value<string>('embeddings.url');
  const model = value<string>('embeddings.model');
  if (url === undefined) {
    const stray = ['embeddings.model', 'embeddings.apiKey', 'embeddings.threshold'].find((path) =>
      values.has(path),
    );
    if (stray)
      throw configError(values.get(stray)!.where, `needs ${settingAt('embeddings.url').env} too`, stray);
    return undefined;
  }
  if (model === undefined)
    throw configError(
      settingAt('embeddings.model').env,
      `required with ${values.get('embeddings.url')!.where}`,
      'embeddings.model',
    );
  return {
    url: url.replace(/\/+$/, ''),
    model,
    apiKey: value<string>('embeddings.apiKey'),
    threshold: value<number>('embeddings.threshold') ?? 0.9,
  };
}

function postgresSettings(
  values: Map<string, { value: unknown; where: string }>,
  migrate: boolean,
): PostgresSettings {
  const url = values.get('postgres.url')?.value as string | undefined;
  if (url === undefined)
    throw configError(
      settingAt('postgres.url').env,
      'required by the farm profile (or postgres.url in the config file)',
      'postgres.url',
    );
  return { url, migrate };
}

function s3Settings(
  values: Map<string, { value: unknown; where: string }>,
  env: LoadConfigOptions['env'],
  profile: Profile,
): S3Settings {
  env ??= {};
  const bucket = values.get('s3.bucket')?.value as string | undefined;
  if (bucket === undefined)
    throw configError(
      settingAt('s3.bucket').env,
      `required by the ${profile} profile (or s3.bucket in the config file)`,
      's3.bucket',
    );
  let prefix = (values.get('s3.prefix')?.value as string | undefined) ?? '';
  if (prefix !== '' && !prefix.endsWith('/')) prefix = `${prefix}/`;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    const missing = accessKeyId === undefined ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY';
    throw configError(missing, 'required when the other AWS key variable is set', 's3.credentials');
  }
  const sessionToken = env.AWS_SESSION_TOKEN;
  return {
    bucket,
    prefix,
    endpoint: values.get('s3.endpoint')?.value as string | undefined,
    region: (values.get('s3.region')?.value as string | undefined) ?? env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: (values.get('s3.forcePathStyle')?.value as boolean | undefined) ?? false,
    credentials:
      accessKeyId && secretAccessKey
        ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
        : undefined,
  };
}
