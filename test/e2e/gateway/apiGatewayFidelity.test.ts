import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { expect } from 'chai';
import WebSocket from 'ws';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { BroadcastToRoom } from '../../../src/application/notifications/usecases/BroadcastToRoom.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { UserId } from '../../../src/domain/connection/UserId.js';
import { Notification } from '../../../src/domain/notification/Notification.js';
import type { WebSocketEvent } from '../../../src/entrypoints/lambda/shared/events.js';
import type { LambdaFunction } from '../../../src/entrypoints/standalone/template/functionHost.js';
import { eventually, refusalStatus, startTestGateway, TestClient, type TestGateway } from './support/gatewayHarness.js';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

function managementClient(gw: TestGateway, maxAttempts = 1): ApiGatewayManagementApiClient {
  return new ApiGatewayManagementApiClient({
    endpoint: `${gw.url}/${gw.gateway.stage}`,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    maxAttempts,
  });
}

function notification(room: string, data: string): Notification {
  return Notification.create({
    id: `n-${data}`,
    type: 'info',
    roomId: RoomId.of(room),
    senderUserId: UserId.of('backend'),
    data,
    sentAt: new Date(),
  });
}

/** A handler that waits for `release()` before running `inner`. */
function gated(inner: LambdaFunction): { handler: LambdaFunction; entered: Promise<WebSocketEvent>; release: () => void } {
  let release: () => void = () => undefined;
  let entered: (event: WebSocketEvent) => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const enteredPromise = new Promise<WebSocketEvent>((resolve) => (entered = resolve));
  return {
    handler: async (event) => {
      const result = await inner(event);
      entered(event as WebSocketEvent);
      await gate;
      return result;
    },
    entered: enteredPromise,
    release: () => release(),
  };
}

for (const notifier of ['inprocess', 'apigateway'] as const) {
  describe(`API Gateway fidelity: a connection whose $connect has not completed (HERMES_NOTIFIER=${notifier})`, () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway({ envExtra: { HERMES_NOTIFIER: notifier } });
    });
    after(() => gw.stop());

    // API Gateway opens a connection only once $connect answers 200 (localstack/localstack#4039), and a
    // PostToConnection before that answers 410 GoneException (aws/aws-sdk-js#3773). hermes' $connect
    // registers the connection before it answers, so a broadcast can race it: BroadcastToRoom must not
    // forget that connection, and its client receives the next broadcast.
    it('answers 410 GoneException while $connect runs, keeps the connection through a racing broadcast, then delivers', async () => {
      const realConnect = gw.gateway.functions.handler('ConnectFunction');
      const slow = gated(realConnect);
      gw.gateway.functions.override('ConnectFunction', slow.handler);
      const management = managementClient(gw);
      try {
        const opening = gw.connect('carol', 'race');
        const event = await slow.entered;
        const connectionId = event.requestContext.connectionId;
        expect(await gw.isRegistered(connectionId), 'registered by $connect').to.equal(true);

        const error = await management
          .send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('early') }))
          .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(GoneException);

        const broadcast = gw.gateway.container.get<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom);
        expect(await broadcast.execute(notification('race', 'racing'))).to.deep.include({ delivered: 0, gone: 1 });
        expect(await gw.isRegistered(connectionId), 'kept through the racing broadcast').to.equal(true);

        slow.release();
        const client = await opening;
        await gw.publish('race', { data: 'next' });
        expect(await client.next()).to.include({ data: 'next' });
        await client.close();
      } finally {
        slow.release();
        gw.gateway.functions.override('ConnectFunction', realConnect);
        management.destroy();
      }
    });
  });
}

