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
import type { BlobRef, Entry } from '@tiercache/core';
import { readBody } from './body-reader.js';
import { type DecodedManifest, decodeManifest, encodeManifest, type ManifestRejection } from './manifest.js';
import type { ManifestSigner } from './manifest-signature.js';
import type { ObjectLayout } from './object-layout.js';
import { isNotFound, type RequestGuard } from './request-guard.js';
import type { ResolvedS3TierOptions } from './s3-options.js';

/**
 * What the store says about a blob object it holds: its ETag (for a single-part upload the MD5
 * of the bytes it holds, as the store computed it) and, from stores that keep one
 * (`ChecksumMode: ENABLED`; AWS S3, R2, MinIO), the SHA-256 it verified when the object was
 * written.
 */
export interface BlobHead {
  etag: string | undefined;
  /** The store's own SHA-256 of the object, hex. */
  sha256: string | undefined;
}

export interface DownloadedBlob {
  bytes: Uint8Array;
  /** SHA-256 of the bytes received, computed while they streamed in (unless `verifyDownloads` is off). */
  sha256: string | undefined;
}

/** `created`: this write made the object; `exists`: the store already held one under the name. */
export type WriteOutcome = 'created' | 'exists';

const unquote = (etag: string | undefined) => etag?.replace(/^"|"$/g, '');
const hexOfBase64 = (checksum: string | undefined) =>
  checksum === undefined ? undefined : Buffer.from(checksum, 'base64').toString('hex');

/**
 * 412 (an object exists: `If-None-Match: *` refused the write) or 409 (AWS: a conditional
 * write raced another one to the same name): either way another writer got there first.
 */
function isPreconditionFailed(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata
    ?.httpStatusCode;
  return status === 412 || status === 409;
}

/** The tier's S3 requests, each one guarded (breaker, deadline, retries). */
export class BucketStore {
  /** Manifests read and not used, by reason. */
  readonly rejectedManifests: Record<ManifestRejection, number> = { malformed: 0, unsigned: 0 };

  constructor(
    private readonly client: S3Client,
    private readonly options: ResolvedS3TierOptions,
    private readonly guard: RequestGuard,
    readonly layout: ObjectLayout,
    private readonly signer: ManifestSigner | undefined,
  ) {}

  /** The tier's clock (journal names, manifest times). */
  now(): number {
    return this.options.now();
  }

  /** The manifest text of an entry, signed when the tier has a key. */
  encodeManifest(entry: Entry): string {
    return encodeManifest(entry, this.options.now(), this.signer);
  }

  /** `If-None-Match: *` on creating writes, where the store honours it (see `conditionalWrites`). */
  private get createOnly() {
    return this.options.conditionalWrites ? { IfNoneMatch: '*' } : {};
  }

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

  async getBlob(ref: BlobRef): Promise<DownloadedBlob | undefined> {
    const Key = this.layout.blob(ref);
    return this.readObject('get', Key, (abortSignal) =>
      this.download(Key, abortSignal, this.options.verifyDownloads),
    );
  }

  /** A fresh look at a blob object: what the store itself records about the bytes it holds. */
  async headBlob(ref: BlobRef): Promise<BlobHead | undefined> {
    const Key = this.layout.blob(ref);
    return this.readObject('head', Key, async (abortSignal) => {
      const out = await this.client.send(
        new HeadObjectCommand({ Bucket: this.options.bucket, Key, ChecksumMode: 'ENABLED' }),
        { abortSignal },
      );
      return { etag: unquote(out.ETag), sha256: hexOfBase64(out.ChecksumSHA256) };
    });
  }

