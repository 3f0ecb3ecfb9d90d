/**
 * What this tier instance knows to be intact: file path -> (stat fingerprint, content hash).
 * A file whose fingerprint still matches was written or hashed by us and has not been
 * replaced or modified since, so delivering it again needs no hash. Bounded so a huge
 * cache folder cannot grow it without limit; the oldest facts are forgotten first.
 */
export class VerificationMemo {
  readonly #known = new Map<string, { fingerprint: string; hash: string }>();

  constructor(private readonly limit = 100_000) {}

  /** The content hash recorded for `path` if its fingerprint is unchanged. */
  hashOf(path: string, fingerprint: string): string | undefined {
    const known = this.#known.get(path);
    return known?.fingerprint === fingerprint ? known.hash : undefined;
  }

  remember(path: string, fingerprint: string, hash: string): void {
    this.#known.delete(path);
    this.#known.set(path, { fingerprint, hash });
    if (this.#known.size > this.limit) {
      const oldest = this.#known.keys().next();
      if (!oldest.done) this.#known.delete(oldest.value);
    }
  }

  forget(path: string): void {
    this.#known.delete(path);
  }

  forgetUnder(folder: string): void {
    for (const path of this.#known.keys()) if (path.startsWith(folder)) this.#known.delete(path);
  }
}
