import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTieredCache, isTiercacheError } from '@tiercache/core';
import { createDiskTier } from '@tiercache/disk';
import { createMediaCache } from '@tiercache/media';
import { createMemoryTier } from '@tiercache/memory';
import { diagnoseSqliteIndex, openSqliteIndex } from '@tiercache/sqlite';
import { readWarmFile } from '../cache-commands.js';
import { loadConfig } from '../config.js';
import { filesContaining, startEchoingApi } from '../test-support/echo-server.js';
import { runCli } from '../test-support/run-cli.js';
import { assetFor, requestFor } from './payload.mjs';
import type { ReliabilityRow } from './table.js';

interface BadInput {
  name: string;
  run: () => unknown;
  /** The code the typed error must carry. */
  code: string;
  /** What the message must never contain (file content, a secret). */
  never?: string;
}

/** A bad input passes when it throws a typed error with `code`, a message naming its package, and nothing it must not show. */
async function tryCase(input: BadInput): Promise<boolean> {
  try {
    await input.run();
  } catch (error) {
    if (!isTiercacheError(error) || error.code !== input.code) return false;
    if (!/^(@tiercache\/[a-z0-9-]+|media-service): /.test(error.message)) return false;
    return input.never === undefined || !error.message.includes(input.never);
  }
  return false;
}

/**
 * Every bad input of issue 11 (options, environment variables, put info, destinations, a file that
 * is not a warm list) and every configured secret (a remote API echoing the key back): each bad
 * input must be a typed error, the index must survive, and no secret may appear in any output or
 * file of a CLI run.
 */
