/**
 * Awaits `work` while holding the event loop open. Calls the app makes on a tier directly, not
 * through the cache (the S3 tier's `flush` and `sync`), are outside core's deadline sweeper,
 * which is what keeps a process alive during a cache call; the S3 tier's retries sleep on
 * unref'd timers, so with the bucket down Node could exit with code 13 in the middle of them.
 */
export async function keepingProcessAlive<T>(work: Promise<T> | T): Promise<T> {
  const hold = setInterval(() => undefined, 60_000);
  try {
    return await work;
  } finally {
    clearInterval(hold);
  }
}
