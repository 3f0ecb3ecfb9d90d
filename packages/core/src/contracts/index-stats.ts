/** Figures of one asset type in an index. The average uses per entry is `uses / entries`. */
export interface TypeStats {
  entries: number;
  /** Sum of the entries' `useCount`. */
  uses: number;
  /** Sum of entry sizes. */
  bytes: number;
  /**
   * Sum of the sizes of the distinct blobs this type's entries reference (identical content
   * counted once): what the blobs take in a content-addressed tier. `bytes - contentBytes`
   * is what deduplication saves. Optional: indexes that cannot tell leave it out.
   */
  contentBytes?: number;
}

export interface IndexStats {
  entries: number;
  bytes: number;
  /** Sum over types of `TypeStats.contentBytes`; absent when the index cannot tell. */
  contentBytes?: number;
  byType: Record<string, TypeStats>;
  /** Pairings recorded with `reject` (indexes that support rejections; every process's). */
  rejections?: number;
}
