/**
 * Something that keeps files of its own: blob tiers and indexes may say where, so that a
 * caller's destination can never overwrite the cache itself (an index, a blob, a temp file).
 */
export interface OwnsPaths {
  /**
   * Optional: absolute paths of the folders and files this component owns. A destination equal
   * to one of them, or inside one of them, is refused with `E_INVALID_DESTINATION`.
   */
  ownedPaths?(): string[];
}
