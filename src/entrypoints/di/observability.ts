import type { PortApi } from '../../application/runs/ports/PortApi.js';
import type { RunStatusListener } from '../../application/runs/ports/RunStatusListener.js';
import { RecentRuns } from '../../adapters/memory/RecentRuns.js';
import { meterBroadcasts } from '../../adapters/metrics/meterBroadcasts.js';
import { MeteredPortApi } from '../../adapters/metrics/MeteredPortApi.js';
import { MeteredRunStatusListener } from '../../adapters/metrics/MeteredRunStatusListener.js';
import type { Wiring } from './wiring.js';

/**
 * Metrics recorded at the edges: decorators around the ports and use cases the composition built,
 * so that no use case body knows about metrics.
 */

/** The runs this process saw lately (the admin console's list): one per composition. */
export function recentRuns(wiring: Wiring): RecentRuns {
  return wiring.once('runs.recent', () => new RecentRuns());
}

/** Port's REST API, every call counted by operation and status. */
export function observedPortApi(api: PortApi, wiring: Wiring): PortApi {
  return new MeteredPortApi(api, wiring.metrics);
}

/** The run-status listener, with runs counted and timed and remembered for the console. */
export function observedRunListener(inner: RunStatusListener, wiring: Wiring): RunStatusListener {
  const recent = recentRuns(wiring);
  return new MeteredRunStatusListener(
    {
      runStatusChanged: async (change) => {
        await recent.runStatusChanged(change);
        await inner.runStatusChanged(change);
      },
    },
    wiring.metrics,
  );
}

/** A broadcast use case, timed, with its deliveries counted by outcome. */
export function observedBroadcast<T extends Parameters<typeof meterBroadcasts>[0]>(useCase: T, wiring: Wiring): T {
  return meterBroadcasts(useCase, wiring.metrics);
}
