import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SimilarityPolicy } from '@tiercache/media';
import { MediaServiceError } from './errors.js';
import { describeJsonError } from './json-syntax.js';
import type { SettingSpec } from './setting-spec.js';
import {
  describeInput,
  FILE_PATHS,
  type ImageEngineChoice,
  type Profile,
  SETTINGS,
  settingAt,
  type TtsBackendChoice,
} from './settings.js';
import type { SettingReader } from './storage/storage-part.js';
import { partsOf, type StorageSettings } from './storage/storage-registry.js';

export interface EmbeddingsSettings {
  url: string;
  model: string;
  apiKey: string | undefined;
  /** Lowest cosine similarity of a similar hit. */
  threshold: number;
}

/** The validated configuration a `MediaService` is built from. Paths are absolute. */
export interface ServiceConfig {
  profile: Profile;
  cacheDir: string;
  outputDir: string;
  enableCache: boolean;
  /** How long a stored entry answers requests; `null`: forever. */
  ttlMs: number | null;
  /** The limits `cache prune` applies when its flags give none. */
  prune: { maxBytes: number | undefined; maxEntries: number | undefined };
  similarity: { tts: SimilarityPolicy; image: SimilarityPolicy };
  tts: { backend: TtsBackendChoice };
  image: { engine: ImageEngineChoice };
  together: { apiKey: string | undefined; baseUrl: string; model: string; timeoutMs: number };
  /** An OpenAI-compatible embeddings API for similar hits; absent: each policy's own matcher. */
  embeddings: EmbeddingsSettings | undefined;
  channelsDir: string;
  concurrency: number;
  /** The settings of each storage part the profile uses (`storage.s3` for shared and farm). */
  storage: StorageSettings;
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

const PATH_SETTINGS = new Set(['cacheDir', 'outputDir', 'channelsDir']);

function configError(where: string, message: string, setting?: string): MediaServiceError {
  return new MediaServiceError('E_CONFIG', `${where}: ${message}`, {
    context: { setting: setting ?? where },
  });
}

/** Reads the validated values as the storage parts see them (`SettingReader`). */
function settingReader(
  values: Map<string, { value: unknown; where: string }>,
  env: Readonly<Record<string, string | undefined>>,
  profile: Profile,
): SettingReader {
  return {
    value: <T>(path: string) => (values.get(path)?.value ?? settingAt(path).default) as T | undefined,
    fail(path, message) {
      const spec = SETTINGS.find((setting) => setting.path === path);
      throw configError(values.get(path)?.where ?? spec?.env ?? path, message, path);
    },
    env,
    profile,
  };
}

/** The settings of the parts `profile` is built from, each read (and required) by its part. */
function storageSettings(read: SettingReader, profile: Profile): StorageSettings {
  const { index, tiers } = partsOf(profile);
  return Object.fromEntries([index, ...tiers].map((part) => [part.name, part.resolve(read)]));
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
        const secret = SETTINGS.find((spec) => spec.path === path && spec.secret);
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

  const get = <T>(path: string): T => (values.get(path)?.value ?? settingAt(path).default) as T;
  const profile = get<Profile>('profile');
  const path = (setting: string) => resolve(cwd, get<string>(setting));
  return {
    profile,
    cacheDir: path('cacheDir'),
    outputDir: path('outputDir'),
    enableCache: get('enableCache'),
    ttlMs: get<number | undefined>('ttlMs') ?? null,
    prune: { maxBytes: get('prune.maxBytes'), maxEntries: get('prune.maxEntries') },
    similarity: { tts: get('similarity.tts'), image: get('similarity.image') },
    tts: { backend: get('tts.backend') },
    image: { engine: get('image.engine') },
    together: {
      apiKey: get<string | undefined>('together.apiKey'),
      baseUrl: get<string>('together.baseUrl').replace(/\/+$/, ''),
      model: get('together.model'),
      timeoutMs: get('together.timeoutMs'),
    },
    embeddings: embeddingsSettings(values),
    channelsDir: path('channelsDir'),
    concurrency: get('concurrency'),
    storage: storageSettings(settingReader(values, env, profile), profile),
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
    threshold: value<number>('embeddings.threshold') ?? (settingAt('embeddings.threshold').default as number),
  };
}
