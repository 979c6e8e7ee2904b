import { expect } from 'chai';
import sinon from 'sinon';
import { ConsoleLogger } from '../../../../src/adapters/logging/ConsoleLogger.js';
import { withLogCorrelation } from '../../../../src/adapters/logging/logCorrelation.js';
import { PowertoolsLogger } from '../../../../src/adapters/logging/PowertoolsLogger.js';
import { loadConfig } from '../../../../src/entrypoints/config/loadConfig.js';
import { createPowertoolsLogger } from '../../../../src/entrypoints/di/wiring.js';
import { createDefaultHandler } from '../../../../src/entrypoints/lambda/handlers/default.js';
import { loadGatewayConfig } from '../../../../src/entrypoints/standalone/config/gatewayConfig.js';
import { HttpRouter } from '../../../../src/entrypoints/standalone/http/HttpRouter.js';
import { messageEvent } from '../../lambda/events.js';

/** The JSON lines Powertools wrote while `work` ran. */
async function jsonLines(work: () => unknown): Promise<Array<Record<string, unknown>>> {
  const written: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    written.push(String(chunk));
    return true;
  };
  // Powertools writes errors and warnings to stderr, the rest to stdout.
  const stubs = [sinon.stub(process.stdout, 'write').callsFake(capture), sinon.stub(process.stderr, 'write').callsFake(capture)];
  try {
    await work();
  } finally {
    for (const stub of stubs) stub.restore();
  }
  return written
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The JSON logger every composition but `npm start` builds, at DEBUG. */
const jsonLogger = (): PowertoolsLogger => new PowertoolsLogger(createPowertoolsLogger(loadConfig({ POWERTOOLS_LOG_LEVEL: 'DEBUG' }).core));

describe('log correlation and formats', () => {
  it('adds the request’s correlation to every line, without mixing up requests that run at once', async () => {
    const lines: string[] = [];
    const logger = new ConsoleLogger('DEBUG', (line) => lines.push(line), false);
    const request = (requestId: string, roomId: string) =>
      withLogCorrelation({ requestId, roomId, connectionId: undefined }, async () => {
        logger.info('first', { step: 1 });
        await new Promise((resolve) => setTimeout(resolve, 5));
        logger.info('second', { step: 2 });
      });
    await Promise.all([request('req-a', 'lobby'), request('req-b', 'ops')]);
    logger.info('outside');
    const withA = lines.filter((line) => line.includes('requestId=req-a'));
    expect(withA).to.have.lengthOf(2);
    for (const line of withA) expect(line).to.include('roomId=lobby').and.not.include('ops');
    expect(lines.filter((line) => line.includes('requestId=req-b') && line.includes('roomId=ops'))).to.have.lengthOf(2);
    expect(lines.at(-1)).to.match(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}outside$/);
    expect(lines.join('\n')).to.not.include('connectionId');
  });

  it('writes JSON through Powertools without sampling_rate noise, the correlation included', async () => {
    const logger = jsonLogger();
    const [line] = await jsonLines(() => withLogCorrelation({ requestId: 'req-1' }, () => logger.info('hello', { roomId: 'lobby' })));
    expect(line).to.include({ level: 'INFO', message: 'hello', service: 'hermes', requestId: 'req-1', roomId: 'lobby' });
    expect(line).to.not.have.property('sampling_rate');
    expect(line).to.not.have.property('cold_start');
  });

  it('gives the log lines of a WebSocket route handler its requestId, connectionId and roomId', async () => {
    const handler = createDefaultHandler({ logger: jsonLogger() });
    const event = messageEvent('{"action":"nope"}', {
      requestId: 'apigw-req-7',
      connectionId: 'conn-7=',
      authorizer: { room_id: 'lobby', user_id: 'u' },
    });
    const [line] = await jsonLines(() => handler(event));
    expect(line).to.include({ message: 'unroutable message', requestId: 'apigw-req-7', connectionId: 'conn-7=', roomId: 'lobby' });
  });

  it('gives every log line of a local HTTP request its X-Request-Id (or a new one), echoed in the answer', async () => {
    const logger = jsonLogger();
    const router = new HttpRouter(logger).add('GET', '/boom', () => {
      logger.info('handling');
      throw new Error('unexpected');
    });
    const res = {
      headers: {} as Record<string, unknown>,
      headersSent: false,
      setHeader(k: string, v: unknown) {
        this.headers[k] = v;
      },
      writeHead() {
        return this;
      },
      end() {},
    };
    const lines = await jsonLines(() =>
      router.handle({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'client-42' } } as never, res as never),
    );
    expect(lines.map((l) => [l['message'], l['requestId']])).to.deep.equal([
      ['handling', 'client-42'],
      ['http request failed', 'client-42'],
    ]);
    expect(res.headers['x-request-id']).to.equal('client-42');
  });

  it('prints human-readable lines under npm start, JSON elsewhere (HERMES_LOG_FORMAT decides when set)', () => {
    const format = (env: Record<string, string>): string => loadGatewayConfig(env, 'memory').logFormat;
    expect(format({ npm_lifecycle_event: 'start' })).to.equal('pretty');
    expect(format({})).to.equal('json');
    expect(format({ npm_lifecycle_event: 'start', HERMES_LOG_FORMAT: 'json' })).to.equal('json');
    expect(format({ HERMES_LOG_FORMAT: 'PRETTY' })).to.equal('pretty');
    expect(() => format({ HERMES_LOG_FORMAT: 'yaml' })).to.throw(/HERMES_LOG_FORMAT/);
  });
});
