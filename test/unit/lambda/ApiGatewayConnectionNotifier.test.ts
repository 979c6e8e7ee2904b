import type { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { GoneException } from '@aws-sdk/client-apigatewaymanagementapi';
import { expect } from 'chai';
import { ApiGatewayConnectionNotifier, type PostToConnectionClient } from '../../../src/adapters/aws/ApiGatewayConnectionNotifier.js';
import { ConnectionsEndpointResolver } from '../../../src/adapters/aws/ConnectionsEndpointResolver.js';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import { ConnectionId } from '../../../src/domain/connection/ConnectionId.js';
import { ConfigurationError } from '../../../src/entrypoints/config/ConfigurationError.js';
import { buildContainer } from '../../../src/entrypoints/container.js';
import { ENTRYPOINT_TOKENS } from '../../../src/entrypoints/di/tokens.js';
import { createSendMessageHandler } from '../../../src/entrypoints/lambda/handlers/sendMessage.js';
import { messageEvent } from './events.js';
import { handlerDeps } from '../../support/handlerDeps.js';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

/** A client that answers each send with the next scripted outcome and records what it was asked. */
class ScriptedClient implements PostToConnectionClient {
  readonly commands: PostToConnectionCommand[] = [];
  constructor(private readonly script: Array<Error | undefined>) {}
  async send(command: PostToConnectionCommand): Promise<unknown> {
    this.commands.push(command);
    const next = this.script.shift();
    if (next instanceof Error) throw next;
    return {};
  }
}

function notifierWith(
  client: PostToConnectionClient,
  endpoint: string | null = 'https://abc.execute-api.eu-west-1.amazonaws.com/production',
) {
  const endpoints: string[] = [];
  const notifier = new ApiGatewayConnectionNotifier({
    endpoint: { resolve: () => endpoint ?? undefined },
    clientFor: (url) => {
      endpoints.push(url);
      return client;
    },
  });
  return { notifier, endpoints };
}

const id = ConnectionId.of('L0SM9cOFvHcCIhw=');

describe('ApiGatewayConnectionNotifier', () => {
  it('posts the UTF-8 bytes of the payload to the connection', async () => {
    const client = new ScriptedClient([undefined]);
    const { notifier, endpoints } = notifierWith(client);
    expect(await notifier.send(id, '{"text":"café ✓"}')).to.deep.equal({ status: 'delivered' });
    expect(client.commands).to.have.length(1);
    expect(client.commands[0]?.input.ConnectionId).to.equal('L0SM9cOFvHcCIhw=');
    expect(Buffer.from(client.commands[0]?.input.Data as Uint8Array).toString('utf8')).to.equal('{"text":"café ✓"}');
    expect(endpoints).to.deep.equal(['https://abc.execute-api.eu-west-1.amazonaws.com/production']);
  });

  const goneErrors: Array<[string, Error]> = [
    ['a GoneException instance', new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } })],
    ['an error named GoneException', Object.assign(new Error('gone'), { name: 'GoneException' })],
    ['any error with $metadata.httpStatusCode 410', Object.assign(new Error('?'), { name: 'UnknownError', ...meta(410) })],
  ];
  for (const [name, error] of goneErrors) {
    it(`reports ${name} as gone, without retrying`, async () => {
      const client = new ScriptedClient([error]);
      expect(await notifierWith(client).notifier.send(id, '{}')).to.deep.equal({ status: 'gone' });
      expect(client.commands).to.have.length(1);
    });
  }

  it("does not take v2's `statusCode` for a 410 (SDK v3 errors carry $metadata)", async () => {
    const client = new ScriptedClient([Object.assign(new Error('boom'), { name: 'InternalServerError', statusCode: 410, ...meta(500) })]);
    expect((await notifierWith(client).notifier.send(id, '{}')).status).to.equal('failed');
  });

  it('fails at once on any other error (never rejects)', async () => {
    const client = new ScriptedClient([Object.assign(new Error('denied'), { name: 'ForbiddenException', ...meta(403) })]);
    expect(await notifierWith(client).notifier.send(id, '{}')).to.deep.equal({
      status: 'failed',
      reason: 'ForbiddenException (HTTP 403): denied',
    });
    expect(client.commands).to.have.length(1);
  });

  it('refuses a payload over 128 KB before sending it', async () => {
    const client = new ScriptedClient([]);
    const outcome = await notifierWith(client).notifier.send(id, 'é'.repeat(65_537));
    expect(outcome.status).to.equal('failed');
    expect(client.commands).to.deep.equal([]);
  });

  it('fails when no endpoint is configured nor observed yet', async () => {
    const client = new ScriptedClient([]);
    const outcome = await notifierWith(client, null).notifier.send(id, '{}');
    expect(outcome).to.deep.equal({ status: 'failed', reason: 'no @connections endpoint: set HERMES_CONNECTIONS_ENDPOINT' });
  });

  it('builds one client per endpoint', async () => {
    const client = new ScriptedClient([undefined, undefined]);
    const { notifier, endpoints } = notifierWith(client);
    await notifier.send(id, '1');
    await notifier.send(id, '2');
    expect(endpoints).to.have.length(1);
  });
});

