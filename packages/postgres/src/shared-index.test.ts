import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { eventually } from '@tiercache/test-support/eventually';
import { PASSWORD } from '@tiercache/test-support/postgres-server';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { type PostgresIndex, SCHEMA_VERSION } from './index.js';
import { useTestFarm } from './test-support/test-farm.js';

const farm = useTestFarm({ touchFlushMs: 50 });
const { errors, fresh, machine } = farm;

describe('a farm of machines on one database', () => {
  it('sends each insert, delete and clear to every machine through the change feed', async () => {
    await fresh();
    const [a, b] = [await machine(), await machine()];
    const seen: string[] = [];
    b.subscribe((change) => seen.push(change.kind));
    const one = sampleEntry(sampleBytes(10, 1), { prompt: 'a red fox in snow' });
    const two = sampleEntry(sampleBytes(10, 2), { type: 'tts' });
    a.insert(one);
    a.insert(two);
    await eventually(() => expect(b.get(one.type, one.key)).toEqual(one));
    expect(b.partition(one.type, one.paramsHash).map((p) => p.prompt)).toEqual(['a red fox in snow']);
    await eventually(() => expect(b.get('tts', two.key)).toEqual(two));
    a.delete(one.type, one.key);
    await eventually(() => expect(b.get(one.type, one.key)).toBeUndefined());
    b.clear('tts');
    await eventually(() => expect(a.get('tts', two.key)).toBeUndefined());
    expect(seen).toEqual(['insert', 'insert', 'delete', 'clear']); // b's own clear, then nothing more
    // A machine that opens later starts from the server's state.
    const late = await machine();
    expect(late.stats().entries).toBe(0);
    expect(errors).toEqual([]);
  });

  it('adds up use counts from every machine on the server, batched', async () => {
    await fresh();
    const [a, b] = [await machine(), await machine()];
    const entry = sampleEntry(sampleBytes(10, 3));
    a.insert(entry);
    await eventually(() => expect(b.get(entry.type, entry.key)).toBeDefined());
    for (let i = 0; i < 5; i++) a.touch(entry.type, entry.key, entry.createdAt + 10 + i);
    for (let i = 0; i < 3; i++) b.touch(entry.type, entry.key, entry.createdAt + 100 + i);
    expect(a.get(entry.type, entry.key)?.useCount).toBe(6);
    await Promise.all([a.flush(), b.flush()]);
    const shared = await a.sharedStats();
    expect(shared?.byType.image).toEqual({ entries: 1, uses: 9, bytes: 10 });
    // A machine that opens now sees the farm-wide count and last use.
    const late = await machine();
    expect(late.get(entry.type, entry.key)).toMatchObject({ useCount: 9, lastUsedAt: entry.createdAt + 102 });
  });

  it('keeps the first writer when two machines insert one key: both end up with the same entry', async () => {
    await fresh();
    const [a, b] = [await machine(), await machine()];
    const first = sampleEntry(sampleBytes(10, 4));
    const second = sampleEntry(sampleBytes(20, 5), { key: first.key, createdAt: first.createdAt + 1 });
    a.insert(first);
    await a.flush();
    b.insert(second); // b had not heard of `first` yet, or had: either way the server keeps `first`
    await b.flush();
    await eventually(() => expect(b.get(first.type, first.key)).toEqual(first));
    expect(a.get(first.type, first.key)).toEqual(first);
  });

  it('grants a claim to exactly one of many concurrent claimers, never once the entry exists', async () => {
    await fresh();
    const machines = await Promise.all([machine(), machine(), machine()]);
    const entry = sampleEntry(sampleBytes(10, 6));
    const attempts = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        machines[i % 3]!.claimSharedGeneration(entry.type, entry.key, { now: 0, claimMs: 60_000 }),
      ),
    );
    // The winner may claim again (its own claim); the others are refused.
    const winners = new Set(attempts.flatMap((won, i) => (won ? [i % 3] : [])));
    expect(winners.size).toBe(1);
    const winner = machines[[...winners][0]!]!;
    const other = machines.find((m) => m !== winner)!;
    winner.insert(entry);
    winner.releaseGeneration(entry.type, entry.key);
    await winner.flush();
    // Released, but the entry exists: still refused, and the refusal brings the entry along.
    expect(await other.claimSharedGeneration(entry.type, entry.key, { now: 0, claimMs: 60_000 })).toBe(false);
    expect(other.get(entry.type, entry.key)).toEqual(entry);
  });

  it('lets another machine take over a claim whose lease ran out (its holder died)', async () => {
    await fresh();
    const [dead, alive] = [await machine(), await machine()];
    expect(await dead.claimSharedGeneration('tts', 'a'.repeat(64), { now: 0, claimMs: 300 })).toBe(true);
    await dead.close(); // never releases
    expect(await alive.claimSharedGeneration('tts', 'a'.repeat(64), { now: 0, claimMs: 300 })).toBe(false);
    await eventually(async () =>
      expect(await alive.claimSharedGeneration('tts', 'a'.repeat(64), { now: 0, claimMs: 300 })).toBe(true),
    );
  });

  it('finds an entry the feed has not delivered yet when asked by key', async () => {
    await fresh();
    const [a, b] = [await machine(), await machine()];
    const entry = sampleEntry(sampleBytes(10, 7));
    // Written straight to the server, as another machine would: b is asked before its feed runs.
    a.insert(entry);
    await a.flush();
    expect(await b.lookupShared(entry.type, entry.key)).toEqual(entry);
    expect(b.get(entry.type, entry.key)).toEqual(entry);
    expect(await b.lookupShared(entry.type, 'b'.repeat(64))).toBeUndefined();
  });
});

