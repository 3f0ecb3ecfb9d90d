import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTieredCache, type EntryIndex, exactMatcher } from '@tiercache/core';
import {
  DEFAULT_JACCARD_THRESHOLD,
  hashedNgramEmbedder,
  jaccardMatcher,
  openAiEmbedder,
} from '@tiercache/matchers';
import { createMemoryTier } from '@tiercache/memory';
import { openSqliteIndex } from '@tiercache/sqlite';
import { compare } from './harness.js';

const STORED = 2_000;
const REJECTIONS = 10_000;
const TEXTS_PER_SAMPLE = 64;
const params = { model: 'flux-schnell', width: 1024, height: 1024 };
const SUBJECTS = ['lake', 'lighthouse', 'village', 'road', 'pond', 'library', 'harbor', 'forest'];
const prompt = (i: number) =>
  `a calm ${SUBJECTS[i % SUBJECTS.length]} number ${i} at sunrise, cinematic, golden light, 4k`;
// The same words minus the leading article: Jaccard 13/14 ≈ 0.93 with its stored prompt.
const nearDuplicate = (i: number) => prompt(i).slice(2);

/** Similar hits through the SQLite index, without and with the rejected-pairing check. */
async function similarHitCost(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tiercache-bench-feedback-'));
  const index = openSqliteIndex({ file: join(dir, 'cache.db') });
  const tier = createMemoryTier({ maxBytes: 512 * 1024 * 1024 });
  const bytes = new Uint8Array(1024).fill(7);
  const seed = createTieredCache({ tiers: [tier], index });
  for (let i = 0; i < STORED; i++) {
    await seed.put({ type: 'image', prompt: prompt(i), params }, bytes, {
      mediaType: 'image/png',
      extension: 'png',
    });
  }
  // Rejections of other pairings, so the lookup searches a realistically filled table.
  for (let i = 0; i < REJECTIONS; i++)
    index.reject('image', `${i}`.padStart(64, 'r'), `${i}`.padStart(64, 'e'), 0);
  // The same file and tier, seen through an index that lacks the optional capability: the
  // match runner then skips the check. That is the cost before this feature.
  const { reject: _reject, isRejected: _isRejected, ...withoutRejections } = index;
  const cacheOf = (entryIndex: EntryIndex) =>
    createTieredCache({
      tiers: [tier],
      index: entryIndex,
      matchers: [exactMatcher(), jaccardMatcher({ thresholds: { image: DEFAULT_JACCARD_THRESHOLD } })],
    });
  const before = cacheOf(withoutRejections as EntryIndex);
  const after = cacheOf(index);
  const queries = Array.from({ length: STORED }, (_, i) => ({
    type: 'image',
    prompt: nearDuplicate(i),
    params,
  }));
  let a = 0;
  let b = 0;
  const check = async (cache: typeof before, i: number) => {
    const hit = await cache.get(queries[i % queries.length]!);
    if (hit?.kind !== 'similar') throw new Error(`query ${i} was not a similar hit`);
  };
  await compare(
    `Similar hit, ${STORED.toLocaleString('en-US')} stored prompts, SQLite index + memory tier: without vs with the rejected-pairing check (${REJECTIONS.toLocaleString('en-US')} rejections recorded)`,
    [
      { name: 'index without reject/isRejected', run: () => check(before, a++) },
      { name: 'index with rejections (one isRejected per similar hit)', run: () => check(after, b++) },
    ],
    { samples: 2000, warmup: 200 },
  );
  index.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Embeddings of `TEXTS_PER_SAMPLE` concurrent calls: one request each vs coalesced requests. */
async function embeddingBatching(): Promise<void> {
  const vectorOf = hashedNgramEmbedder({ dimensions: 384 });
  let requests = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests++;
      const { input } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { input: string[] };
      const data = input.map((text, index) => ({ index, embedding: Array.from(vectorOf(text)) }));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  // No vector cache: every sample sends its texts again.
  const single = openAiEmbedder({ baseURL, model: 'bench', maxBatchSize: 1, cacheSize: 0 });
  const batched = openAiEmbedder({ baseURL, model: 'bench', maxBatchSize: 64, cacheSize: 0 });
  const texts = Array.from({ length: TEXTS_PER_SAMPLE }, (_, i) => prompt(i));
  const counted: Record<string, number> = {};
  const run = (name: string, embed: typeof single) => async () => {
    const start = requests;
    await Promise.all(texts.map((text) => embed(text)));
    counted[name] = requests - start;
  };
  await compare(
    `Embedding ${TEXTS_PER_SAMPLE} concurrent texts through openAiEmbedder, local OpenAI-compatible server (node:http, 384 dimensions): one request per text vs coalesced`,
    [
      { name: 'maxBatchSize 1 (a request per text)', run: run('single', single) },
      { name: 'coalesced, maxBatchSize 64', run: run('batched', batched) },
    ],
    { samples: 100, warmup: 10 },
  );
  console.log(
    `\nHTTP requests per sample: ${counted.single} one by one, ${counted.batched} coalesced (times above are per ${TEXTS_PER_SAMPLE} texts).`,
  );
  await new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export async function benchFeedback(): Promise<void> {
  await similarHitCost();
  await embeddingBatching();
}
