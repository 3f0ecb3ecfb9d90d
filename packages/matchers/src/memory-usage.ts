/** What a similarity matcher holds in memory. */
export interface MatcherMemoryUsage {
  /** Estimated bytes of the matcher's own structures (not the index's). */
  bytes: number;
  /** Partitions built so far. */
  partitions: number;
  /** Prompts indexed across those partitions. */
  prompts: number;
}

/** Adds up what the matcher's partition stores hold. */
export function totalMemoryUsage(
  stores: Iterable<{ memoryBytes(): number; size: number }>,
): MatcherMemoryUsage {
  const usage: MatcherMemoryUsage = { bytes: 0, partitions: 0, prompts: 0 };
  for (const store of stores) {
    usage.bytes += store.memoryBytes();
    usage.partitions++;
    usage.prompts += store.size;
  }
  return usage;
}