describe('API Gateway fidelity: frames, handshake and plain HTTP', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.stop());

  // "If a client app sends a binary frame, API Gateway rejects it and disconnects the client with code 1003."
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-binary-media-types.html
  it('closes the connection with 1003 on a binary frame', async () => {
    const client = await gw.connect('alice', 'acme');
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await client.closed).code).to.equal(1003);
  });

  // The $connect integration's response headers name the subprotocol of the 101.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-connect-route-subprotocol.html
  it('answers the 101 with the subprotocol $connect returned in Sec-WebSocket-Protocol, and none otherwise', async () => {
    const realConnect = gw.gateway.functions.handler('ConnectFunction');
    const token = await gw.token('alice', 'acme');
    const url = `${gw.websocketUrl}?token=${encodeURIComponent(token)}`;
    try {
      gw.gateway.functions.override('ConnectFunction', async (event) => {
        const result = (await realConnect(event)) as Record<string, unknown>;
        return { ...result, headers: { 'Sec-WebSocket-Protocol': 'myprotocol' } };
      });
      const chosen = await TestClient.open(url, {}).catch((e: unknown) => e);
      expect(chosen).to.be.instanceOf(TestClient);
      const withProtocols = await new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(url, ['chat1', 'myprotocol']);
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      });
      expect(withProtocols.protocol).to.equal('myprotocol');
      withProtocols.close();
      await (chosen as TestClient).close();
    } finally {
      gw.gateway.functions.override('ConnectFunction', realConnect);
    }
    const plain = await TestClient.open(url);
    expect(plain.socket.protocol).to.equal('');
    await plain.close();
  });

  // A plain HTTPS request to a WebSocket API's URL is answered 426 Upgrade Required.
  it('answers a plain HTTP GET on the WebSocket URL with 426 Upgrade Required', async () => {
    const response = await fetch(`${gw.url}/${gw.gateway.stage}`);
    expect(response.status).to.equal(426);
    expect(((await response.json()) as { message: string }).message).to.equal('Upgrade Required');
  });
});

describe('API Gateway fidelity: the authorizer', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.stop());

  const allowWith =
    (context: Record<string, unknown>): LambdaFunction =>
    async (event) => ({
      principalId: 'alice',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: (event as { methodArn: string }).methodArn }],
      },
      context,
    });

  async function withAuthorizer<T>(authorizer: LambdaFunction, run: () => Promise<T>): Promise<T> {
    const real = gw.gateway.functions.handler('AuthorizerFunction');
    gw.gateway.functions.override('AuthorizerFunction', authorizer);
    try {
      return await run();
    } finally {
      gw.gateway.functions.override('AuthorizerFunction', real);
    }
  }

  // "numberKey": "1", "booleanKey": "true": context values reach the integration as strings; the context
  // holds no objects or arrays; the result is at most 8 KB (not adjustable).
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html
  it('hands the integrations the context with numbers and booleans as strings', async () => {
    await withAuthorizer(allowWith({ room_id: 'acme', user_id: 'alice', seats: 3, admin: true }), async () => {
      const { client, connectionId } = await gw.connectWithId('alice', 'acme');
      expect(gw.gateway.websocket.get(connectionId)?.authorizer).to.include({ room_id: 'acme', seats: '3', admin: 'true' });
      await client.close();
    });
  });

  for (const [name, context] of [
    ['an object', { room_id: 'acme', user_id: 'alice', nested: { a: 1 } }],
    ['an array', { room_id: 'acme', user_id: 'alice', list: [1, 2] }],
    ['over 8 KB in all', { room_id: 'acme', user_id: 'alice', big: 'x'.repeat(8 * 1024) }],
  ] as const) {
    it(`answers 500 to a context holding ${name}`, async () => {
      await withAuthorizer(allowWith(context), async () => {
        const token = await gw.token('alice', 'acme');
        expect(await refusalStatus(`${gw.websocketUrl}?token=${encodeURIComponent(token)}`)).to.equal(500);
      });
    });
  }

  // Without the identity source (route.request.querystring.token) API Gateway answers 401 and never
  // invokes the authorizer. https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
  it('answers 401 without the identity source, without invoking the authorizer', async () => {
    let invoked = 0;
    await withAuthorizer(
      async () => {
        invoked += 1;
        throw new Error('Unauthorized');
      },
      async () => {
        expect(await refusalStatus(gw.websocketUrl)).to.equal(401);
        expect(await refusalStatus(`${gw.websocketUrl}?other=1`)).to.equal(401);
      },
    );
    expect(invoked).to.equal(0);
  });

  // A Lambda proxy integration that fails (throws) is a 502 for the caller.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
  it('answers 502 when the $connect integration throws', async () => {
    const real = gw.gateway.functions.handler('ConnectFunction');
    gw.gateway.functions.override('ConnectFunction', async () => {
      throw new Error('boom');
    });
    try {
      const token = await gw.token('alice', 'acme');
      expect(await refusalStatus(`${gw.websocketUrl}?token=${encodeURIComponent(token)}`)).to.equal(502);
    } finally {
      gw.gateway.functions.override('ConnectFunction', real);
    }
  });
});

