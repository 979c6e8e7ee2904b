import { RedisConnection } from '../../../../src/adapters/redis/RedisConnection.js';
import { RedisKeys } from '../../../../src/adapters/redis/RedisKeys.js';
import { RecordingLogger } from '../../../support/RecordingLogger.js';
import { redisServer, uniqueName, type RedisServer } from '../../../support/services/index.js';

/** A connection to the harness's redis-server with keys of a stage of its own, so test files never share keys. */
export interface LocalRedis {
  readonly server: RedisServer;
  readonly connection: RedisConnection;
  readonly keys: RedisKeys;
  readonly logger: RecordingLogger;
  close(): Promise<void>;
}

export async function localRedis(): Promise<LocalRedis> {
  const server = await redisServer();
  const logger = new RecordingLogger();
  const connection = new RedisConnection(server.url, logger);
  await connection.connect();
  return { server, connection, keys: new RedisKeys(uniqueName('test')), logger, close: () => connection.close() };
}

/**
 * Gives the enclosing mocha suite one {@link LocalRedis}: opened before its first test, closed after
 * its last. Returns the accessor its tests (and contract set-ups) read it through.
 */
export function withLocalRedis(): () => LocalRedis {
  let redis: LocalRedis | undefined;
  before(async function () {
    redis = await localRedis();
  });
  after(async function () {
    await redis?.close();
  });
  return () => {
    if (!redis) throw new Error('withLocalRedis: the redis of this suite is read outside its tests');
    return redis;
  };
}
