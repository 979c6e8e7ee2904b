import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  ForbiddenException,
  GetConnectionCommand,
  GoneException,
  PayloadTooLargeException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { expect } from 'chai';
import { eventually, startTestGateway, type TestClient, type TestGateway } from './support/gatewayHarness.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('local gateway: @connections API with the real ApiGatewayManagementApiClient', () => {
  let gw: TestGateway;
  let client: TestClient;
  let connectionId: string;
  let staged: ApiGatewayManagementApiClient;
  let unstaged: ApiGatewayManagementApiClient;

  before(async () => {
    gw = await startTestGateway();
    staged = new ApiGatewayManagementApiClient({ endpoint: `${gw.url}/local`, region: 'us-east-1', credentials });
    unstaged = new ApiGatewayManagementApiClient({ endpoint: gw.url, region: 'us-east-1', credentials });
  });
  beforeEach(async () => {
    ({ client, connectionId } = await gw.connectWithId('alice', 'acme', { headers: { 'user-agent': 'hermes-test/1.0' } }));
  });
  afterEach(async () => {
    client.socket.terminate();
    await client.closed;
  });
  after(async () => {
    staged.destroy();
    unstaged.destroy();
    await gw.stop();
  });

  for (const [name, api] of [
    ['with the stage prefix', () => staged],
    ['without the stage prefix', () => unstaged],
  ] as const) {
    it(`POST delivers the exact bytes to the connection (${name})`, async () => {
      const payload = JSON.stringify({ hello: 'wörld ✓', n: 1 });
      await api().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(payload) }));
      await eventually(() => client.received.length > 0, 2_000, 'delivery');
      expect(client.received).to.deep.equal([payload]);
    });

    it(`GET answers ConnectedAt, LastActiveAt and Identity (${name})`, async () => {
      const before = Date.now();
      client.send({ action: 'sendMessage', data: 'activity' });
      await client.next();
      const answer = await api().send(new GetConnectionCommand({ ConnectionId: connectionId }));
      expect(answer.ConnectedAt).to.be.instanceOf(Date);
      expect(answer.LastActiveAt).to.be.instanceOf(Date);
      expect(answer.ConnectedAt!.getTime()).to.be.at.most(before);
      expect(answer.LastActiveAt!.getTime()).to.be.at.least(answer.ConnectedAt!.getTime());
      expect(answer.LastActiveAt!.getTime()).to.be.at.least(before - 1_000);
      expect(answer.Identity?.SourceIp).to.equal('127.0.0.1');
      expect(answer.Identity?.UserAgent).to.equal('hermes-test/1.0');
    });

    it(`DELETE closes the connection and $disconnect runs (${name})`, async () => {
      await api().send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
      expect((await client.closed).code).to.equal(1000);
      await eventually(async () => !(await gw.isRegistered(connectionId)), 2_000, '$disconnect');
    });

    it(`an unknown id raises GoneException (410) for POST, GET and DELETE (${name})`, async () => {
      for (const command of [
        new PostToConnectionCommand({ ConnectionId: 'Unknown+Id/0=', Data: Buffer.from('x') }),
        new GetConnectionCommand({ ConnectionId: 'Unknown+Id/0=' }),
        new DeleteConnectionCommand({ ConnectionId: 'Unknown+Id/0=' }),
      ]) {
        const error = await rejection(api().send(command as PostToConnectionCommand));
        expect(error).to.be.instanceOf(GoneException);
        expect(error.$metadata?.httpStatusCode).to.equal(410);
      }
    });
  }

  it('decodes URL-encoded ids (the gateway ids are base64: "=", "+" and "/" are escaped)', async () => {
    expect(connectionId).to.match(/=$/);
    const response = await fetch(`${gw.url}/local/@connections/${encodeURIComponent(connectionId)}`);
    expect(response.status).to.equal(200);
    const gone = await fetch(`${gw.url}/local/@connections/${encodeURIComponent('a+b/c=')}`);
    expect(gone.status).to.equal(410);
    expect(gone.headers.get('x-amzn-errortype')).to.equal('GoneException');
    expect(await gone.json()).to.have.property('message');
  });

  it('refuses a payload over 128 KB (PayloadTooLargeException) and a foreign stage (ForbiddenException)', async () => {
    const tooLarge = await rejection(
      staged.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.alloc(128 * 1024 + 1, 97) })),
    );
    expect(tooLarge).to.be.instanceOf(PayloadTooLargeException);
    const other = new ApiGatewayManagementApiClient({ endpoint: `${gw.url}/production`, region: 'us-east-1', credentials });
    const forbidden = await rejection(other.send(new GetConnectionCommand({ ConnectionId: connectionId })));
    other.destroy();
    expect(forbidden).to.be.instanceOf(ForbiddenException);
  });
});