describe('API Gateway fidelity: the events integrations receive', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.stop());

  // The sample $connect input: Host, Sec-WebSocket-*, X-Forwarded-For/Port/Proto; no messageId on $connect.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
  // $disconnect carries Host, x-api-key, X-Forwarded-For and x-restapi headers, as AWS logs it (serverless-offline's
  // src/events/websocket/WebSocketDisconnectEvent.js models Host, x-api-key and x-restapi).
  it('sends $connect the handshake headers plus X-Forwarded-*, no messageId, and $disconnect its headers', async () => {
    const connect = gw.gateway.functions.handler('ConnectFunction');
    const disconnect = gw.gateway.functions.handler('DisconnectFunction');
    const seen: WebSocketEvent[] = [];
    gw.gateway.functions.override('ConnectFunction', async (event) => {
      seen.push(event as WebSocketEvent);
      return connect(event);
    });
    gw.gateway.functions.override('DisconnectFunction', async (event) => {
      seen.push(event as WebSocketEvent);
      return disconnect(event);
    });
    try {
      const client = await gw.connect('alice', 'acme');
      await client.close();
      await eventually(() => seen.length === 2, 2_000, '$disconnect');
      const [onConnect, onDisconnect] = seen as [WebSocketEvent, WebSocketEvent];
      const headers = onConnect.headers ?? {};
      expect(headers).to.include.keys(
        'Host',
        'Sec-WebSocket-Key',
        'Sec-WebSocket-Version',
        'X-Forwarded-For',
        'X-Forwarded-Port',
        'X-Forwarded-Proto',
      );
      expect(headers['X-Forwarded-Port']).to.equal(String(gw.gateway.port));
      expect(headers['X-Forwarded-Proto']).to.equal('http');
      expect(onConnect.requestContext).to.not.have.property('messageId');
      expect(onConnect.requestContext.domainName).to.equal(`127.0.0.1:${gw.gateway.port}`);
      expect(onDisconnect.headers).to.include.keys('Host', 'x-api-key', 'X-Forwarded-For', 'x-restapi');
      expect(onDisconnect.requestContext.routeKey).to.equal('$disconnect');
    } finally {
      gw.gateway.functions.override('ConnectFunction', connect);
      gw.gateway.functions.override('DisconnectFunction', disconnect);
    }
  });

  it('gives message routes a messageId', async () => {
    const sendMessage = gw.gateway.functions.handler('SendMessageFunction');
    let event: WebSocketEvent | undefined;
    gw.gateway.functions.override('SendMessageFunction', async (received) => {
      event = received as WebSocketEvent;
      return sendMessage(received);
    });
    try {
      const client = await gw.connect('alice', 'acme');
      client.send({ action: 'sendMessage', data: 'hi' });
      await client.next();
      expect(event?.requestContext.messageId).to.be.a('string');
      await client.close();
    } finally {
      gw.gateway.functions.override('SendMessageFunction', sendMessage);
    }
  });
});

describe('API Gateway fidelity: route responses and the integration timeout', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ limits: { integrationTimeoutMs: 200 } });
  });
  after(() => gw.stop());

  // A route's return value reaches the client only through a route response; template.yaml gives one to
  // sendMessage and $default, none to $connect / $disconnect (the chat fixture's sendmessage has none).
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-response.html
  it("sends the $default route's answer back (it has a route response)", async () => {
    const client = await gw.connect('alice', 'acme');
    client.send({ action: 'nope' });
    expect(await client.next()).to.have.property('error');
    await client.close();
  });

  // Integration timeout: 50 ms - 29 s; past it the client gets {"message": "Endpoint request timed out", ...}.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html
  it('tells the client "Endpoint request timed out" past the integration timeout, and drops the late result', async () => {
    const real = gw.gateway.functions.handler('DefaultFunction');
    gw.gateway.functions.override('DefaultFunction', async () => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return { statusCode: 200, body: JSON.stringify({ late: true }) };
    });
    try {
      const { client, connectionId } = await gw.connectWithId('alice', 'acme');
      client.send({ action: 'slow' });
      const reply = await client.next();
      expect(reply).to.include({ message: 'Endpoint request timed out', connectionId });
      expect(reply['requestId']).to.be.a('string');
      await client.expectSilence(400);
      await client.close();
    } finally {
      gw.gateway.functions.override('DefaultFunction', real);
    }
  });
});
