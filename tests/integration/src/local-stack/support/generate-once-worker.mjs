// One render worker: opens the shared cache folder and asks for the same new clip as its
// siblings. Each real generation appends a line to the ledger file, so the parent can count
// how many workers paid for it.
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { openLocalStack } from './open-local-stack.mjs';

const [dir, ledger, requestJson] = process.argv.slice(2);
const cache = openLocalStack(dir);
const result = await cache.getOrGenerate(JSON.parse(requestJson), async () => {
  appendFileSync(ledger, `${process.pid}\n`);
  // A paid generation takes seconds; long enough here for every sibling to ask meanwhile.
  await sleep(400);
  return {
    bytes: new TextEncoder().encode(`clip by ${process.pid}`),
    mediaType: 'audio/wav',
    extension: 'wav',
  };
});
await cache.close();
process.stdout.write(JSON.stringify({ source: result.source, text: Buffer.from(result.bytes).toString() }));
