import { parseArgs } from 'node:util';
import { serveBenchGateway } from './benchGateway.js';

/**
 * One hermes gateway node on the `redis` profile (`--redis URL`), for `bench:fanout --nodes K`:
 * K of these share one redis-server; a trigger is a publish on node 0 through the Redis stream,
 * and the node that receives it delivers to its own sockets and, through Redis, to the others'.
 */
const { values } = parseArgs({ options: { redis: { type: 'string' }, node: { type: 'string', default: '0' } } });
const gateway = await serveBenchGateway({
  HERMES_PROFILE: 'redis',
  REDIS_URL: values.redis,
  HERMES_NODE_ID: `bench-node-${values.node}`,
  JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789abcdef',
  TOKEN_PASSCODE: 'bench-passcode-0123456789',
});
process.on('SIGTERM', () => void gateway.stop().finally(() => process.exit(0)));
