import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { expect } from 'chai';
import { isJsonContentType } from '../../../src/entrypoints/standalone/http/httpIo.js';
import { createVmRunMessage } from '../../../src/entrypoints/cli/commands/port.js';
import { eventually, startTestGateway, TEST_ADMIN_KEY, type TestGateway } from './support/gatewayHarness.js';

/** What a cross-site HTML form can send without a CORS preflight, plus no type at all. */
const NOT_JSON: ReadonlyArray<string | undefined> = [
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'text/plain',
  'text/plain; charset=utf-8',
  undefined,
];

describe('local gateway: JSON endpoints require Content-Type: application/json (415 otherwise)', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.stop());

  const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
  const endpoints: ReadonlyArray<{ name: string; path: () => string; headers: Record<string, string>; body: () => string; ok: number }> = [
    {
      name: 'POST /{stage}/tokens',
      path: () => `/${gw.gateway.stage}/tokens`,
      headers: admin,
      body: () => JSON.stringify({ user_id: 'alice', room_id: 'acme' }),
      ok: 201,
    },
    {
      name: 'POST /{stage}/rooms/{room}/messages',
      path: () => `/${gw.gateway.stage}/rooms/acme/messages`,
      headers: admin,
      body: () => JSON.stringify({ type: 'info', data: 'hello' }),
      ok: 202,
    },
    // The memory profile's keyless endpoint: the one a cross-site form post could reach.
    {
      name: 'POST /{stage}/demo/tokens',
      path: () => `/${gw.gateway.stage}/demo/tokens`,
      headers: {},
      body: () => JSON.stringify({ user_id: 'guest', room_id: 'lobby' }),
      ok: 201,
    },
    {
      name: 'POST /{stage}/port/runs',
      path: () => `/${gw.gateway.stage}/port/runs`,
      headers: admin,
      body: () =>
        JSON.stringify(createVmRunMessage(`run_ct_${Date.now()}`, 'org_local', { cpu: 2, memory: 4, storage: 20, region: 'eu-west-1' })),
      ok: 200,
    },
  ];

  for (const endpoint of endpoints) {
    describe(endpoint.name, () => {
      const post = (contentType: string | undefined): Promise<Response> =>
        fetch(`${gw.url}${endpoint.path()}`, {
          method: 'POST',
          // fetch would add text/plain for a string body; a Blob without a type sends no Content-Type at all.
          headers: { ...endpoint.headers, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
          body: contentType === undefined ? new Blob([endpoint.body()]) : endpoint.body(),
        });

      for (const contentType of NOT_JSON) {
        it(`refuses ${contentType ?? 'a body without Content-Type'} with 415 UNSUPPORTED_MEDIA_TYPE, even when the body is JSON`, async () => {
          const response = await post(contentType);
          expect(response.status).to.equal(415);
          expect(response.headers.get('accept-post')).to.equal('application/json');
          expect(await response.json()).to.have.nested.property('error.code', 'UNSUPPORTED_MEDIA_TYPE');
        });
      }

      for (const contentType of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"']) {
        it(`accepts ${contentType}`, async () => {
          const response = await post(contentType);
          expect(response.status, await response.clone().text()).to.equal(endpoint.ok);
        });
      }
    });
  }

  it('checks the admin key first: a request without it is a 401 whatever its type', async () => {
    const response = await fetch(`${gw.url}/${gw.gateway.stage}/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(response.status).to.equal(401);
  });

  // API Gateway's PostToConnection takes any bytes as the message: its Data is a blob, and AWS's own
  // example posts a form-encoded body (`awscurl --service execute-api -X POST -d "hello world" .../@connections/{id}`),
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html
  // and https://docs.aws.amazon.com/boto3/latest/reference/services/apigatewaymanagementapi/client/post_to_connection.html
  // So the @connections API requires no Content-Type.
  it('@connections POST delivers a body of any Content-Type, as API Gateway does', async () => {
    const { client, connectionId } = await gw.connectWithId('bob', 'acme');
    try {
      for (const contentType of ['application/x-www-form-urlencoded', 'text/plain', 'application/octet-stream']) {
        const response = await fetch(`${gw.url}/${gw.gateway.stage}/@connections/${encodeURIComponent(connectionId)}`, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body: `hello as ${contentType}`,
        });
        expect(response.status, contentType).to.equal(200);
      }
      const api = new ApiGatewayManagementApiClient({
        endpoint: `${gw.url}/${gw.gateway.stage}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
      });
      try {
        await api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('from the SDK') }));
      } finally {
        api.destroy();
      }
      await eventually(() => client.received.length === 4, 2_000, 'four deliveries');
      expect(client.received).to.deep.equal([
        'hello as application/x-www-form-urlencoded',
        'hello as text/plain',
        'hello as application/octet-stream',
        'from the SDK',
      ]);
    } finally {
      await client.close();
    }
  });
});

describe('isJsonContentType', () => {
  it('takes application/json with any parameters and a UTF-8 charset, nothing else', () => {
    for (const header of [
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON ; Charset=UTF-8',
      'application/json;v=1',
    ]) {
      expect(isJsonContentType(header), header).to.equal(true);
    }
    for (const header of [
      undefined,
      '',
      'text/json',
      'application/jsonp',
      'application/json; charset=latin1',
      'application/problem+json',
      'text/plain',
    ]) {
      expect(isJsonContentType(header), String(header)).to.equal(false);
    }
  });
});
