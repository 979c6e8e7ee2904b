import { RedisRoomHistory } from '../../../src/adapters/redis/RedisRoomHistory.js';
import { RedisRoomPresence } from '../../../src/adapters/redis/RedisRoomPresence.js';
import { roomHistory } from '../../../src/entrypoints/di/adapters/roomHistory.js';
import { roomPresence } from '../../../src/entrypoints/di/adapters/roomPresence.js';
import { expect } from 'chai';
import { InMemoryConnectionGrantStore } from '../../../src/adapters/memory/InMemoryConnectionGrantStore.js';
import { InMemoryConnectionRepository } from '../../../src/adapters/memory/InMemoryConnectionRepository.js';
import { RedisConnectionGrantStore } from '../../../src/adapters/redis/RedisConnectionGrantStore.js';
import { RedisConnectionNotifier } from '../../../src/adapters/redis/RedisConnectionNotifier.js';
import { RedisConnectionRepository } from '../../../src/adapters/redis/RedisConnectionRepository.js';
import { RedisNotificationQueue } from '../../../src/adapters/redis/RedisNotificationQueue.js';
import { RedisRunLedger } from '../../../src/adapters/redis/RedisRunLedger.js';
import { ConfigurationError } from '../../../src/entrypoints/config/ConfigurationError.js';
import { loadConfig } from '../../../src/entrypoints/config/loadConfig.js';
import { connectionRepository } from '../../../src/entrypoints/di/adapters/connectionStore.js';
import { connectionGrantStore } from '../../../src/entrypoints/di/adapters/grantStore.js';
import { notificationQueue } from '../../../src/entrypoints/di/adapters/notificationQueue.js';
import { connectionNotifier } from '../../../src/entrypoints/di/adapters/notifier.js';
import { enableRedisAdapters } from '../../../src/entrypoints/di/adapters/redisAdapters.js';
import { redisAdaptersIfUsed } from '../../../src/entrypoints/di/adapters/redisSlot.js';
import { runLedger } from '../../../src/entrypoints/di/adapters/runLedger.js';
import { createWiring, type Wiring } from '../../../src/entrypoints/di/wiring.js';
import { RedisQueueSource } from '../../../src/entrypoints/standalone/queue/RedisQueueSource.js';
import { queueSource } from '../../../src/entrypoints/standalone/queue/selectQueueSource.js';

const SECRETS = { JWT_SECRET: 'j'.repeat(40), TOKEN_PASSCODE: 'p'.repeat(20) };

function problemsOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

/** A standalone-style wiring (the Redis family enabled); no connection is opened until a command runs. */
function standaloneWiring(env: Record<string, string>): Wiring {
  const wiring = createWiring(loadConfig({ ...SECRETS, ...env }));
  enableRedisAdapters(wiring);
  return wiring;
}

describe('redis profile and rows of the adapter table', () => {
  afterEach(async function () {
    // Nothing here connects (lazy), but close whatever a test made.
    for (const wiring of made.splice(0)) await redisAdaptersIfUsed(wiring)?.close();
  });
  const made: Wiring[] = [];
  const wiringOf = (env: Record<string, string>): Wiring => {
    const wiring = standaloneWiring(env);
    made.push(wiring);
    return wiring;
  };

  it('puts every port on Redis with HERMES_PROFILE=redis, REDIS_URL defaulting to redis://127.0.0.1:6379', () => {
    const wiring = wiringOf({ HERMES_PROFILE: 'redis' });
    expect(wiring.config.core.adapters).to.deep.equal({
      connectionStore: 'redis',
      grantStore: 'redis',
      notifier: 'redis',
      queue: 'redis',
      runLedger: 'redis',
      history: 'redis',
    });
    expect(wiring.config.redis).to.deep.include({ url: 'redis://127.0.0.1:6379', stage: 'local', nodeTtlSeconds: 30 });
    expect(connectionRepository(wiring)).to.be.instanceOf(RedisConnectionRepository);
    expect(connectionGrantStore(wiring)).to.be.instanceOf(RedisConnectionGrantStore);
    expect(connectionNotifier(wiring)).to.be.instanceOf(RedisConnectionNotifier);
    expect(notificationQueue(wiring)).to.be.instanceOf(RedisNotificationQueue);
    expect(runLedger(wiring)).to.be.instanceOf(RedisRunLedger);
    expect(roomHistory(wiring)).to.be.instanceOf(RedisRoomHistory);
    expect(roomPresence(wiring)).to.be.instanceOf(RedisRoomPresence);
    expect(queueSource(wiring)).to.be.instanceOf(RedisQueueSource);
    // One family per composition: every adapter shares its connection.
    expect(redisAdaptersIfUsed(wiring)?.keys.prefix).to.equal('hermes:local:');
  });

  it('swaps one port at a time (HERMES_CONNECTION_STORE=redis on memory, HERMES_GRANT_STORE=memory on redis)', () => {
    const memory = wiringOf({ HERMES_CONNECTION_STORE: 'redis' });
    expect(connectionRepository(memory)).to.be.instanceOf(RedisConnectionRepository);
    expect(connectionGrantStore(memory)).to.be.instanceOf(InMemoryConnectionGrantStore);
    const redis = wiringOf({ HERMES_PROFILE: 'redis', HERMES_GRANT_STORE: 'memory', HERMES_CONNECTION_STORE: 'memory' });
    expect(connectionGrantStore(redis)).to.be.instanceOf(InMemoryConnectionGrantStore);
    expect(connectionRepository(redis)).to.be.instanceOf(InMemoryConnectionRepository);
  });

  it('keys a stage of its own: hermes:<HERMES_STAGE>:', () => {
    const wiring = wiringOf({ HERMES_PROFILE: 'redis', HERMES_STAGE: 'production' });
    connectionRepository(wiring);
    expect(redisAdaptersIfUsed(wiring)?.keys.prefix).to.equal('hermes:production:');
  });

  it('refuses the redis rows in a composition that did not enable them (the Lambda roots), naming where they run', () => {
    const lambda = createWiring(loadConfig({ ...SECRETS, HERMES_CONNECTION_STORE: 'redis' }));
    expect(problemsOf(() => connectionRepository(lambda))[0]).to.match(/standalone gateway/);
  });

  it('requires the secrets and validates REDIS_URL and HERMES_NODE_TTL_SECONDS in one go, never echoing the URL (it may hold a password)', () => {
    const problems = problemsOf(() =>
      loadConfig({ HERMES_PROFILE: 'redis', REDIS_URL: 'http://user:s3cret@example', HERMES_NODE_TTL_SECONDS: '1' }),
    );
    expect(problems.join('\n')).to.match(/JWT_SECRET: required with HERMES_PROFILE=redis/);
    expect(problems.join('\n')).to.match(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(problems.join('\n')).to.match(/HERMES_NODE_TTL_SECONDS: must be an integer between 2 and 3600/);
    expect(problems.join('\n')).to.not.include('s3cret');
  });
});
