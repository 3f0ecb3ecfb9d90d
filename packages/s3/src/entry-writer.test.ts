import type { Entry } from '@tiercache/core';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BucketStore } from './bucket-store.js';
import { writeEntry } from './entry-writer.js';
import { bucketStoreFor } from './test-support/bucket-store-for-tests.js';
import { ensureBucket, freshPrefix, rawClient } from './test-support/test-bucket.js';

beforeAll(async () => {
  await ensureBucket(rawClient());
});

/** A store whose writes run `hook` right after they land: the racing writer's step goes there. */
function hooked(
  store: BucketStore,
  after: { blob?: (() => Promise<void>) | undefined; manifest?: (() => Promise<void>) | undefined },
) {
  const wrapped = Object.create(store) as BucketStore;
  wrapped.putBlob = async (entry, bytes, writer) => {
    await store.putBlob(entry, bytes, writer);
    const hook = after.blob;
    after.blob = undefined;
    await hook?.();
  };
  wrapped.putManifest = async (entry, writer) => {
    await store.putManifest(entry, writer);
    const hook = after.manifest;
    after.manifest = undefined;
    await hook?.();
  };
  return wrapped;
}

async function expectConsistent(store: BucketStore, entry: Entry, expectedHash: string): Promise<void> {
  const manifest = await store.getManifest(entry.type, entry.key);
  const blob = await store.getBlob(entry);
  expect(manifest?.entry.contentHash).toBe(expectedHash);
  expect(blob?.sha256).toBe(expectedHash);
  expect(blob?.head.sha256).toBe(expectedHash);
}

function rivals(): [Entry, Uint8Array, Entry, Uint8Array] {
  const bytesA = sampleBytes(3000, 1);
  const bytesB = sampleBytes(3500, 2);
  const entryA = sampleEntry(bytesA, { type: 'tts', extension: 'wav' });
  const entryB = sampleEntry(bytesB, { type: 'tts', extension: 'wav', key: entryA.key });
  return [entryA, bytesA, entryB, bytesB];
}

describe('two writers of one new key, interleaved step by step', () => {
  it('A blob, B writes everything, A manifest: A repairs the blob it lost', async () => {
    const store = bucketStoreFor(freshPrefix('race'));
    const [entryA, bytesA, entryB, bytesB] = rivals();
    const a = hooked(store, {
      blob: async () => {
        expect(await writeEntry(store, entryB, bytesB, 'writer-b')).toBe('stored');
      },
    });
    expect(await writeEntry(a, entryA, bytesA, 'writer-a')).toBe('stored');
    await expectConsistent(store, entryA, entryA.contentHash);
  });

  it("B's blob lands after A's manifest: the manifest decides and A rewrites the blob", async () => {
    const store = bucketStoreFor(freshPrefix('race'));
    const [entryA, bytesA, entryB, bytesB] = rivals();
    const a = hooked(store, { manifest: () => store.putBlob(entryB, bytesB, 'writer-b') });
    expect(await writeEntry(a, entryA, bytesA, 'writer-a')).toBe('stored');
    await expectConsistent(store, entryA, entryA.contentHash);
  });

  it("B's manifest lands over A's after A's blob replaced B's: A restores its manifest", async () => {
    const store = bucketStoreFor(freshPrefix('race'));
    const [entryA, bytesA, entryB, bytesB] = rivals();
    await store.putBlob(entryB, bytesB, 'writer-b');
    const a = hooked(store, { manifest: () => store.putManifest(entryB, 'writer-b') });
    expect(await writeEntry(a, entryA, bytesA, 'writer-a')).toBe('stored');
    await expectConsistent(store, entryA, entryA.contentHash);
    // B, checking afterwards, finds a consistent entry that is not its own and leaves it.
    expect(await writeEntry(store, entryB, bytesB, 'writer-b')).toBe('conflict');
    await expectConsistent(store, entryA, entryA.contentHash);
  });

  it("keeps another machine's entry (first writer wins) but replaces its own", async () => {
    const store = bucketStoreFor(freshPrefix('race'));
    const [entryA, bytesA, entryB, bytesB] = rivals();
    expect(await writeEntry(store, entryA, bytesA, 'writer-a')).toBe('stored');
    expect(await writeEntry(store, entryB, bytesB, 'writer-b')).toBe('conflict');
    await expectConsistent(store, entryA, entryA.contentHash);
    expect(await writeEntry(store, entryA, bytesA, 'writer-b')).toBe('exists');
    expect(await writeEntry(store, entryB, bytesB, 'writer-a')).toBe('stored');
    await expectConsistent(store, entryA, entryB.contentHash);
  });
});
