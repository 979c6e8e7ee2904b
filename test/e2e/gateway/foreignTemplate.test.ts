import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiGatewayManagementApiClient,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { expect } from 'chai';
import { eventually, startTestGateway, TestClient, type TestGateway } from './support/gatewayHarness.js';

/*
 * `hermes start --template ../their-app/template.yaml`: another project's SAM WebSocket API, its own
 * Node.js handlers in plain JavaScript, no authorizer — the shape of aws-samples/simple-websockets-chat-app
 * (onconnect / ondisconnect / sendmessage posting through @connections with the AWS SDK).
 */
const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'sam-chat');
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('local gateway: hosting a foreign SAM WebSocket API (--template)', () => {
  let gw: TestGateway;
  let management: ApiGatewayManagementApiClient;
  const saved = { ...process.env };

  before(async () => {
    gw = await startTestGateway({ template: join(FIXTURE, 'template.yaml') });
    // What the chat app's sendmessage function reads; the SDK in it needs a region and credentials.
    Object.assign(process.env, {
      CHAT_ENDPOINT: `${gw.url}/${gw.gateway.stage}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    });
    management = new ApiGatewayManagementApiClient({
      endpoint: `${gw.url}/${gw.gateway.stage}`,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      maxAttempts: 1,
    });
  });
  after(async () => {
    for (const key of ['CHAT_ENDPOINT', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'TABLE_NAME']) {
      if (saved[key] === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = saved[key];
    }
    management.destroy();
    await gw.stop();
  });

  const join2 = async (): Promise<[TestClient, TestClient]> => [
    await TestClient.open(gw.websocketUrl),
    await TestClient.open(gw.websocketUrl),
  ];

  it('connects without a token (no authorizer in the template) and relays sendmessage through @connections to everyone', async () => {
    const [alice, bob] = await join2();
    alice.send({ action: 'sendmessage', data: 'hello, chat' });
    expect(await alice.nextText()).to.equal('hello, chat');
    expect(await bob.nextText()).to.equal('hello, chat');
    // sendmessage has no RouteResponse: its "Data sent." body reaches nobody.
    await alice.expectSilence(300);
    await alice.close();
    await bob.close();
  });

  it('answers $default through its route response, with the event API Gateway sends', async () => {
    const client = await TestClient.open(gw.websocketUrl);
    client.send({ action: 'nothing-routes-this' });
    const reply = JSON.parse(await client.nextText()) as { connectionId: string; routeKey: string };
    expect(reply.routeKey).to.equal('$default');
    expect(gw.gateway.websocket.get(reply.connectionId)).to.not.equal(undefined);
    await client.close();
  });

  it('serves the real @aws-sdk/client-apigatewaymanagementapi: PostToConnection, GetConnection, GoneException after $disconnect', async () => {
    const client = await TestClient.open(gw.websocketUrl);
    client.send({ action: 'anything' });
    const { connectionId } = JSON.parse(await client.nextText()) as { connectionId: string };
    await management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('from the SDK') }));
    expect(await client.nextText()).to.equal('from the SDK');
    const described = await management.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    expect(described.ConnectedAt).to.be.instanceOf(Date);
    await client.close();
    await eventually(async () => gw.gateway.websocket.get(connectionId) === undefined, 2_000, '$disconnect');
    const error = await management
      .send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('x') }))
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(GoneException);
  });
});

describe('local gateway: a template without $default', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ template: join(FIXTURE, 'template-no-default.yaml') });
  });
  after(() => gw.stop());

  // No matching route and no $default route: API Gateway answers the sender
  // {"message": "Forbidden", "connectionId": ..., "requestId": ...}
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html; the shape public
  // WebSocket emulators of API Gateway send back, found by searching their code).
  it('answers a message no route matches with Forbidden, its connectionId and a requestId', async () => {
    const client = await TestClient.open(gw.websocketUrl);
    client.send({ action: 'unknown' });
    const reply = JSON.parse(await client.nextText()) as Record<string, unknown>;
    expect(reply['message']).to.equal('Forbidden');
    expect(reply['connectionId'])
      .to.be.a('string')
      .and.satisfy((id: string) => gw.gateway.websocket.get(id) !== undefined);
    expect(reply['requestId']).to.be.a('string').with.length.greaterThan(0);
    client.send('not json');
    expect(JSON.parse(await client.nextText())).to.include({ message: 'Forbidden' });
    await client.close();
  });
});
