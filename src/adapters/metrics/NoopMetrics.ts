import type { InvocationMetrics } from './InvocationMetrics.js';

/** Records nothing: the CLI and tests that do not look at metrics. */
export class NoopMetrics implements InvocationMetrics {
  increment(): void {}
  observe(): void {}
  set(): void {}
  captureColdStart(): void {}
  flush(): void {}
}