describe('ConnectionsEndpointResolver', () => {
  it('derives https://{domainName}/{stage} from an event, http for a loopback gateway', () => {
    const resolver = new ConnectionsEndpointResolver();
    expect(resolver.resolve()).to.equal(undefined);
    resolver.observe('abc.execute-api.eu-west-1.amazonaws.com', 'production');
    expect(resolver.resolve()).to.equal('https://abc.execute-api.eu-west-1.amazonaws.com/production');
    resolver.observe('127.0.0.1:3001', 'local');
    expect(resolver.resolve()).to.equal('http://127.0.0.1:3001/local');
  });

  it('prefers the configured endpoint (HERMES_CONNECTIONS_ENDPOINT) to what events say', () => {
    const resolver = new ConnectionsEndpointResolver('https://ws.example.com/production');
    resolver.observe('abc.execute-api.eu-west-1.amazonaws.com', 'production');
    expect(resolver.resolve()).to.equal('https://ws.example.com/production');
  });
});

describe('HERMES_NOTIFIER=apigateway wiring', () => {
  it('resolves the API Gateway notifier and primes its endpoint from the events the handlers see', async () => {
    const container = buildContainer('memory', { env: { HERMES_NOTIFIER: 'apigateway', BCRYPT_COST: '4' } });
    expect(container.get(NOTIFICATION_TOKENS.ConnectionNotifier)).to.be.instanceOf(ApiGatewayConnectionNotifier);
    const resolver = container.get<ConnectionsEndpointResolver>(ENTRYPOINT_TOKENS.ConnectionsEndpoint);
    expect(resolver.resolve()).to.equal(undefined);
    await createSendMessageHandler(handlerDeps(container))(messageEvent('{"action":"sendMessage","data":1}'));
    expect(resolver.resolve()).to.equal('https://abcdef1234.execute-api.eu-west-1.amazonaws.com/production');
  });

  it('takes HERMES_CONNECTIONS_ENDPOINT, and rejects one that is not an http(s) URL', () => {
    const configured = buildContainer('memory', { env: { HERMES_CONNECTIONS_ENDPOINT: 'https://ws.example.com/production/' } });
    expect(configured.get<ConnectionsEndpointResolver>(ENTRYPOINT_TOKENS.ConnectionsEndpoint).resolve()).to.equal(
      'https://ws.example.com/production',
    );
    // The endpoint is configuration now: it is refused when the configuration is read, not when first used.
    expect(() => buildContainer('memory', { env: { HERMES_CONNECTIONS_ENDPOINT: 'ftp://nope' } })).to.throw(
      ConfigurationError,
      /HERMES_CONNECTIONS_ENDPOINT/,
    );
  });
});
