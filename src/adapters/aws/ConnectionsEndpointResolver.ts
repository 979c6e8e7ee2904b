const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

/**
 * Where the API Gateway Management API (`@connections`) of the WebSocket API lives: the configured
 * endpoint (HERMES_CONNECTIONS_ENDPOINT, e.g. for a custom domain), else the one derived from the
 * `domainName`/`stage` of the last WebSocket event seen. A Lambda handles one event at a time and
 * one API, so the last observed value is the current one.
 */
export class ConnectionsEndpointResolver {
  private observed: string | undefined;

  constructor(private readonly configured?: string) {}

  /** Records the API an event came from; ignored when an endpoint is configured. */
  observe(domainName: string | undefined, stage: string | undefined): void {
    if (this.configured || !domainName || !stage) return;
    const scheme = LOOPBACK_HOST.test(domainName) ? 'http' : 'https';
    this.observed = `${scheme}://${domainName}/${encodeURIComponent(stage)}`;
  }

  /** The endpoint to post to, or undefined when neither configured nor observed yet. */
  resolve(): string | undefined {
    return this.configured ?? this.observed;
  }
}
