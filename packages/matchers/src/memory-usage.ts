/** What a similarity matcher holds in memory. */
export interface MatcherMemoryUsage {
  /** Estimated bytes of the matcher's own structures (not the index's). */
  bytes: number;
  /** Partitions built so far. */
  partitions: number;
  /** Prompts indexed across those partitions. */
  prompts: number;
}
