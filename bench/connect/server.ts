import { startGateway } from '../../src/entrypoints/standalone/startGateway.js';

/**
 * The gateway under test, in its own process: `memory` profile, the environment the bench chose
 * (bcrypt cost, workers, cache, authorization bound). Prints one JSON line once it listens.
 */
const gateway = await startGateway({ env: { ...process.env, HERMES_PORT: '0' }, eventSource: false, actionRunner: false });
process.stdout.write(
  `${JSON.stringify({ event: 'listening', url: gateway.url, websocketUrl: gateway.websocketUrl, stage: gateway.stage, adminKey: gateway.adminKey })}\n`,
);
const stop = (): void => {
  void gateway.stop().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
