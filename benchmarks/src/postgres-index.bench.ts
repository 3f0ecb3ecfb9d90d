import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTieredCache, type Entry, hashContent, type TieredCache } from '@tiercache/core';
import { createDiskTier } from '@tiercache/disk';
import { createMemoryTier } from '@tiercache/memory';
import { openPostgresIndex, type PostgresIndex } from '@tiercache/postgres';
import { openSqliteIndex, type SqliteIndex } from '@tiercache/sqlite';
// The postgres package's test cluster: initdb + pg_ctl in a temporary folder, 127.0.0.1 only.
// Durability is off there (fsync, synchronous_commit), like the SQLite side's synchronous=NORMAL
// in WAL: neither side pays a disk flush per write.
import { startPostgres } from '@tiercache/test-support/postgres-server';
import { compare } from './harness.js';

const ROWS = 10_000;
const T0 = 1_700_000_000_000;
const keyOf = (label: string, i: number) => hashContent(new TextEncoder().encode(`${label} ${i}`));

function entryOf(label: string, i: number): Entry {
  const key = keyOf(label, i);
  return {
    type: i % 3 === 0 ? 'image' : 'tts',
    key,
    prompt: `prompt number ${i} for the benchmark`,
    params: '{"voice":"bella"}',
    paramsHash: 'a'.repeat(64),
    contentHash: key,
    size: 1000 + (i % 5000),
    mediaType: 'application/octet-stream',
    extension: 'bin',
    metadata: { engine: 'espeak-ng' },
    createdAt: T0 + i,
    lastUsedAt: T0 + i,
    useCount: 1,
    expiresAt: null,
    generationCost: null,
    generationMs: null,
  };
}

/** One simulated generation: slow enough that every request arrives while it runs. */
const GENERATION_MS = 200;

interface FarmMachine {
  cache: TieredCache;
  close: () => Promise<void>;
}

/**
 * `machines` caches in this process, each with its own index connection(s) and memory tier, all
 * on one shared blob folder (standing in for the bucket); `perMachine` concurrent requests of one
 * new key on each. Returns how many generations ran.
 */
async function generationsFor(
  open: (id: number) => Promise<{ index: SqliteIndex | PostgresIndex; close: () => Promise<void> }>,
  blobs: string,
  machines: number,
  perMachine: number,
  prompt: string,
): Promise<{ generations: number; ms: number }> {
  const farm: FarmMachine[] = [];
  for (let id = 0; id < machines; id++) {
    const { index, close } = await open(id);
    const cache = createTieredCache({
      tiers: [createMemoryTier({ maxBytes: 1 << 20 }), createDiskTier({ dir: blobs })],
      index,
    });
    farm.push({
      cache,
      close: async () => {
        await cache.close();
        await close();
      },
    });
  }
  let generations = 0;
  const generate = async () => {
    generations++;
    await new Promise((resolve) => setTimeout(resolve, GENERATION_MS));
    return { bytes: new TextEncoder().encode(`clip of ${prompt}`), mediaType: 'audio/wav', extension: 'wav' };
  };
  const started = performance.now();
  await Promise.all(
    farm.flatMap((machine) =>
      Array.from({ length: perMachine }, () =>
        machine.cache.getOrGenerate({ type: 'tts', prompt, params: { voice: 'bella' } }, generate),
      ),
    ),
  );
  const ms = performance.now() - started;
  for (const machine of farm) await machine.close();
  return { generations, ms };
}

/**
 * The PostgreSQL index (local replica + server) against the SQLite index on this machine:
 * get, insert and claim latency side by side, then generations for N machines × M requests.
 */
