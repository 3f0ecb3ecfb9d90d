import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { createTieredCache } from '@tiercache/core';
import { blobPath } from '@tiercache/core/kit';
import { createS3Tier } from '@tiercache/s3';
// The s3 package's test server (s3rver on 127.0.0.1, temp folder), in a child process so that
// this process, the client, pays only what a client of a remote S3 pays.
import { startS3ServerChild } from '@tiercache/test-support/s3-server-child';
import { compare } from './harness.js';
import { bytesOf } from './synthetic-bytes.js';

const BUCKET = 'bench';
const KB = 1024;

/**
 * An S3 hit through TieredCache (S3 the only tier, so S3 serves every hit: GetObject, SHA-256
 * verified once, by the tier while streaming, or by core with `verifyDownloads: false`) against a
 * bare GetObject of the same object through the same client config, on a local s3rver running in
 * a child process.
 */
export async function benchS3Hit(): Promise<void> {
  const server = await startS3ServerChild();
  const clientConfig = {
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  };
  const tier = createS3Tier({ bucket: BUCKET, prefix: 'bench/', clientConfig, onWarning: () => undefined });
  const cache = createTieredCache({ tiers: [tier], tierTimeoutMs: 60_000 });
  // Same bucket and prefix, hashing left to core alone (`verifyDownloads: false`).
  const coreOnly = createS3Tier({
    bucket: BUCKET,
    prefix: 'bench/',
    clientConfig,
    verifyDownloads: false,
    onWarning: () => undefined,
  });
  const coreOnlyCache = createTieredCache({ tiers: [coreOnly], tierTimeoutMs: 60_000 });
  const client = tier.client;
  try {
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const [label, size, samples] of [
      // Many samples: on a small machine one hit varies by 2-4× (GC in either process), and
      // the medians of short runs wander by ±10 %.
      ['200 KB', 200 * KB, 600],
      ['2 MB', 2048 * KB, 300],
    ] as const) {
      const request = { type: 'tts', prompt: `bench clip of ${label}`, params: { voice: 'nova' } };
      const entry = await cache.put(request, bytesOf(size, 1), { mediaType: 'audio/wav', extension: 'wav' });
      await tier.flush();
      const Key = `bench/${blobPath(entry)}`;
      await coreOnlyCache.get(request); // indexes the entry through describe
      for (const c of [cache, coreOnlyCache]) {
        const probe = await c.get(request);
        if (probe?.tier !== 's3' || probe.bytes.length !== size)
          throw new Error('the S3 tier did not serve the hit');
      }
      const rows = await compare(
        `S3 hit of ${label}: TieredCache (S3 tier only) vs bare GetObject`,
        [
          {
            name: 'GetObject + transformToByteArray',
            run: async () => {
              const out = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
              await out.Body!.transformToByteArray();
            },
          },
          { name: 'cache.get, tier verifies while streaming (default)', run: () => cache.get(request) },
          {
            // The floor of any verified read: the same GetObject, SHA-256 computed as chunks
            // arrive. What the default is slower than this is tiercache's own overhead.
            name: 'reference: GetObject + SHA-256 while streaming',
            run: async () => {
              const out = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
              const hash = createHash('sha256');
              const chunks: Uint8Array[] = [];
              for await (const chunk of out.Body as Readable) {
                hash.update(chunk as Uint8Array);
                chunks.push(chunk as Uint8Array);
              }
              if (hash.digest('hex') !== entry.contentHash || Buffer.concat(chunks).length !== size)
                throw new Error('the bare download did not match');
            },
          },
          {
            name: 'cache.get, core verifies (verifyDownloads: false)',
            run: () => coreOnlyCache.get(request),
          },
        ],
        { samples, warmup: 20 },
      );
      console.log(
        `\n${label}: TieredCache S3 hit at ${rows[1]!.speedVsBaseline.toFixed(2)}× (default) and ${rows[3]!.speedVsBaseline.toFixed(2)}× (verifyDownloads: false) the speed of a bare GetObject (target ≥ 0.91×); a bare GetObject hashed while streaming runs at ${rows[2]!.speedVsBaseline.toFixed(2)}×`,
      );
    }
  } finally {
    await cache.close();
    await coreOnlyCache.close();
    await server.destroy();
  }
}