describe('when PostgreSQL goes away', () => {
  it('serves from the replica, keeps writes, never throws, and resumes the feed after a restart', async () => {
    await fresh();
    const [a, b] = [await machine(), await machine()];
    const before = sampleEntry(sampleBytes(10, 8));
    a.insert(before);
    await eventually(() => expect(b.get(before.type, before.key)).toBeDefined());
    const during = sampleEntry(sampleBytes(10, 9), { prompt: 'stored while the server was down' });
    await farm.server.stop();
    try {
      expect(a.insert(during)).toEqual(during);
      expect(a.touch(before.type, before.key, before.createdAt + 5)?.useCount).toBe(2);
      expect(a.get(before.type, before.key)).toBeDefined();
      // Claims fall back to "generate here"; lookups to "not found".
      expect(await a.claimSharedGeneration('tts', 'c'.repeat(64), { now: 0, claimMs: 1000 })).toBe(true);
      expect(await a.lookupShared('tts', 'c'.repeat(64))).toBeUndefined();
      expect(a.health()).toMatchObject({ connected: false });
      expect(a.health().pendingWrites).toBeGreaterThan(0);
      expect(await a.flush(200)).toBe(false);
    } finally {
      await farm.server.start();
    }
    // The write made while down arrives; the feed is back on both machines.
    await eventually(() => expect(b.get(during.type, during.key)).toEqual(during));
    const after = sampleEntry(sampleBytes(10, 10));
    b.insert(after);
    await eventually(() => {
      expect(a.get(after.type, after.key)).toEqual(after);
      expect(b.stats().entries).toBe(3);
      expect(a.health()).toMatchObject({ connected: true, pendingWrites: 0 });
    });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((error) => error.code === 'E_INDEX_UNAVAILABLE')).toBe(true);
    expect(errors.map((error) => error.message).join('\n')).not.toContain(PASSWORD);
  });
});

