// One machine of the farm test, as its own process: memory L1, its own disk L2, the shared
// S3 bucket as L3 and the shared PostgreSQL index, all from the built packages.
// argv: one JSON object { id, dir, connectionString, s3: { endpoint, region, accessKeyId,
// secretAccessKey, bucket, prefix } }. Answers the parent's messages { op, seq, ... } with
// { seq, ... }; reports any unhandled rejection as { unhandled }.
import { createTieredCache, exactMatcher } from '@tiercache/core';
import { createDiskTier } from '@tiercache/disk';
import { jaccardMatcher } from '@tiercache/matchers';
import { createMemoryTier } from '@tiercache/memory';
import { openPostgresIndex } from '@tiercache/postgres';
import { createS3Tier } from '@tiercache/s3';

const config = JSON.parse(process.argv[2]);
process.on('unhandledRejection', (error) => process.send({ unhandled: String(error?.stack ?? error) }));

const s3 = createS3Tier({
  bucket: config.s3.bucket,
  prefix: config.s3.prefix,
  clientConfig: {
    region: config.s3.region,
    endpoint: config.s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: config.s3.accessKeyId, secretAccessKey: config.s3.secretAccessKey },
  },
  onWarning: () => undefined,
});
const indexErrors = [];
const index = await openPostgresIndex({
  connectionString: config.connectionString,
  migrate: true,
  machineId: `machine-${config.id}`,
  retryDelayMs: 20,
  maxRetryDelayMs: 300,
  touchFlushMs: 100,
  // The shared blob is in the bucket before any other machine can see the entry.
  beforePublish: () => s3.flush(),
  onError: (error) => indexErrors.push(error.code),
});
const cache = createTieredCache({
  tiers: [createMemoryTier({ maxBytes: 16 * 1024 * 1024 }), createDiskTier({ dir: config.dir }), s3],
  index,
  matchers: [exactMatcher(), jaccardMatcher({ threshold: 0.8 })],
});

let generations = 0;
const request = (prompt) => ({ type: 'tts', prompt, params: { voice: 'en-us' } });
const generator = (prompt) => async () => {
  generations++;
  // A slow generation, like a real TTS call: the other machines have time to ask meanwhile.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return {
    bytes: new TextEncoder().encode(`clip of ${prompt} by machine ${config.id}`),
    mediaType: 'audio/wav',
    extension: 'wav',
  };
};

const ops = {
  async generate({ prompt, count }) {
    const before = generations;
    const settled = await Promise.allSettled(
      Array.from({ length: count }, () => cache.getOrGenerate(request(prompt), generator(prompt))),
    );
    return {
      generations: generations - before,
      errors: settled.filter((s) => s.status === 'rejected').map((s) => String(s.reason)),
      texts: [
        ...new Set(
          settled.filter((s) => s.status === 'fulfilled').map((s) => new TextDecoder().decode(s.value.bytes)),
        ),
      ],
    };
  },
  async get({ prompt }) {
    const hit = await cache.get(request(prompt));
    return hit
      ? {
          kind: hit.kind,
          key: hit.entry.key,
          prompt: hit.entry.prompt,
          text: new TextDecoder().decode(hit.bytes),
        }
      : { kind: null };
  },
  async reject({ prompt, key }) {
    const { action, isNew } = await cache.reject(request(prompt), key);
    return { action, isNew };
  },
  async health() {
    return { ...index.health(), indexErrors: [...new Set(indexErrors)] };
  },
  async close() {
    await cache.close();
    await index.close();
    return {};
  },
};

process.on('message', async (message) => {
  try {
    process.send({ seq: message.seq, ...(await ops[message.op](message)) });
  } catch (error) {
    process.send({ seq: message.seq, failed: String(error?.stack ?? error) });
  }
  if (message.op === 'close') process.disconnect();
});
process.send('ready');
