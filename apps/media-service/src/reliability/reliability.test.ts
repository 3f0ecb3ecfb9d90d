// The reliability suite of issue 11: crash rounds, corruption, a full disk, bad inputs and
// secrets, each counting wrong bytes, caller errors and leftovers (all must be 0), and a table of
// the figures printed at the end. `npm test` runs a few crash rounds; `npm run soak` runs 20
// (TIERCACHE_SOAK_ROUNDS). The S3 fault cases live with the S3 tier (packages/s3).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { badInputCases } from './bad-inputs.js';
import { corruptionCases } from './corruption.js';
import { crashRounds } from './crash-rounds.js';
import { diskFullCases } from './disk-full-cases.js';
import { formatTable, type ReliabilityRow } from './table.js';

const ROUNDS = Number(process.env.TIERCACHE_SOAK_ROUNDS ?? 3);
const rows: ReliabilityRow[] = [];

async function inTempDir<T>(prefix: string, run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function expectClean(row: ReliabilityRow): void {
  rows.push(row);
  expect(row.cases).toBeGreaterThan(0);
  expect({
    wrongBytes: row.wrongBytes,
    callerErrors: row.callerErrors,
    leftovers: row.leftovers,
    notes: row.notes,
  }).toEqual({
    wrongBytes: 0,
    callerErrors: 0,
    leftovers: 0,
    notes: row.notes,
  });
}

describe('reliability suite', () => {
  afterAll(() => {
    process.stdout.write(`\nreliability suite (${ROUNDS} crash rounds)\n${formatTable(rows)}\n\n`);
  });

  it(
    `crash rounds: 4 processes killed with SIGKILL at random points, ${ROUNDS} rounds`,
    async () => {
      const row = await inTempDir('tiercache-crash-', (dir) =>
        crashRounds({ dir, rounds: ROUNDS, processes: 4, maxLifeMs: 1500, seed: 11 }),
      );
      expectClean(row);
    },
    60_000 + ROUNDS * 15_000,
  );

  it('corruption: bit flips, truncations, deletions of blobs and a damaged index', async () => {
    expectClean(await inTempDir('tiercache-corrupt-', (dir) => corruptionCases(dir)));
  }, 60_000);

  it('disk full on a 2 MiB tmpfs (root: CI mounts it; elsewhere this fails saying why)', async () => {
    expectClean(await inTempDir('tiercache-full-', (dir) => diskFullCases(dir)));
  }, 60_000);

  it('bad inputs and configured secrets', async () => {
    expectClean(await inTempDir('tiercache-bad-', (dir) => badInputCases(dir)));
  }, 60_000);
});
