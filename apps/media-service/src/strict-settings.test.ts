import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWarmFile } from './cache-commands.js';
import { loadConfig } from './config.js';
import { useTempDir } from './test-support/temp-dir.js';
import { parseBooleanText, parseDecimalText, parseWholeNumberText } from './text-values.js';

const dir = useTempDir('media-service-strict-');

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

describe('settings are parsed strictly', () => {
  it('refuses hex, exponents, blanks, empty strings and non-boolean words, naming the variable', () => {
    const cases: [Record<string, string>, string][] = [
      [
        { TIERCACHE_TTS_SIMILARITY: '0x1' },
        'TIERCACHE_TTS_SIMILARITY: expected one of exact-only, canonical, guarded, jaccard, or { "policy": "jaccard", "threshold": t } with t in (0, 1] (in the environment: t alone), got "0x1"',
      ],
      [
        { TIERCACHE_IMAGE_SIMILARITY: '9e-1' },
        'TIERCACHE_IMAGE_SIMILARITY: expected one of exact-only, canonical, guarded, jaccard, or { "policy": "jaccard", "threshold": t } with t in (0, 1] (in the environment: t alone), got "9e-1"',
      ],
      [
        { TIERCACHE_CONCURRENCY: '0x2' },
        'TIERCACHE_CONCURRENCY: expected a whole number from 1 to 64, got "0x2"',
      ],
      [
        { TIERCACHE_CONCURRENCY: '1e1' },
        'TIERCACHE_CONCURRENCY: expected a whole number from 1 to 64, got "1e1"',
      ],
      [
        { TIERCACHE_MEMORY_MAX_BYTES: ' ' },
        'TIERCACHE_MEMORY_MAX_BYTES: expected a whole number from 1 to 9007199254740991, got " "',
      ],
      [{ TIERCACHE_CACHE_DIR: '' }, 'TIERCACHE_CACHE_DIR: expected a folder path, got an empty string'],
      [{ TIERCACHE_OUTPUT_DIR: '   ' }, 'TIERCACHE_OUTPUT_DIR: expected a folder path, got only spaces'],
      [{ TIERCACHE_PROFILE: '' }, 'TIERCACHE_PROFILE: expected one of memory, local, shared, farm, got ""'],
      [{ TOGETHER_API_KEY: '' }, 'TOGETHER_API_KEY: expected an API key, got an empty string'],
      [{ TIERCACHE_ENABLE_CACHE: 'yes' }, 'TIERCACHE_ENABLE_CACHE: expected true or false, got "yes"'],
      [
        { TIERCACHE_TTL_MS: '1.5' },
        'TIERCACHE_TTL_MS: expected a whole number from 1 to 9007199254740991, got 1.5',
      ],
      [
        { TIERCACHE_PRUNE_MAX_BYTES: '10MB' },
        'TIERCACHE_PRUNE_MAX_BYTES: expected a whole number from 0 to 9007199254740991, got "10MB"',
      ],
      [
        { TIERCACHE_MEMORY_MAX_ENTRIES: '0' },
        'TIERCACHE_MEMORY_MAX_ENTRIES: expected a whole number from 1 to 9007199254740991, got 0',
      ],
      [
        { TIERCACHE_PROFILE: 'shared', TIERCACHE_S3_BUCKET: 'media', TIERCACHE_S3_FORCE_PATH_STYLE: 'yes' },
        'TIERCACHE_S3_FORCE_PATH_STYLE: expected true or false, got "yes"',
      ],
    ];
    for (const [env, message] of cases)
      expect(messageOf(() => loadConfig({ env, cwd: dir.path }))).toBe(`media-service: ${message}`);
  });

  it('still reads plain decimals, whole numbers and true/false/1/0', () => {
    const config = loadConfig({
      env: { TIERCACHE_IMAGE_SIMILARITY: '0.9', TIERCACHE_CONCURRENCY: '4', TIERCACHE_ENABLE_CACHE: 'FALSE' },
      cwd: dir.path,
    });
    expect(config).toMatchObject({
      similarity: { image: { policy: 'jaccard', threshold: 0.9 } },
      concurrency: 4,
      enableCache: false,
    });
    expect([
      parseDecimalText('.5'),
      parseDecimalText('-2'),
      parseDecimalText('Infinity'),
      parseDecimalText('1.'),
    ]).toEqual([0.5, -2, undefined, undefined]);
    expect([
      parseWholeNumberText('007'),
      parseWholeNumberText('+7'),
      parseWholeNumberText('99999999999999999999'),
    ]).toEqual([7, undefined, undefined]);
    expect([parseBooleanText('1'), parseBooleanText('off'), parseBooleanText('True')]).toEqual([
      true,
      undefined,
      true,
    ]);
  });

  it('never echoes the content of a file that is not a warm list or a config file', async () => {
    const secretLine = 'root:x:0:0:the-secret-line:/root:/bin/bash';
    const file = join(dir.path, 'passwd');
    await writeFile(file, `${secretLine}\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n`);
    const warm = await readWarmFile(file).then(
      () => 'accepted',
      (error: Error) => error.message,
    );
    expect(warm).toMatch(/^media-service: warm file .*passwd: not a JSON warm list \(/);
    expect(warm).not.toContain('root');
    expect(warm).not.toContain('secret');
    const config = messageOf(() => loadConfig({ file, env: {}, cwd: dir.path }));
    expect(config).toMatch(/^media-service: --config .*passwd: not valid JSON \(/);
    expect(config).not.toContain('root');
  });
});
