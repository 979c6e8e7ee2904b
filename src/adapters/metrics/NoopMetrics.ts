import type { InvocationMetrics } from './InvocationMetrics.js';

const nothing = (): void => undefined;

/** Records nothing: the CLI and tests that do not look at metrics. */
export const NOOP_METRICS: InvocationMetrics = {
  increment: nothing,
  observe: nothing,
  set: nothing,
  captureColdStart: nothing,
  flush: nothing,
};