describe('offlineStart', () => {
  it('opens while the server is down, serves and queues, then connects on its own', async () => {
    await fresh();
    const b = await machine();
    const entry = sampleEntry(sampleBytes(10, 15), { prompt: 'stored before the index ever connected' });
    await farm.server.stop();
    let a: PostgresIndex;
    try {
      a = await machine({ offlineStart: true });
      expect(a.health().connected).toBe(false);
      a.insert(entry);
      expect(a.get(entry.type, entry.key)).toEqual(entry);
      expect(await a.claimSharedGeneration('tts', 'd'.repeat(64), { now: 0, claimMs: 1000 })).toBe(true);
    } finally {
      await farm.server.start();
    }
    await eventually(() => {
      expect(b.get(entry.type, entry.key)).toEqual(entry);
      expect(a.get(entry.type, entry.key)).toEqual(entry);
      expect(a.health()).toMatchObject({ connected: true, pendingWrites: 0 });
    });
    expect(errors.some((error) => error.context.operation === 'open')).toBe(true);
  });
});

describe('change log retention', () => {
  it('prunes old changes, and a machine that missed pruned changes reloads the table', async () => {
    await fresh();
    const a = await machine();
    const first = sampleEntry(sampleBytes(10, 12));
    a.insert(first);
    await a.flush();
    const b = await machine();
    const client = new pg.Client({ connectionString: farm.url });
    client.on('error', () => undefined);
    await client.connect();
    try {
      // Another writer inserts an entry and the log loses it before b could read it.
      const hidden = sampleEntry(sampleBytes(10, 13), { prompt: 'inserted behind the log' });
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO cache_entries (asset_type, prompt_hash, prompt_text, file_path, metadata, created_at,
          last_used_at, use_count, params, params_hash, content_hash, size, media_type, extension)
          VALUES ($1, $2, $3, 'x', '{}', $4, $4, 1, '{}', $5, $6, 10, 'application/octet-stream', 'bin')`,
        [hidden.type, hidden.key, hidden.prompt, hidden.createdAt, hidden.paramsHash, hidden.contentHash],
      );
      await client.query(
        'UPDATE tiercache_feed SET pruned_through = (SELECT max(revision) FROM tiercache_changes)',
      );
      await client.query('DELETE FROM tiercache_changes');
      await client.query('COMMIT');
      await eventually(() => expect(b.get(hidden.type, hidden.key)?.prompt).toBe('inserted behind the log'));
      expect(b.get(first.type, first.key)).toEqual(first);
      // A machine with a short retention prunes at open.
      const c = await machine({ changeRetentionMs: 1 });
      c.insert(sampleEntry(sampleBytes(10, 14)));
      await c.flush();
      await new Promise((resolve) => setTimeout(resolve, 5));
      await (await machine({ changeRetentionMs: 1 })).flush();
      await eventually(async () => {
        const left = await client.query('SELECT count(*)::int AS n FROM tiercache_changes');
        expect(left.rows[0].n).toBe(0);
      });
      expect(c.stats().entries).toBe(3);
    } finally {
      await client.end();
    }
  });
});

describe('schema', () => {
  it('creates the original columns, the stats view and records its version', async () => {
    await fresh();
    const index = await machine();
    index.insert(sampleEntry(sampleBytes(10, 11), { type: 'tts' }));
    await index.flush();
    const client = new pg.Client({ connectionString: farm.url });
    await client.connect();
    try {
      const columns = await client.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'cache_entries'",
      );
      expect(columns.rows.map((row) => row.column_name)).toEqual(
        expect.arrayContaining(['asset_type', 'prompt_hash', 'prompt_text', 'file_path', 'use_count']),
      );
      const stats = await client.query('SELECT asset_type, count::int FROM tiercache_stats_by_type');
      expect(stats.rows).toEqual([{ asset_type: 'tts', count: 1 }]);
      expect((await client.query('SELECT version FROM tiercache_schema')).rows).toEqual([
        { version: SCHEMA_VERSION },
      ]);
    } finally {
      await client.end();
    }
  });
});
