import { createDiskTier, type DiskTier } from '@tiercache/disk';
import type { TierPart } from './storage-part.js';

/** L2: files in the cache folder (`<cacheDir>/<type>/<key>.<ext>`, the original system's layout). */
export const diskTier: TierPart<'disk', undefined, undefined, DiskTier> = {
  kind: 'tier',
  name: 'disk',
  // Its folder is `cacheDir`, a setting of the app: the index and the run log live there too.
  settings: [],
  resolve: () => undefined,
  create: (_settings, context) => createDiskTier({ dir: context.cacheDir }),
};
