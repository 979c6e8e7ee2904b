/**
 * Runs `task` over `items` with at most `concurrency` tasks in flight. `task` must not reject:
 * callers turn their failures into values, so one item never stops the others. A task that
 * finishes at once returns nothing and costs no promise: items are taken in one loop until
 * `concurrency` tasks are pending, and each pending one then makes a worker that goes on pulling
 * items. A page of synchronous deliveries is thus one loop, as in a plain `ws` server.
 */
export async function runWithConcurrency<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => void | Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (started: Promise<void>): Promise<void> => {
    await started;
    while (next < items.length) {
      const pending = task(items[next++] as T);
      if (pending !== undefined) await pending;
    }
  };
  const workers: Array<Promise<void>> = [];
  const limit = Math.max(1, concurrency);
  while (next < items.length && workers.length < limit) {
    const pending = task(items[next++] as T);
    if (pending !== undefined) workers.push(worker(pending));
  }
  await Promise.all(workers);
}
