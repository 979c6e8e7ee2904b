import { createServer } from 'node:net';

/** The only address the local test services listen on and are reached at. */
export const LOOPBACK_HOST = '127.0.0.1';

/**
 * Asks the OS for a currently free TCP port on 127.0.0.1. The port is released
 * before it is returned, so another process could grab it first; callers that
 * spawn a server on it should treat "address in use" as retryable.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: LOOPBACK_HOST, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`unexpected server address ${String(address)}`));
        return;
      }
      const { port } = address;
      server.close((error) => (error ? reject(error) : resolve(port)));
    });
  });
}
