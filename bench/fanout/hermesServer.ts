import { serveBenchGateway } from './benchGateway.js';

/**
 * hermes standalone on the memory profile, its WebSocket API read from template.yaml: a trigger is a
 * backend publish (POST /{stage}/rooms/bench/messages), which the local event source feeds to the
 * `queue` Lambda handler, whose BroadcastToRoom writes to every connection of the room — in process,
 * or with BENCH_NOTIFIER=apigateway through the gateway's own @connections API, as a Lambda would.
 */
await serveBenchGateway({ HERMES_NOTIFIER: process.env['BENCH_NOTIFIER'] ?? 'inprocess' });
process.on('SIGTERM', () => process.exit(0));
