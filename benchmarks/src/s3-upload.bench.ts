import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createTieredCache } from '@tiercache/core';
import { createS3Tier } from '@tiercache/s3';
// The s3 package's test server (s3rver on 127.0.0.1, temp folder), in a child process so that
// this process, the client, pays only what a client of a remote S3 pays.
import { startFaultProxy } from '@tiercache/test-support/fault-proxy';
import type { S3ServerInfo } from '@tiercache/test-support/s3-server';
import { startS3ServerChild } from '@tiercache/test-support/s3-server-child';
import { compare } from './harness.js';
import { bytesOf } from './synthetic-bytes.js';

const BUCKET = 'bench-upload';
const KB = 1024;
const UPLOADS = 32;
const SIZE = 200 * KB;

/**
 * Upload throughput of new entries: `cache.put` × 32 then `tier.flush()` through the S3 tier's
 * background queue (4 uploads at a time, the default), against 32 bare PutObject of the same
 * bytes, 4 at a time, through the same client. Every queued upload stores a new entry (blob,
 * manifest and journal record); requests are counted through the SDK's middleware. Twice: on
 * the local s3rver (CPU-bound: every request costs the server about the same), and behind a
 * proxy adding 20 ms to every answer (latency-bound, like a remote bucket).
 */
export async function benchS3Upload(): Promise<void> {
  const server = await startS3ServerChild();
  // A remote bucket answers after a network round trip: the same server behind a proxy that
  // holds every answer back by 20 ms.
  const proxy = await startFaultProxy({ host: '127.0.0.1', port: server.port });
  proxy.mode = 'slow';
  proxy.slowMs = 20;
  try {
    await compareUploads(server, server.endpoint, 'local s3rver');
    await compareUploads(server, proxy.endpoint, 's3rver + 20 ms per answer');
  } finally {
    await proxy.close();
    await server.destroy();
  }
}

async function compareUploads(server: S3ServerInfo, endpoint: string, label: string): Promise<void> {
  const clientConfig = {
    region: server.region,
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  };
  const prefix = `bench-${label.replace(/[^a-z0-9]+/g, '-')}/`;
  const tier = createS3Tier({ bucket: BUCKET, prefix, clientConfig, onWarning: () => undefined });
  const cache = createTieredCache({ tiers: [tier], tierTimeoutMs: 60_000 });
  const client = tier.client;
  let requests = 0;
  client.middlewareStack.add(
    (next) => (args) => {
      requests++;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'countRequestsForBench' },
  );
  const counted = { bare: { requests: 0, uploads: 0 }, queue: { requests: 0, uploads: 0 } };
  try {
    await client.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(() => undefined);
    let round = 0;
    const rows = await compare(
      `Upload throughput (${label}), ${UPLOADS} × 200 KB per sample: queue (put + flush) vs bare PutObject, both 4 at a time`,
      [
        {
          name: `bare PutObject × ${UPLOADS}`,
          run: async () => {
            const r = round++;
            const before = requests;
            for (let i = 0; i < UPLOADS; i += 4) {
              await Promise.all(
                [0, 1, 2, 3].map((j) =>
                  client.send(
                    new PutObjectCommand({
                      Bucket: BUCKET,
                      Key: `${prefix}raw/${r}-${i + j}.wav`,
                      Body: bytesOf(SIZE, r * UPLOADS + i + j),
                    }),
                  ),
                ),
              );
            }
            counted.bare.requests += requests - before;
            counted.bare.uploads += UPLOADS;
          },
        },
        {
          name: `cache.put × ${UPLOADS} + tier.flush()`,
          run: async () => {
            const r = round++;
            const before = requests;
            for (let i = 0; i < UPLOADS; i++) {
              // Distinct content per upload: every one is a new blob, as generated media is.
              await cache.put({ type: 'tts', prompt: `upload ${r} ${i}` }, bytesOf(SIZE, r * UPLOADS + i), {
                mediaType: 'audio/wav',
                extension: 'wav',
              });
            }
            await tier.flush();
            counted.queue.requests += requests - before;
            counted.queue.uploads += UPLOADS;
          },
        },
      ],
      { samples: 12, warmup: 1 },
    );
    const perSecond = (us: number) => (UPLOADS / us) * 1e6;
    const perUpload = (side: { requests: number; uploads: number }) =>
      (side.requests / side.uploads).toFixed(2);
    console.log(
      `\n${label}: uploads/s bare ${perSecond(rows[0]!.medianUs).toFixed(0)}, queue ${perSecond(rows[1]!.medianUs).toFixed(0)} ` +
        `(${rows[1]!.speedVsBaseline.toFixed(2)}× bare, target ≥ 0.6×; ${((perSecond(rows[1]!.medianUs) * SIZE) / 1024 / 1024).toFixed(1)} MB/s)`,
    );
    console.log(
      `requests per upload: bare ${perUpload(counted.bare)}, queue ${perUpload(counted.queue)} (blob, manifest, and a share of one journal record per burst; target ≤ 3)`,
    );
    console.log(`queue stats: ${JSON.stringify(tier.stats().queue)}`);
  } finally {
    await cache.close();
  }
}
