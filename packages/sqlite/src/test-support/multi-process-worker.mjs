// One worker of the multi-process test: opens the shared index from the built package, waits
// for the parent's go, then inserts, touches and reads the same keys as its siblings.
// argv: <file> <worker id> <rounds> <key count> <touchFlushMs>. Reports { touches, reads, errors } once.
import { hashContent } from '@tiercache/core';
import { openSqliteIndex } from '../../dist/index.js';

const [file, workerId, rounds, keyCount, touchFlushMs] = process.argv.slice(2);
const errors = [];
const touches = new Array(Number(keyCount)).fill(0);
let reads = 0;

function entryFor(i) {
  const bytes = new TextEncoder().encode(`clip ${i}`);
  const now = Date.now();
  return {
    type: i % 2 === 0 ? 'tts' : 'image',
    key: i.toString(16).padStart(64, '0'),
    prompt: `shared prompt ${i}`,
    params: '{}',
    paramsHash: 'f'.repeat(64),
    contentHash: hashContent(bytes),
    size: bytes.length,
    mediaType: 'application/octet-stream',
    extension: 'bin',
    metadata: { writer: Number(workerId) },
    createdAt: now,
    lastUsedAt: now,
    useCount: 1,
    expiresAt: null,
    generationCost: null,
    generationMs: null,
  };
}

function describe(error) {
  return `${error?.code ?? 'no code'} ${error?.context?.sqliteCode ?? ''} ${error?.message ?? String(error)}`;
}

let index;
try {
  index = openSqliteIndex({ file, touchFlushMs: Number(touchFlushMs) });
} catch (error) {
  errors.push(describe(error));
}

process.on('message', async (message) => {
  if (message !== 'go') return;
  if (index) {
    for (let round = 0; round < Number(rounds); round++) {
      // Lets the flush timer run between rounds, and in coalesced mode also flushes now and
      // then, so flushes of several processes contend with each other's touches.
      await new Promise((resolve) => setImmediate(resolve));
      if (Number(touchFlushMs) > 0 && round % 10 === 9) {
        try {
          index.flushTouches();
        } catch (error) {
          errors.push(describe(error));
        }
      }
      for (let i = 0; i < Number(keyCount); i++) {
        // Each worker walks the keys from a different offset, so all keys are contended.
        const k = (i + Number(workerId) * 7) % Number(keyCount);
        try {
          const entry = entryFor(k);
          index.insert(entry);
          if (index.touch(entry.type, entry.key, Date.now())) touches[k]++;
          if (index.get(entry.type, entry.key)) reads++;
          index.partition(entry.type, entry.paramsHash);
          index.revision();
        } catch (error) {
          errors.push(describe(error));
        }
      }
    }
    try {
      index.close(); // flushes the touches still pending in coalesced mode
    } catch (error) {
      errors.push(describe(error));
    }
  }
  process.send({ touches, reads, errors }, () => process.exit(0));
});
process.send('ready');
