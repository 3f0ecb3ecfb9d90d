import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { BUNDLED_CHANNELS_DIR } from './settings.js';
import { useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir('media-service-config-');
const configError = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as Error & { code: string; context: Record<string, unknown> };
  }
  throw new Error('expected an error');
};

describe('loadConfig', () => {
  it('defaults: the local profile under ./media_local_storage, cache on, speech canonical, images guarded', () => {
    const config = loadConfig({ env: {}, cwd: '/srv/app' });
    expect(config).toMatchObject({
      profile: 'local',
      cacheDir: '/srv/app/media_local_storage/cache',
      outputDir: '/srv/app/media_local_storage/output',
      enableCache: true,
      similarity: { tts: 'canonical', image: 'guarded' },
      tts: { backend: 'auto' },
      image: { engine: 'auto' },
      channelsDir: BUNDLED_CHANNELS_DIR,
      concurrency: 2,
      ttlMs: null,
      prune: { maxBytes: undefined, maxEntries: undefined },
      storage: { memory: { maxBytes: 256 * 1024 * 1024, maxEntries: undefined } },
    });
    expect(Object.keys(config.storage).sort()).toEqual(['disk', 'memory', 'sqlite']);
    expect(config.together.apiKey).toBeUndefined();
  });

  it('names the bad environment variable and the value it got', () => {
    const cases: [Record<string, string>, string][] = [
      [
        { TIERCACHE_PROFILE: 'clod' },
        'media-service: TIERCACHE_PROFILE: expected one of memory, local, shared, farm, got "clod"',
      ],
      [
        { TIERCACHE_ENABLE_CACHE: 'maybe' },
        'media-service: TIERCACHE_ENABLE_CACHE: expected true or false, got "maybe"',
      ],
      [
        { TIERCACHE_IMAGE_SIMILARITY: '1.5' },
        'media-service: TIERCACHE_IMAGE_SIMILARITY: expected one of exact-only, canonical, guarded, jaccard, or { "policy": "jaccard", "threshold": t } with t in (0, 1] (in the environment: t alone), got 1.5',
      ],
      [
        { TIERCACHE_CONCURRENCY: '0' },
        'media-service: TIERCACHE_CONCURRENCY: expected a whole number from 1 to 64, got 0',
      ],
      [
        { TIERCACHE_PROFILE: 'shared', TIERCACHE_S3_BUCKET: 'Bad_Bucket' },
        'media-service: TIERCACHE_S3_BUCKET: expected an S3 bucket name (3-63 of a-z 0-9 . -), got "Bad_Bucket"',
      ],
      [
        { TIERCACHE_PROFILE: 'shared' },
        'media-service: TIERCACHE_S3_BUCKET: required by the shared profile (or s3.bucket in the config file)',
      ],
      [
        { TIERCACHE_S3_ENDPOINT: 'localhost:9000' },
        'media-service: TIERCACHE_S3_ENDPOINT: expected an http(s) URL, got "localhost:9000"',
      ],
      [
        { TIERCACHE_S3_PREFIX: '../up' },
        'media-service: TIERCACHE_S3_PREFIX: expected a key prefix without a leading "/" or "."/".." segments, got "../up"',
      ],
    ];
    for (const [env, message] of cases) {
      const error = configError(() => loadConfig({ env }));
      expect(error.message).toBe(message);
      expect(error.code).toBe('E_CONFIG');
    }
  });

  it('reads a JSON file, resolves its paths against its folder, and lets the environment win', async () => {
    const file = join(dir.path, 'media.json');
    await writeFile(
      file,
      JSON.stringify({
        profile: 'shared',
        cacheDir: 'cache',
        similarity: { tts: { policy: 'jaccard', threshold: 0.9 } },
        s3: {
          bucket: 'media-cache',
          prefix: 'team',
          endpoint: 'http://127.0.0.1:9000',
          forcePathStyle: true,
        },
      }),
    );
    const config = loadConfig({
      file,
      env: {
        TIERCACHE_S3_PREFIX: 'farm/',
        AWS_ACCESS_KEY_ID: 'id',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_REGION: 'eu-west-1',
      },
      cwd: '/elsewhere',
    });
    expect(config.cacheDir).toBe(join(dir.path, 'cache'));
    expect(config.outputDir).toBe('/elsewhere/media_local_storage/output');
    expect(config.similarity).toEqual({ tts: { policy: 'jaccard', threshold: 0.9 }, image: 'guarded' });
    expect(loadConfig({ file, env: { TIERCACHE_TTS_SIMILARITY: '0.8' } }).similarity.tts).toEqual({
      policy: 'jaccard',
      threshold: 0.8,
    });
    expect(loadConfig({ file, env: { TIERCACHE_IMAGE_SIMILARITY: 'jaccard' } }).similarity.image).toBe(
      'jaccard',
    );
    expect(config.storage.s3).toEqual({
      bucket: 'media-cache',
      prefix: 'farm/',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
    });
    // The command line wins over both.
    expect(
      loadConfig({ file, env: { TIERCACHE_PROFILE: 'memory' }, overrides: { profile: 'local' } }).profile,
    ).toBe('local');
    expect(loadConfig({ file, env: { TIERCACHE_S3_PREFIX: 'team' } }).storage.s3?.prefix).toBe('team/');
  });

  it('names the file and the setting for bad files, unknown keys and bad values', async () => {
    const file = join(dir.path, 'media.json');
    const cases: [string, RegExp][] = [
      ['{ "profile": ', /--config .*media\.json: not valid JSON/],
      ['[1, 2]', /--config .*media\.json: expected a JSON object, got an array/],
      ['{ "profil": "local" }', /media\.json: profil: unknown setting$/],
      ['{ "s3": { "bucket": 5 } }', /media\.json: s3\.bucket: expected an S3 bucket name .*got 5$/],
      [
        '{ "together": { "apiKey": "k" } }',
        /together\.apiKey: unknown setting \(set TOGETHER_API_KEY in the environment instead\)/,
      ],
      ['{ "similarity": 0.9 }', /similarity: expected an object, got 0\.9/],
      [
        '{ "similarity": { "image": "similar" } }',
        /similarity\.image: expected one of exact-only, canonical, guarded, jaccard, or \{ "policy": "jaccard", "threshold": t \} with t in \(0, 1\] \(in the environment: t alone\), got "similar"$/,
      ],
      ['{ "similarity": { "tts": 0.9 } }', /similarity\.tts: expected one of .*got 0\.9$/],
      [
        '{ "similarity": { "image": { "policy": "jaccard", "threshold": 0 } } }',
        /similarity\.image: expected one of .*got an object$/,
      ],
    ];
    for (const [text, message] of cases) {
      await writeFile(file, text);
      expect(configError(() => loadConfig({ file, env: {} })).message).toMatch(message);
    }
    expect(configError(() => loadConfig({ file: join(dir.path, 'missing.json'), env: {} })).message).toMatch(
      /cannot read the file \(ENOENT\)/,
    );
  });

  it('asks for both AWS keys or neither', () => {
    const env = { TIERCACHE_PROFILE: 'shared', TIERCACHE_S3_BUCKET: 'media-cache', AWS_ACCESS_KEY_ID: 'id' };
    expect(configError(() => loadConfig({ env })).message).toBe(
      'media-service: AWS_SECRET_ACCESS_KEY: required when the other AWS key variable is set',
    );
    expect(
      loadConfig({ env: { ...env, AWS_ACCESS_KEY_ID: undefined } }).storage.s3?.credentials,
    ).toBeUndefined();
  });
});
