import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { describe, expect, it } from 'vitest';
import { type UploadJob, UploadQueue } from './upload-queue.js';

function job(size: number, seed: number, key?: string): UploadJob {
  const bytes = sampleBytes(size, seed);
  return { entry: sampleEntry(bytes, key ? { key } : {}), bytes, attempts: 0 };
}

/** Uploads that wait until the test releases them. */
function gatedQueue(options: { capacity?: number; maxBytes?: number; wait?: () => number } = {}) {
  const started: UploadJob[] = [];
  const releases: Array<() => void> = [];
  const queue = new UploadQueue({
    capacity: options.capacity ?? 10,
    maxBytes: options.maxBytes ?? 1_000_000,
    concurrency: 1,
    waitMs: options.wait ?? (() => 0),
    upload: (item) => {
      started.push(item);
      return new Promise((resolve) => releases.push(() => resolve('done')));
    },
  });
  const releaseAll = async () => {
    while (releases.length > 0 || queue.running > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { queue, started, releaseAll };
}

describe('upload queue', () => {
  it('drops beyond its capacity in jobs or bytes, without waiting', () => {
    const { queue } = gatedQueue({ capacity: 2, maxBytes: 250 });
    expect(queue.enqueue(job(100, 1))).toBe(true);
    expect(queue.enqueue(job(100, 2))).toBe(true);
    expect(queue.enqueue(job(10, 3))).toBe(false); // jobs
    const small = gatedQueue({ capacity: 10, maxBytes: 250 }).queue;
    expect(small.enqueue(job(200, 4))).toBe(true);
    expect(small.enqueue(job(100, 5))).toBe(false); // bytes
    expect(small.depth).toBe(1);
  });

  it('serializes uploads of one entry (the same put again waits once), readable meanwhile', async () => {
    const { queue, started, releaseAll } = gatedQueue();
    const first = job(100, 1);
    const again = () => ({ ...first, bytes: first.bytes.slice() });
    const [second, third] = [again(), again()];
    queue.enqueue(first);
    queue.enqueue(second);
    queue.enqueue(third); // replaces `second`, which never uploads
    expect(queue.depth).toBe(2);
    expect(queue.find((entry) => entry.key === first.entry.key)?.bytes).toBe(third.bytes);
    await releaseAll();
    await queue.flush();
    expect(started.map((item) => item.bytes)).toEqual([first.bytes, third.bytes]);
    expect(queue.depth).toBe(0);
    expect(queue.bytes).toBe(0);
  });

  it('uploads every content of one key: a rival writer never replaces a waiting upload', async () => {
    const { queue, started, releaseAll } = gatedQueue();
    const first = job(100, 1);
    const rivals = [job(120, 2, first.entry.key), job(140, 3, first.entry.key)];
    queue.enqueue(first);
    for (const rival of rivals) queue.enqueue(rival);
    expect(queue.depth).toBe(3);
    await releaseAll();
    await queue.flush();
    expect(started.map((item) => item.bytes.length).sort()).toEqual([100, 120, 140]);
  });

  it('holds uploads while told to wait, and flush returns with them still queued', async () => {
    let wait = 1000;
    const { queue, started, releaseAll } = gatedQueue({ wait: () => wait });
    queue.enqueue(job(100, 1));
    expect(await queue.flush()).toBe(1);
    expect(started).toEqual([]);
    wait = 0;
    queue.resume();
    await releaseAll();
    expect(await queue.flush()).toBe(0);
    expect(started).toHaveLength(1);
  });

  it('cancel drops waiting jobs and waits for running ones', async () => {
    const { queue, releaseAll } = gatedQueue();
    const running = job(100, 1);
    const waiting = job(100, 2);
    queue.enqueue(running);
    queue.enqueue(waiting);
    const cancelled = queue.cancel(() => true);
    await releaseAll();
    expect(await cancelled).toBe(1);
    expect(queue.depth).toBe(0);
  });

  it('cancel waits for the running attempt only, never for an upload parked behind an open breaker', async () => {
    let breakerOpen = false;
    let release: (() => void) | undefined;
    const queue = new UploadQueue({
      capacity: 10,
      maxBytes: 1_000_000,
      concurrency: 1,
      waitMs: () => (breakerOpen ? 60_000 : 0),
      upload: () =>
        new Promise((resolve) => {
          release = () => resolve('requeue'); // the attempt failed on an outage: back in line
        }),
    });
    queue.enqueue(job(100, 1));
    expect(queue.running).toBe(1);
    const cancelled = queue.cancel(() => true);
    breakerOpen = true;
    release!();
    expect(await cancelled).toBe(0);
    expect(queue.depth).toBe(0);
    expect(queue.bytes).toBe(0);
    expect(queue.find(() => true)).toBeUndefined();
  });

  it('a payload put after a cancel, while the cancelled upload runs, is uploaded next', async () => {
    const { queue, started, releaseAll } = gatedQueue();
    const first = job(100, 1, 'same');
    queue.enqueue(first);
    const cancelled = queue.cancel(() => true);
    const second = job(120, 2, 'same');
    queue.enqueue(second);
    await releaseAll();
    await cancelled;
    expect(started.map((item) => item.bytes.length)).toEqual([100, 120]);
    expect(queue.depth).toBe(0);
    expect(queue.bytes).toBe(0);
  });
});