export async function badInputCases(dir: string): Promise<ReliabilityRow> {
  const cacheDir = join(dir, 'cache');
  const indexFile = join(cacheDir, 'cache.db');
  const cache = createTieredCache({
    index: openSqliteIndex({ file: indexFile }),
    tiers: [createMemoryTier({ maxBytes: 1024 * 1024 }), createDiskTier({ dir: cacheDir })],
  });
  await cache.getOrGenerate(requestFor(0), async () => assetFor(0));
  const passwd = join(dir, 'passwd');
  await writeFile(passwd, 'root:x:0:0:reliability-secret-line:/root:/bin/bash\n');
  const bytes = new Uint8Array([1, 2, 3]);
  const info = { mediaType: 'audio/wav', extension: 'wav' };
  const env = (vars: Record<string, string>) => () => loadConfig({ env: vars, cwd: dir });
  const generate = async () => assetFor(1);
  const inputs: BadInput[] = [
    {
      name: 'put ttlMs -5',
      run: () => cache.put(requestFor(1), bytes, { ...info, ttlMs: -5 }),
      code: 'E_INVALID_REQUEST',
    },
    {
      name: 'put ttlMs NaN',
      run: () => cache.put(requestFor(1), bytes, { ...info, ttlMs: Number.NaN }),
      code: 'E_INVALID_REQUEST',
    },
    {
      name: "put extension ''",
      run: () => cache.put(requestFor(1), bytes, { ...info, extension: '' }),
      code: 'E_INVALID_REQUEST',
    },
    {
      name: 'destination: the live index',
      run: () => cache.getOrGenerateFile(requestFor(1), indexFile, generate),
      code: 'E_INVALID_DESTINATION',
    },
    {
      name: 'destination: a blob folder',
      run: () => cache.getFile(requestFor(0), join(cacheDir, 'tts', 'x.wav')),
      code: 'E_INVALID_DESTINATION',
    },
    {
      name: 'destination: NUL byte',
      run: () => cache.getOrGenerateFile(requestFor(1), join(dir, 'a\0b'), generate),
      code: 'E_INVALID_DESTINATION',
    },
    {
      name: 'destination: a folder',
      run: () => cache.getOrGenerateFile(requestFor(1), dir, generate),
      code: 'E_INVALID_DESTINATION',
    },
    {
      name: 'destination: missing folder',
      run: () => cache.getOrGenerateFile(requestFor(1), join(dir, 'no', 'x.wav'), generate),
      code: 'E_INVALID_DESTINATION',
    },
    {
      name: 'media outputDir inside the cache',
      run: () =>
        createMediaCache({
          outputDir: join(cacheDir, 'out'),
          storage: () => ({ index: cache.index, tiers: [...cache.tiers] }),
        }).tts({ text: 'x', engine: 'e', voice: 'v' }, async () => assetFor(2)),
      code: 'E_INVALID_DESTINATION',
    },
    { name: 'memory maxBytes -1', run: () => createMemoryTier({ maxBytes: -1 }), code: 'E_INVALID_OPTIONS' },
    {
      name: 'memory maxAgeMs Infinity',
      run: () => createMemoryTier({ maxBytes: 1, maxAgeMs: Number.POSITIVE_INFINITY }),
      code: 'E_INVALID_OPTIONS',
    },
    { name: "disk dir ''", run: () => createDiskTier({ dir: '' }), code: 'E_INVALID_OPTIONS' },
    {
      name: 'sqlite busyTimeoutMs 1e99',
      run: () => openSqliteIndex({ file: join(dir, 'x.db'), busyTimeoutMs: 1e99 }),
      code: 'E_INVALID_OPTIONS',
    },
    {
      name: 'core ttlMs -5',
      run: () => createTieredCache({ tiers: [createMemoryTier({ maxBytes: 1 })], ttlMs: -5 }),
      code: 'E_INVALID_OPTIONS',
    },
    { name: 'TIERCACHE_TTS_SIMILARITY=0x1', run: env({ TIERCACHE_TTS_SIMILARITY: '0x1' }), code: 'E_CONFIG' },
    { name: 'TIERCACHE_CONCURRENCY=1e1', run: env({ TIERCACHE_CONCURRENCY: '1e1' }), code: 'E_CONFIG' },
    { name: "TIERCACHE_CACHE_DIR=''", run: env({ TIERCACHE_CACHE_DIR: '' }), code: 'E_CONFIG' },
    {
      name: 'TIERCACHE_S3_FORCE_PATH_STYLE=yes',
      run: env({
        TIERCACHE_PROFILE: 'shared',
        TIERCACHE_S3_BUCKET: 'media',
        TIERCACHE_S3_FORCE_PATH_STYLE: 'yes',
      }),
      code: 'E_CONFIG',
    },
    { name: 'TIERCACHE_ENABLE_CACHE=on', run: env({ TIERCACHE_ENABLE_CACHE: 'on' }), code: 'E_CONFIG' },
    {
      name: 'cache warm /etc/passwd-like',
      run: () => readWarmFile(passwd),
      code: 'E_WARM_FILE',
      never: 'root',
    },
  ];
  const row: ReliabilityRow = {
    family: 'bad inputs and secrets',
    cases: 0,
    wrongBytes: 0,
    callerErrors: 0,
    leftovers: 0,
    notes: '',
  };
  const failed: string[] = [];
  for (const input of inputs) {
    row.cases++;
    if (!(await tryCase(input))) failed.push(input.name);
  }
  await cache.close();
  // The destinations aimed at the cache's own files must have left the index whole.
  const index = openSqliteIndex({ file: indexFile });
  if (diagnoseSqliteIndex(indexFile) !== undefined || index.stats().entries !== 1) row.wrongBytes++;
  index.close();

  // Secrets: a remote API that echoes the key, the AWS keys configured, debug stacks on.
  const secrets = [
    'tgp_v1_RELIABILITYKEY0123456789abcdef',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYRELIABLE',
    'AKIARELIABILITY00000',
  ];
  const api = await startEchoingApi();
  let leaks = 0;
  try {
    const run = await runCli(dir, ['generate', '--channel', 'tiny_science', '--count', '1'], {
      TOGETHER_API_KEY: secrets[0]!,
      AWS_SECRET_ACCESS_KEY: secrets[1]!,
      AWS_ACCESS_KEY_ID: secrets[2]!,
      TIERCACHE_IMAGE_ENGINE: 'together',
      TIERCACHE_TOGETHER_BASE_URL: api.baseUrl,
      TIERCACHE_CACHE_DIR: join(dir, 'cli-cache'),
      TIERCACHE_OUTPUT_DIR: join(dir, 'cli-out'),
      TIERCACHE_DEBUG: '1',
    });
    row.cases++;
    leaks += secrets.filter((secret) => run.stdout.includes(secret) || run.stderr.includes(secret)).length;
    leaks += (await filesContaining(dir, secrets)).length;
  } finally {
    await api.close();
  }
  row.callerErrors += failed.length;
  row.leftovers += leaks;
  row.notes = `${inputs.length} bad inputs, ${inputs.length - failed.length} typed errors${failed.length ? ` (not typed: ${failed.join(', ')})` : ''}; ${leaks} secret leaks in output and files`;
  return row;
}