export async function benchPostgresIndex(): Promise<void> {
  const server = await startPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'tiercache-bench-postgres-'));
  try {
    const connectionString = await server.createDatabase();
    const sqlite = openSqliteIndex({ file: join(dir, 'cache.db') });
    const postgres = await openPostgresIndex({ connectionString, migrate: true, touchFlushMs: 1000 });
    for (let i = 0; i < ROWS; i++) {
      sqlite.insert(entryOf('row', i));
      postgres.insert(entryOf('row', i));
    }
    await postgres.flush();
    console.log(`\n${ROWS.toLocaleString('en-US')} entries in each index`);
    const probes = Array.from({ length: 4096 }, (_, i) => entryOf('row', (i * 2_654_435_761) % ROWS));
    let a = 0;
    let b = 0;
    let c = 0;
    await compare(
      `Index get, ${ROWS.toLocaleString('en-US')} entries: SQLite vs the PostgreSQL index's replica vs a server round trip`,
      [
        { name: 'SqliteIndex.get', run: () => sqlite.get(probes[a & 4095]!.type, probes[a++ & 4095]!.key) },
        {
          name: 'PostgresIndex.get (local replica: the hit path)',
          run: () => postgres.get(probes[b & 4095]!.type, probes[b++ & 4095]!.key),
        },
        {
          name: 'PostgresIndex.lookupShared (SELECT on the server: an exact-key miss)',
          run: () => postgres.lookupShared(probes[c & 4095]!.type, probes[c++ & 4095]!.key),
        },
      ],
      { batch: 50, samples: 60, warmup: 5 },
    );

    // Its own instance (own queue): waiting for the server must not include the other
    // contender's background writes.
    const committed = await openPostgresIndex({ connectionString });
    let d = 0;
    let e = 0;
    let f = 0;
    await compare(
      'Index insert of a new entry: SQLite (committed) vs PostgreSQL (replica + queued; and until on the server)',
      [
        { name: 'SqliteIndex.insert', run: () => sqlite.insert(entryOf('insert-sqlite', d++)) },
        {
          name: 'PostgresIndex.insert (replica; sent in the background)',
          run: () => postgres.insert(entryOf('insert-replica', e++)),
        },
        {
          name: 'PostgresIndex.insert + flush() (committed on the server)',
          run: async () => {
            committed.insert(entryOf('insert-server', f++));
            await committed.flush();
          },
        },
      ],
      { batch: 20, samples: 40, warmup: 4 },
    );
    await postgres.flush();
    await committed.close();

    let g = 0;
    let h = 0;
    await compare(
      'Generation claim of a missing key: SQLite (one transaction) vs PostgreSQL (claim + entry check, one transaction)',
      [
        {
          name: 'SqliteIndex.claimGeneration',
          run: () =>
            sqlite.claimGeneration('tts', keyOf('claim-sqlite', g++), { now: Date.now(), claimMs: 60_000 }),
        },
        {
          name: 'PostgresIndex.claimSharedGeneration',
          run: () =>
            postgres.claimSharedGeneration('tts', keyOf('claim-postgres', h++), {
              now: Date.now(),
              claimMs: 60_000,
            }),
        },
      ],
      { batch: 20, samples: 40, warmup: 4 },
    );
    sqlite.close();
    await postgres.close();

    console.log(
      `\n## Generations for N machines × M concurrent requests of one new key (generation ${GENERATION_MS} ms)\n`,
    );
    console.log('| index | machines | requests | generations | all served in ms |');
    console.log('|---|---:|---:|---:|---:|');
    let round = 0;
    for (const [machines, perMachine] of [
      [4, 25],
      [8, 25],
    ] as const) {
      const blobs = join(dir, `blobs-${round}`);
      const prompt = `intro clip ${round++}`;
      // Today's shared profile: every machine its own SQLite index, blobs shared.
      const own = await generationsFor(
        async (id) => {
          const index = openSqliteIndex({ file: join(dir, `machine-${round}-${id}.db`) });
          return { index, close: async () => index.close() };
        },
        blobs,
        machines,
        perMachine,
        prompt,
      );
      const shared = await generationsFor(
        async () => {
          const index = await openPostgresIndex({ connectionString, migrate: false });
          return { index, close: () => index.close() };
        },
        `${blobs}-pg`,
        machines,
        perMachine,
        prompt,
      );
      const requests = machines * perMachine;
      console.log(
        `| one SQLite file per machine | ${machines} | ${requests} | ${own.generations} | ${own.ms.toFixed(0)} |`,
      );
      console.log(
        `| one PostgreSQL index | ${machines} | ${requests} | ${shared.generations} | ${shared.ms.toFixed(0)} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.destroy();
  }
}
