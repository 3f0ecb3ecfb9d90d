import type BetterSqlite3 from 'better-sqlite3';

/** Uses of one entry recorded in memory and not yet written. */
export interface PendingTouch {
  readonly type: string;
  readonly key: string;
  uses: number;
  /** The latest use time recorded. */
  at: number;
}

/**
 * Coalesces `touch` writes: each touch is a `+1` in memory, and one `BEGIN IMMEDIATE`
 * transaction writes every pending increment (`use_count + n`, `last_used_at = max(...)`).
 * A hit then costs a read instead of a WAL commit; the additions are atomic in SQL, so
 * counts from several processes stay exact once each has flushed.
 */
export interface TouchBuffer {
  /** Records one use of an entry whose row exists; returns its pending total. */
  add(type: string, key: string, at: number): PendingTouch;
  pendingFor(type: string, key: string): PendingTouch | undefined;
  /** Forgets the pending uses of one entry (its row was replaced by a new one). */
  drop(type: string, key: string): void;
  readonly size: number;
  /** Writes every pending use in one transaction. On failure they stay pending and it throws. */
  flush(): void;
  /** Stops the timer; pending uses that were not flushed are lost. */
  dispose(): void;
}

export interface TouchBufferOptions {
  /** Flush this long after the first pending use (an unref'd timer). */
  flushMs: number;
  /** Called after each committed flush (the checkpoint policy counts writes). */
  afterWrite: () => void;
}

type AddUses = BetterSqlite3.Statement<[number, number, string, string], unknown>;

// Buffers with pending uses, flushed when the process exits normally without close().
const unflushed = new Set<TouchBuffer>();
let exitHookInstalled = false;

function flushAllOnExit(): void {
  for (const buffer of unflushed) {
    try {
      buffer.flush();
    } catch {
      // Exiting: nothing left to report to. Use counts are statistics; a lost few cost nothing.
    }
  }
}

export function createTouchBuffer(
  db: BetterSqlite3.Database,
  addUses: AddUses,
  options: TouchBufferOptions,
): TouchBuffer {
  const pending = new Map<string, PendingTouch>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idOf = (type: string, key: string) => `${type}/${key}`;

  const writeAll = db.transaction(() => {
    for (const touch of pending.values()) addUses.run(touch.uses, touch.at, touch.type, touch.key);
  });

  function arm(): void {
    if (timer !== undefined) return;
    timer = setTimeout(onTimer, options.flushMs);
    timer.unref();
  }

  function onTimer(): void {
    timer = undefined;
    try {
      buffer.flush();
    } catch {
      // A lock held past busy_timeout or an I/O error: the uses stay pending, try again later.
      // The next stats, evictionCandidates, delete, clear or close flushes and reports it.
      if (pending.size > 0 && db.open) arm();
    }
  }

  const buffer: TouchBuffer = {
    add(type, key, at) {
      const id = idOf(type, key);
      let touch = pending.get(id);
      if (touch) {
        touch.uses++;
        touch.at = Math.max(touch.at, at);
      } else {
        touch = { type, key, uses: 1, at };
        pending.set(id, touch);
        unflushed.add(buffer);
        if (!exitHookInstalled) {
          exitHookInstalled = true;
          process.once('exit', flushAllOnExit);
        }
        arm();
      }
      return touch;
    },
    pendingFor: (type, key) => pending.get(idOf(type, key)),
    drop(type, key) {
      pending.delete(idOf(type, key));
    },
    get size() {
      return pending.size;
    },
    flush() {
      if (pending.size === 0) return;
      writeAll.immediate();
      pending.clear();
      unflushed.delete(buffer);
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      options.afterWrite();
    },
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      pending.clear();
      unflushed.delete(buffer);
    },
  };
  return buffer;
}
