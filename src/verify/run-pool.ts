// Runs `work` over items with at most `size` in flight; each call gets a stable worker index so it
// can reuse that worker's connection. Stops at the first error (the others finish their item).
export async function runPool<T>(items: T[], size: number, work: (item: T, worker: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async (index: number) => {
    while (failure === undefined && next < items.length) {
      const item = items[next++];
      try {
        await work(item, index);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, (_, i) => worker(i)));
  if (failure !== undefined) throw failure;
}