  /**
   * Creates the blob object. Its name is its content, so an existing object is never
   * rewritten (`If-None-Match: *`); the SHA-256 goes along (`x-amz-checksum-sha256`), so a
   * store that checks it refuses bytes damaged on the way and keeps the checksum for later
   * proof (see `headBlob`).
   */
  async putBlob(entry: Entry, bytes: Uint8Array): Promise<WriteOutcome> {
    const Key = this.layout.blob(entry);
    return this.create(
      (abortSignal) => {
        const command = new PutObjectCommand({
          Bucket: this.options.bucket,
          Key,
          Body: bytes,
          ContentLength: bytes.length,
          ContentType: entry.mediaType,
          ChecksumSHA256: Buffer.from(entry.contentHash, 'hex').toString('base64'),
          ...this.createOnly,
        });
        // The payload hash SigV4 signs is the content hash we already have: the signer does not
        // hash the body again, and a store that checks it refuses a body damaged on the way.
        command.middlewareStack.add(
          (next) => (args) => {
            (args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256'] =
              entry.contentHash;
            return next(args);
          },
          { step: 'build', name: 'tiercacheKnownPayloadHash' },
        );
        return this.client.send(command, { abortSignal });
      },
      Key,
      this.options.uploadTimeoutMs,
    );
  }

  /** The entry recorded under `(type, key)`; `undefined` when absent, malformed or (with a key) unsigned. */
  async getManifest(type: string, key: string): Promise<DecodedManifest | undefined> {
    const text = await this.getText(this.layout.manifest(type, key), 'describe');
    if (text === undefined) return undefined;
    const decoded = decodeManifest(text, type, key, this.signer);
    if (typeof decoded !== 'string') return decoded;
    this.rejectedManifests[decoded]++;
    return undefined;
  }

  /** Reads a small JSON object (manifest, segment) as text; `undefined` when absent. */
  async getText(Key: string, operation = 'get'): Promise<string | undefined> {
    return this.readObject(operation, Key, async (abortSignal) => {
      const { bytes } = await this.download(Key, abortSignal, false);
      return Buffer.from(bytes).toString('utf8');
    });
  }

  /**
   * Records the entry under its key unless a record exists (first writer wins, where the store
   * honours `If-None-Match`; elsewhere the last write wins, see the README).
   */
  async putManifest(entry: Entry, Body: string): Promise<WriteOutcome> {
    const Key = this.layout.manifest(entry.type, entry.key);
    return this.create(
      (abortSignal) => this.sendJson(Key, Body, abortSignal, this.createOnly),
      Key,
      this.options.requestTimeoutMs,
    );
  }

  async putText(Key: string, text: string): Promise<void> {
    await this.guard.run('put', (abortSignal) => this.sendJson(Key, text, abortSignal, {}), {
      timeoutMs: this.options.requestTimeoutMs,
      write: true,
      objectKey: Key,
    });
  }

  /** The bytes of one object, hashed while they stream when `hash` is set. */
  private async download(Key: string, abortSignal: AbortSignal, hash: boolean): Promise<DownloadedBlob> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key }), {
      abortSignal,
    });
    return readBody(out.Body as Readable, out.ContentLength, abortSignal, hash);
  }

  /** Writes a small JSON object (manifest, journal record, segment). */
  private sendJson(Key: string, Body: string, abortSignal: AbortSignal, condition: { IfNoneMatch?: string }) {
    return this.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key,
        Body,
        ContentType: 'application/json',
        ...condition,
      }),
      { abortSignal },
    );
  }

  /** A guarded creating write: a refusal because the object exists is an answer, `exists`. */
  private create(
    send: (abortSignal: AbortSignal) => Promise<unknown>,
    Key: string,
    timeoutMs: number,
  ): Promise<WriteOutcome> {
    return this.guard.run(
      'put',
      async (abortSignal): Promise<WriteOutcome> => {
        try {
          await send(abortSignal);
          return 'created';
        } catch (error) {
          if (isPreconditionFailed(error)) return 'exists';
          throw error;
        }
      },
      { timeoutMs, write: true, objectKey: Key },
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

  /**
   * Lists keys under `prefix` after `startAfter`, one page (`visit`) at a time, in key order;
   * stops early when `visit` resolves `false`.
   */
  async list(
    prefix: string,
    startAfter: string | undefined,
    visit: (keys: string[]) => Promise<unknown>,
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
      if ((await visit(keys)) === false) return;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
