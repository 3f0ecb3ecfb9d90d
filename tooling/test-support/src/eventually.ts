/**
 * Polls until `check` passes (the change feed is asynchronous); fails with its last error once
 * `ms` ran out.
 */
export async function eventually(check: () => void | Promise<void>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
