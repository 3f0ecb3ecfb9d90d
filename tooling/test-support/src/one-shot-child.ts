import { fileURLToPath } from 'node:url';

/**
 * The path of `one-shot-child.mjs`, a user's one-shot script (an S3 tier behind a TieredCache,
 * on the built packages) that tests run with `node` and watch exit by itself.
 */
export const oneShotChildScript = fileURLToPath(new URL('./one-shot-child.mjs', import.meta.url));
