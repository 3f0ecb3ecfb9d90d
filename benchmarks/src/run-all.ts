// Runs every benchmark, or only those whose name contains the first argument:
// `pnpm bench` / `pnpm bench request-key`.

import { benchFeedback } from './feedback.bench.js';
import { benchFormMatchers } from './form-matchers.bench.js';
import { benchIndexGrowth } from './index-growth.bench.js';
import { benchL1Hit } from './l1-hit.bench.js';
import { benchL2FileHit } from './l2-file-hit.bench.js';
import { benchMatchQuality } from './match-quality.bench.js';
import { benchMatchers } from './matchers.bench.js';
import { benchMetricsOverhead } from './metrics-overhead.bench.js';
import { benchPostgresIndex } from './postgres-index.bench.js';
import { benchRequestKey } from './request-key.bench.js';
import { benchS3Hit } from './s3-hit.bench.js';
import { benchS3Upload } from './s3-upload.bench.js';
import { benchSqliteIndex } from './sqlite-index.bench.js';

const suites: Record<string, () => Promise<void>> = {
  feedback: benchFeedback,
  l1: benchL1Hit,
  l2: benchL2FileHit,
  'guarded-matchers': benchFormMatchers,
  'index-growth': benchIndexGrowth,
  'match-quality': benchMatchQuality,
  matchers: benchMatchers,
  metrics: benchMetricsOverhead,
  'postgres-index': benchPostgresIndex,
  'request-key': benchRequestKey,
  s3: benchS3Hit,
  's3-upload': benchS3Upload,
  'sqlite-index': benchSqliteIndex,
};

const filter = process.argv[2];
console.log(`# tiercache benchmarks — node ${process.version}, ${new Date().toISOString()}`);
for (const [name, run] of Object.entries(suites)) {
  if (filter && !name.includes(filter)) continue;
  await run();
}
