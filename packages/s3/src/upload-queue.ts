import type { Entry } from '@tiercache/core';

export interface UploadJob {
  entry: Entry;
  bytes: Uint8Array;
  /** Attempts so far (the tier requeues a job that failed on an outage, a few times). */
  attempts: number;
}

interface Slot {
  id: string;
  job: UploadJob;
  running: boolean;
  /** A newer payload put while `job` was uploading: it goes next, never concurrently. */
  next: UploadJob | undefined;
  /** Set by `cancel` while the upload runs: the slot is dropped when that attempt ends. */
  cancelled: boolean;
  /** Settles when the attempt now running ends (whatever its outcome). */
  attemptEnded: Promise<void> | undefined;
}

export interface UploadQueueOptions {
  capacity: number;
  maxBytes: number;
  concurrency: number;
  /**
   * Uploads one job. `requeue`: it was not attempted (breaker open) and waits for its turn
   * again. A rejection drops the job (the tier counts and reports it).
   */
  upload: (job: UploadJob) => Promise<'done' | 'requeue'>;
  /** Ms to wait before starting another upload (an open breaker); 0 to go now. */
  waitMs: () => number;
}

// One slot per entry and content: the same entry put again replaces its waiting upload; another
// content for the same key (a rival writer) is an upload of its own, since both blobs must land.
const idOf = (entry: Entry) => `${entry.type}/${entry.key}/${entry.contentHash}.${entry.extension}`;

/**
 * A bounded background queue: `enqueue` never waits. Uploads of one entry and content are
 * serialized (the newest payload wins); queued payloads are readable (`find`) so a process reads its own
 * writes before they reach the bucket. While the breaker is open, uploads wait instead of
 * failing, and `flush` returns early with them still queued.
 */
export class UploadQueue {
  readonly #slots = new Map<string, Slot>();
  readonly #order: string[] = [];
  #running = 0;
  #bytes = 0;
  #jobs = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #idle = new Set<() => void>();

  constructor(private readonly options: UploadQueueOptions) {}

  get depth(): number {
    return this.#jobs;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get running(): number {
    return this.#running;
  }

  /** `false` when the queue is full (the caller counts the drop). */
  enqueue(job: UploadJob): boolean {
    const id = idOf(job.entry);
    const slot = this.#slots.get(id);
    const replaced = slot ? (slot.running ? slot.next : slot.job) : undefined;
    const addedJobs = replaced ? 0 : 1;
    const addedBytes = job.bytes.length - (replaced?.bytes.length ?? 0);
    if (this.#jobs + addedJobs > this.options.capacity || this.#bytes + addedBytes > this.options.maxBytes)
      return false;
    this.#jobs += addedJobs;
    this.#bytes += addedBytes;
    if (!slot) {
      this.#slots.set(id, {
        id,
        job,
        running: false,
        next: undefined,
        cancelled: false,
        attemptEnded: undefined,
      });
      this.#order.push(id);
    } else if (slot.running) slot.next = job;
    else slot.job = job;
    this.#pump();
    return true;
  }

  /** The newest payload waiting or uploading whose entry matches (a process reads its own writes). */
  find(matches: (entry: Entry) => boolean): UploadJob | undefined {
    for (const slot of this.#slots.values()) {
      const job = slot.next ?? slot.job;
      if (matches(job.entry)) return job;
    }
    return undefined;
  }

  /**
   * Drops waiting jobs that match and waits for the attempts of matching uploads already
   * running, so a delete that follows cannot be overtaken by an upload. A running job is
   * dropped once its attempt ends: it is never requeued, so a cancel never waits for an upload
   * parked behind an open breaker. Returns how many waiting jobs were dropped.
   */
  async cancel(matches: (entry: Entry) => boolean): Promise<number> {
    let dropped = 0;
    const running: Promise<void>[] = [];
    for (const slot of [...this.#slots.values()]) {
      if (!matches(slot.job.entry)) continue;
      dropped += this.#dropWaiting(slot);
      if (slot.running) {
        slot.cancelled = true;
        if (slot.attemptEnded) running.push(slot.attemptEnded);
      }
    }
    this.#notify();
    await Promise.all(running);
    return dropped;
  }

  /**
   * Resolves once nothing is queued or running, or early when uploads are held back by an
   * open breaker (they stay queued); resolves with the number of jobs left.
   */
  async flush(): Promise<number> {
    while (this.#jobs > 0 && !(this.#running === 0 && this.options.waitMs() > 0)) {
      await new Promise<void>((resolve) => this.#idle.add(resolve));
    }
    return this.#jobs;
  }

  #pump(): void {
    while (this.#running < this.options.concurrency) {
      const wait = this.options.waitMs();
      if (wait > 0) {
        this.#wakeAfter(wait);
        this.#notify();
        return;
      }
      const id = this.#order.find((candidate) => !this.#slots.get(candidate)?.running);
      if (id === undefined) break;
      const slot = this.#slots.get(id)!;
      slot.running = true;
      this.#running++;
      slot.attemptEnded = this.#run(slot);
    }
    this.#notify();
  }

  async #run(slot: Slot): Promise<void> {
    const { job } = slot;
    let requeue = false;
    try {
      requeue = (await this.options.upload(job)) === 'requeue';
    } catch {
      // Reported by `upload`; a failed job is dropped so one bad object cannot block the queue.
    } finally {
      this.#running--;
      slot.running = false;
      slot.attemptEnded = undefined;
      // A cancelled job is gone; a payload put after the cancel (`next`) is a new upload.
      // A requeued job without a newer payload stays first in line, untouched.
      const cancelled = slot.cancelled;
      slot.cancelled = false;
      if (slot.next) {
        this.#release(job);
        slot.job = slot.next;
        slot.next = undefined;
        const at = this.#order.indexOf(slot.id);
        if (at >= 0) this.#order.splice(at, 1);
        this.#order.push(slot.id);
      } else if (cancelled || !requeue) {
        this.#release(job);
        this.#remove(slot);
      }
      this.#pump();
    }
  }

  #release(job: UploadJob): void {
    this.#jobs--;
    this.#bytes -= job.bytes.length;
  }

  #remove(slot: Slot): void {
    this.#slots.delete(slot.id);
    const at = this.#order.indexOf(slot.id);
    if (at >= 0) this.#order.splice(at, 1);
  }

  /** Starts waiting uploads now (the breaker closed). */
  resume(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pump();
  }

  #wakeAfter(ms: number): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, ms);
    this.#timer.unref();
  }

  #notify(): void {
    if (this.#jobs > 0 && !(this.#running === 0 && this.options.waitMs() > 0)) return;
    for (const resolve of this.#idle) resolve();
    this.#idle.clear();
  }

  /** Stops the wake-up timer and drops everything still waiting; returns how many were dropped. */
  discard(): number {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    let dropped = 0;
    for (const slot of [...this.#slots.values()]) dropped += this.#dropWaiting(slot);
    this.#notify();
    return dropped;
  }

  /** Drops what of a slot waits (its next job, and its job unless running); returns how many. */
  #dropWaiting(slot: Slot): number {
    let dropped = 0;
    if (slot.next) {
      this.#release(slot.next);
      slot.next = undefined;
      dropped++;
    }
    if (!slot.running) {
      this.#release(slot.job);
      this.#remove(slot);
      dropped++;
    }
    return dropped;
  }
}
