import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Entry } from '@tiercache/core';
import { type DecodedManifest, decodeManifest, encodeManifest } from './manifest.js';
import { META_SHA256, META_SIZE, META_WRITER, type ObjectLayout } from './object-layout.js';
import type { ObjectRef } from './object-ref.js';
import { isNotFound, type RequestGuard } from './request-guard.js';
import type { ResolvedS3TierOptions } from './s3-options.js';

/** What a blob object says about itself (its metadata), when it was written by this package. */
export interface BlobHead {
  sha256: string | undefined;
  size: number | undefined;
  writer: string | undefined;
}

export interface DownloadedBlob {
  bytes: Uint8Array;
  /** SHA-256 of the bytes received, computed while they streamed in (unless `verifyDownloads` is off). */
  sha256: string | undefined;
  head: BlobHead;
}

function headOf(metadata: Record<string, string> | undefined): BlobHead {
  const size = Number(metadata?.[META_SIZE]);
  return {
    sha256: metadata?.[META_SHA256],
    size: Number.isSafeInteger(size) ? size : undefined,
    writer: metadata?.[META_WRITER],
  };
}

/**
 * A buffer of its own (never a slice of Node's shared pool) whose bytes are not zeroed first:
 * every byte is overwritten by the body before anyone sees it.
 */
function uninitialized(size: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(size);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

/** Reads a body to the end, hashing as it arrives, into one buffer sized by Content-Length. */
async function readBody(body: Readable, length: number | undefined, signal: AbortSignal, hashing = true) {
  const hash = hashing ? createHash('sha256') : undefined;
  const abort = () => body.destroy(new Error('aborted'));
  signal.addEventListener('abort', abort, { once: true });
  try {
    let out = uninitialized(length ?? 0);
    let filled = 0;
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      hash?.update(chunk);
      if (filled + chunk.length > out.length) {
        const grown = uninitialized(Math.max(out.length * 2, filled + chunk.length));
        grown.set(out.subarray(0, filled));
        out = grown;
      }
      out.set(chunk, filled);
      filled += chunk.length;
    }
    if (signal.aborted) throw new Error('aborted');
    if (length !== undefined && filled !== length) {
      // The connection ended early: a transfer fault, retried like any network error.
      throw Object.assign(new Error(`body ended after ${filled} of ${length} bytes`), {
        code: 'EBODYTRUNCATED',
      });
    }
    return { bytes: filled === out.length ? out : out.slice(0, filled), sha256: hash?.digest('hex') };
  } finally {
    signal.removeEventListener('abort', abort);
  }
}

/** The tier's S3 requests, each one guarded (breaker, deadline, retries). */
export class BucketStore {
  constructor(
    private readonly client: S3Client,
    private readonly options: ResolvedS3TierOptions,
    private readonly guard: RequestGuard,
    readonly layout: ObjectLayout,
  ) {}

  private get readOptions() {
    return { timeoutMs: this.options.requestTimeoutMs };
  }

