import { isTiercacheError } from '@tiercache/core';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { eventually } from '@tiercache/test-support/eventually';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPostgresIndex } from './index.js';
import { MIGRATIONS } from './schema.js';
import { useTestFarm } from './test-support/test-farm.js';

const farm = useTestFarm();
const { errors, fresh, machine } = farm;
const T0 = 1_700_000_000_000;
const key = (c: string) => c.repeat(64);

async function withClient<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: farm.url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

describe('rejections on a farm', () => {
  it('a rejection on machine A is seen by machine B through the change feed, and outlives its entry', async () => {
    await fresh();
    const [a, b] = [await machine(), await machine()];
    const stored = sampleEntry(sampleBytes(10, 1));
    a.insert(stored);
    await eventually(() => expect(b.get(stored.type, stored.key)).toBeDefined());
    const revision = b.revision();
    expect(a.reject('image', key('r'), stored.key, T0)).toBe(true);
    expect(a.isRejected('image', key('r'), stored.key)).toBe(true); // at once, on A
    await eventually(() => expect(b.isRejected('image', key('r'), stored.key)).toBe(true));
    expect(b.isRejected(stored.type, stored.key, key('r'))).toBe(false);
    // Known to B now: not new there, and nothing changed in B's set of entries.
    expect(b.reject('image', key('r'), stored.key, T0 + 1)).toBe(false);
    expect(b.revision()).toBe(revision);
    a.delete(stored.type, stored.key);
    b.clear();
    await Promise.all([a.flush(), b.flush()]);
    await eventually(() => expect(a.stats().entries).toBe(0));
    for (const index of [a, b]) {
      expect(index.isRejected('image', key('r'), stored.key)).toBe(true);
      expect(index.stats().rejections).toBe(1);
    }
    expect((await b.sharedStats())?.rejections).toBe(1);
    const rows = await withClient((client) => client.query('SELECT * FROM match_rejections'));
    expect(rows.rows).toEqual([
      { asset_type: 'image', request_key: key('r'), entry_key: stored.key, rejected_at: String(T0) },
    ]);
    // A machine that opens later loads it with the rest.
    const late = await machine();
    expect(late.isRejected('image', key('r'), stored.key)).toBe(true);
    expect(late.stats()).toMatchObject({ entries: 0, rejections: 1 });
    expect(errors).toEqual([]);
  });

  it('keeps one row when two machines reject one pairing before hearing of each other', async () => {
    await fresh();
    const [a, b] = [await machine(), await machine()];
    expect([a.reject('tts', key('q'), key('e'), T0), b.reject('tts', key('q'), key('e'), T0 + 5)]).toEqual([
      true,
      true,
    ]);
    await Promise.all([a.flush(), b.flush()]);
    expect((await a.sharedStats())?.rejections).toBe(1);
    await Promise.all([a.catchUp(), b.catchUp()]);
    expect([a.stats().rejections, b.stats().rejections]).toEqual([1, 1]);
    expect(errors).toEqual([]);
  });

  it('refuses a reject time that is not a finite number, naming it, and records nothing', async () => {
    await fresh();
    const a = await machine();
    for (const at of [Number.NaN, Number.POSITIVE_INFINITY, '12' as unknown as number]) {
      let thrown: unknown;
      try {
        a.reject('image', key('r'), key('e'), at);
      } catch (error) {
        thrown = error;
      }
      expect(isTiercacheError(thrown, 'E_INVALID_REQUEST')).toBe(true);
      expect((thrown as Error).message).toMatch(
        /^@tiercache\/postgres: reject time .* is not a finite number/,
      );
      expect((thrown as Error).message).toContain(String(at));
    }
    expect(a.isRejected('image', key('r'), key('e'))).toBe(false);
    await a.flush();
    expect((await a.sharedStats())?.rejections).toBe(0);
  });
});

describe('rejections when the feed misses something', () => {
  it('a rejection made while PostgreSQL is down reaches the other machine after the restart', async () => {
    await fresh();
    const [a, b] = [await machine(), await machine()];
    await farm.server.stop();
    try {
      expect(a.reject('image', key('d'), key('e'), T0)).toBe(true);
      expect(a.isRejected('image', key('d'), key('e'))).toBe(true);
      expect(a.health().pendingWrites).toBeGreaterThan(0);
    } finally {
      await farm.server.start();
    }
    // B's feed reconnects and catches up on what it missed.
    await eventually(() => expect(b.isRejected('image', key('d'), key('e'))).toBe(true));
    expect(errors.every((error) => error.code === 'E_INDEX_UNAVAILABLE')).toBe(true);
  });

  it('a machine that missed pruned changes reloads the rejections with the entries', async () => {
    await fresh();
    const b = await machine();
    await withClient(async (client) => {
      // Another writer rejects a pairing and the log loses it before b could read it.
      await client.query('BEGIN');
      await client.query(
        "INSERT INTO match_rejections (asset_type, request_key, entry_key, rejected_at) VALUES ('tts', $1, $2, $3)",
        [key('h'), key('e'), T0],
      );
      await client.query(
        'UPDATE tiercache_feed SET pruned_through = (SELECT max(revision) FROM tiercache_changes)',
      );
      await client.query('DELETE FROM tiercache_changes');
      await client.query('COMMIT');
    });
    await b.catchUp();
    expect(b.isRejected('tts', key('h'), key('e'))).toBe(true);
    expect(b.stats().rejections).toBe(1);
  });
});

describe('schema version 2', () => {
  it('upgrades a version 1 database with migrate, keeping its entries; refuses it without', async () => {
    await fresh();
    const entry = sampleEntry(sampleBytes(10, 2), { prompt: 'stored under version 1' });
    await withClient(async (client) => {
      await client.query('CREATE TABLE tiercache_schema (version integer NOT NULL)');
      await client.query('INSERT INTO tiercache_schema (version) VALUES (1)');
      for (const statement of MIGRATIONS[0]!) await client.query(statement);
      await client.query(
        `INSERT INTO cache_entries (asset_type, prompt_hash, prompt_text, file_path, metadata, created_at,
          last_used_at, use_count, params, params_hash, content_hash, size, media_type, extension)
          VALUES ($1, $2, $3, 'x', '{}', $4, $4, 1, '{}', $5, $6, 10, 'application/octet-stream', 'bin')`,
        [entry.type, entry.key, entry.prompt, entry.createdAt, entry.paramsHash, entry.contentHash],
      );
    });
    const refused = await openPostgresIndex({ connectionString: farm.url }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isTiercacheError(refused, 'E_INDEX_INCOMPATIBLE')).toBe(true);
    expect((refused as Error).message).toContain('its schema is version 1, this code needs 2');
    const [a, b] = [await machine(), await machine()];
    expect(a.get(entry.type, entry.key)?.prompt).toBe('stored under version 1');
    a.reject(entry.type, key('u'), entry.key, T0);
    await eventually(() => expect(b.isRejected(entry.type, key('u'), entry.key)).toBe(true));
    const version = await withClient((client) => client.query('SELECT version FROM tiercache_schema'));
    expect(version.rows).toEqual([{ version: 2 }]);
  });
});
