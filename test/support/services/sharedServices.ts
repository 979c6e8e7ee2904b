/**
 * Lazily started services shared by every test file of one mocha run.
 * The registry lives on globalThis so a second copy of this module (e.g. loaded
 * through a different specifier by mocha's --require) still sees the same services.
 */
export interface Stoppable {
  stop(): Promise<void>;
}

interface SharedEntry {
  readonly started: Promise<Stoppable>;
}

const REGISTRY_KEY = Symbol.for('hermes.test.sharedServices');

type GlobalWithRegistry = typeof globalThis & { [REGISTRY_KEY]?: Map<string, SharedEntry> };

function registry(): Map<string, SharedEntry> {
  const holder = globalThis as GlobalWithRegistry;
  holder[REGISTRY_KEY] ??= new Map<string, SharedEntry>();
  return holder[REGISTRY_KEY];
}

/**
 * Starts the service on first call and returns the same instance afterwards.
 * A failed start is remembered too, so every test using a broken service fails
 * fast with the original error instead of each waiting for its own timeout.
 */
export function sharedService<T extends Stoppable>(key: string, start: () => Promise<T>): Promise<T> {
  const services = registry();
  let entry = services.get(key);
  if (!entry) {
    entry = { started: start() };
    // Keep an unobserved rejection from crashing the process; callers still see it.
    entry.started.catch(() => undefined);
    services.set(key, entry);
  }
  return entry.started as Promise<T>;
}

/** Stops every shared service that was started; safe to call more than once. */
export async function stopSharedServices(): Promise<void> {
  const services = registry();
  const entries = [...services.values()];
  services.clear();
  const results = await Promise.allSettled(
    entries.map(async (entry) => {
      const service = await entry.started.catch(() => undefined);
      await service?.stop();
    }),
  );
  const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failures.length > 0) {
    throw new AggregateError(
      failures.map((failure) => failure.reason as unknown),
      'failed to stop some shared test services',
    );
  }
}