  /** Runs one guarded read; a missing object is `undefined`, anything else a failure. */
  private readObject<T>(
    operation: string,
    Key: string,
    read: (abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T | undefined> {
    return this.guard.run(
      operation,
      async (abortSignal) => {
        try {
          return await read(abortSignal);
        } catch (error) {
          if (isNotFound(error)) return undefined;
          throw error;
        }
      },
      { ...this.readOptions, objectKey: Key },
    );
  }

  async getBlob(ref: ObjectRef): Promise<DownloadedBlob | undefined> {
    const Key = this.layout.blob(ref);
    return this.readObject('get', Key, async (abortSignal) => {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key }), {
        abortSignal,
      });
      const body = await readBody(
        out.Body as Readable,
        out.ContentLength,
        abortSignal,
        this.options.verifyDownloads,
      );
      return { ...body, head: headOf(out.Metadata) };
    });
  }

  async headBlob(ref: ObjectRef): Promise<BlobHead | undefined> {
    const Key = this.layout.blob(ref);
    return this.readObject('head', Key, async (abortSignal) => {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key }), {
        abortSignal,
      });
      return headOf(out.Metadata);
    });
  }

  async putBlob(entry: Entry, bytes: Uint8Array, writer: string): Promise<void> {
    const Key = this.layout.blob(entry);
    await this.guard.run(
      'put',
      (abortSignal) =>
        this.client.send(
          new PutObjectCommand({
            Bucket: this.options.bucket,
            Key,
            Body: bytes,
            ContentLength: bytes.length,
            ContentType: entry.mediaType,
            Metadata: {
              [META_SHA256]: entry.contentHash,
              [META_SIZE]: String(bytes.length),
              [META_WRITER]: writer,
            },
          }),
          { abortSignal },
        ),
      { timeoutMs: this.options.uploadTimeoutMs, write: true, objectKey: Key },
    );
  }

  async getManifest(type: string, key: string): Promise<DecodedManifest | undefined> {
    const Key = this.layout.manifest(type, key);
    return this.readObject('describe', Key, async (abortSignal) => {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key }), {
        abortSignal,
      });
      const { bytes } = await readBody(out.Body as Readable, out.ContentLength, abortSignal);
      return decodeManifest(Buffer.from(bytes).toString('utf8'), type, key);
    });
  }

  async putManifest(entry: Entry, writer: string): Promise<void> {
    await this.putJson(
      this.layout.manifest(entry.type, entry.key),
      encodeManifest(entry, writer, this.options.now()),
    );
  }

  /** Appends a journal record naming the entry, for other machines' `sync`. */
  async putJournal(entry: Entry, writer: string): Promise<void> {
    const now = this.options.now();
    await this.putJson(this.layout.journal(now, entry.type, entry.key), encodeManifest(entry, writer, now));
  }

  private async putJson(Key: string, text: string): Promise<void> {
    await this.guard.run(
      'put',
      (abortSignal) =>
        this.client.send(
          new PutObjectCommand({
            Bucket: this.options.bucket,
            Key,
            Body: text,
            ContentType: 'application/json',
          }),
          { abortSignal },
        ),
      { timeoutMs: this.options.requestTimeoutMs, write: true, objectKey: Key },
    );
  }

  async deleteObject(Key: string): Promise<void> {
    await this.guard.run(
      'delete',
      (abortSignal) =>
        this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key }), { abortSignal }),
      { timeoutMs: this.options.requestTimeoutMs, write: true, objectKey: Key },
    );
  }

  async deleteMany(keys: string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += 1000) {
      const Objects = keys.slice(start, start + 1000).map((Key) => ({ Key }));
      await this.guard.run(
        'delete',
        (abortSignal) =>
          this.client.send(
            new DeleteObjectsCommand({ Bucket: this.options.bucket, Delete: { Objects, Quiet: true } }),
            { abortSignal },
          ),
        { timeoutMs: this.options.requestTimeoutMs, write: true },
      );
    }
  }

  /** Lists keys under `prefix` after `startAfter`, one page (`visit`) at a time, in key order. */
  async list(
    prefix: string,
    startAfter: string | undefined,
    visit: (keys: string[]) => Promise<void>,
  ): Promise<void> {
    let token: string | undefined;
    do {
      const page = await this.guard.run(
        'list',
        (abortSignal) =>
          this.client.send(
            new ListObjectsV2Command({
              Bucket: this.options.bucket,
              Prefix: prefix,
              ...(token ? { ContinuationToken: token } : startAfter ? { StartAfter: startAfter } : {}),
            }),
            { abortSignal },
          ),
        { timeoutMs: this.options.requestTimeoutMs },
      );
      const keys = (page.Contents ?? []).map((object) => object.Key).filter((key): key is string => !!key);
      await visit(keys);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
