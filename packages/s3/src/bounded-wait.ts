/**
 * Waits for `work` at most `ms`, on a ref'd timer (the process stays alive meanwhile); resolves
 * either way, `false` when the time ran out first. `work` goes on; it is not cancelled here.
 */
export async function waitAtMost(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}
