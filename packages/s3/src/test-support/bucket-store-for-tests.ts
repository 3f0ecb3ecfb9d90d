import { BUCKET, rawClient } from '@tiercache/test-support/s3-bucket';
import { BucketStore } from '../bucket-store.js';
import { CircuitBreaker } from '../circuit-breaker.js';
import { createRedactor } from '../credential-redaction.js';
import { ObjectLayout } from '../object-layout.js';
import { RequestGuard } from '../request-guard.js';
import { S3TierEventEmitter } from '../s3-events.js';
import { resolveS3TierOptions } from '../s3-options.js';

/** The tier's request layer on its own, so a test can interleave two writers step by step. */
export function bucketStoreFor(prefix: string): BucketStore {
  const options = resolveS3TierOptions({ bucket: BUCKET, prefix, onWarning: () => undefined });
  const events = new S3TierEventEmitter();
  const breaker = new CircuitBreaker({
    threshold: 5,
    cooldownMs: 1000,
    now: Date.now,
    onChange: () => undefined,
  });
  const guard = new RequestGuard({
    options,
    breaker,
    events,
    redact: createRedactor(undefined),
    closeSignal: new AbortController().signal,
    onForbiddenWrite: () => undefined,
  });
  return new BucketStore(rawClient(), options, guard, new ObjectLayout(prefix), undefined);
}
