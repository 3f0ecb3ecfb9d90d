// One of many processes sharing one cache folder (memory + SQLite index + disk), asking for
// the same keys as its siblings in a mix of getOrGenerate, get and put. It reports to the
// parent which keys it generated, the content hash it saw for each key, and every anomaly:
// caller errors and bytes that do not hash to the entry they came with.
import { randomBytes } from 'node:crypto';
import { hashContent } from '@tiercache/core';
import { openLocalStack } from './open-local-stack.mjs';

const [dir, idText, keysText] = process.argv.slice(2);
const id = Number(idText);
const keys = Number(keysText);
const request = (k) => ({ type: k % 2 ? 'image' : 'tts', prompt: `line ${k}`, params: { voice: 'v1' } });
// Every generation has different bytes (a generator without a seed), so a second generation of
// a key would show as a second content hash.
const generated = (k) => ({
  bytes: new Uint8Array(Buffer.concat([Buffer.from(`key ${k} `), randomBytes(1024 + (k % 7) * 512)])),
  mediaType: k % 2 ? 'image/png' : 'audio/wav',
  extension: k % 2 ? 'png' : 'wav',
});

// Even workers walk the keys in order, in step with each other (most contention); odd ones
// start at their own offset.
const order = Array.from({ length: keys }, (_, i) => (id % 2 === 0 ? i : (i + id * 37) % keys));
let state = id + 1;
const random = () => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648;
};

const report = { generated: [], hashes: {}, errors: [], wrongBytes: 0, gets: 0, puts: 0, coalesced: 0 };
const check = (bytes, entry) => {
  if (hashContent(bytes) !== entry.contentHash) report.wrongBytes++;
};

process.on('message', async () => {
  const cache = openLocalStack(dir);
  try {
    for (const k of order) {
      try {
        const result = await cache.getOrGenerate(request(k), async () => {
          report.generated.push(k);
          await new Promise((resolve) => setImmediate(resolve));
          return generated(k);
        });
        check(result.bytes, result.entry);
        report.hashes[k] = result.entry.contentHash;
        const roll = random();
        if (roll < 0.25) {
          // A racing writer with other bytes: the first entry must stay.
          const entry = await cache.put(request(k), generated(k).bytes, generated(k));
          report.puts++;
          if (entry.contentHash !== result.entry.contentHash) report.errors.push(`put replaced ${k}`);
        } else if (roll < 0.6) {
          const other = Math.floor(random() * keys);
          const hit = await cache.get(request(other));
          report.gets++;
          if (hit) check(hit.bytes, hit.entry);
        }
      } catch (error) {
        report.errors.push(`${k}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    report.coalesced = (await cache.stats()).session.coalesced;
  } finally {
    await cache.close();
  }
  process.send(report, () => process.exit(0));
});
process.send('ready');
