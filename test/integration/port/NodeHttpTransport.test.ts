import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpTimeoutError } from '../../../src/adapters/port/HttpTransport.js';
import { CredentialsInUrlError, IncompleteAnswerError, NodeHttpTransport } from '../../../src/adapters/port/NodeHttpTransport.js';

/** A local HTTP server answering with `respond`; counts the TCP connections it accepted. */
async function serve(respond: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{
  origin: URL;
  connections: () => number;
  server: Server;
}> {
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => respond(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: new URL(`http://127.0.0.1:${port}/v1`), connections: () => connections, server };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('NodeHttpTransport (Port API requests over node:http)', function () {
  let server: Server | undefined;
  let transport: NodeHttpTransport | undefined;

  afterEach(async function () {
    transport?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  it('sends method, path, headers and body, reads status, headers and the whole answer', async function () {
    const local = await serve((req, res, body) => {
      const text = JSON.stringify({
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
        length: req.headers['content-length'],
        body,
      });
      res.writeHead(201, { 'content-type': 'application/json', 'retry-after': '3', 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
    });
    server = local.server;
    transport = new NodeHttpTransport();
    const body = JSON.stringify({ message: 'héllo' });
    const response = await transport.send({
      method: 'POST',
      origin: local.origin,
      path: '/v1/actions/runs/r%201/logs?upsert=true',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body,
      timeoutMs: 5_000,
    });
    expect(response.status).to.equal(201);
    expect(response.headers.get('Retry-After')).to.equal('3');
    expect(response.headers.get('x-absent')).to.equal(null);
    expect(JSON.parse(response.text)).to.deep.equal({
      method: 'POST',
      url: '/v1/actions/runs/r%201/logs?upsert=true',
      auth: 'Bearer t',
      length: String(Buffer.byteLength(body)),
      body,
    });
  });

  it('keeps connections alive: sequential requests share one connection', async function () {
    const local = await serve((_req, res) => res.end('{}'));
    server = local.server;
    transport = new NodeHttpTransport();
    for (let i = 0; i < 20; i += 1) {
      await transport.send({ method: 'GET', origin: local.origin, path: '/v1/x', headers: {}, timeoutMs: 5_000 });
    }
    expect(local.connections()).to.equal(1);
  });

  it('gives up with HttpTimeoutError when the answer takes longer than the request may', async function () {
    const local = await serve((_req, res) => setTimeout(() => res.end('{}'), 1_000));
    server = local.server;
    transport = new NodeHttpTransport();
    const error = await rejection(transport.send({ method: 'GET', origin: local.origin, path: '/v1/slow', headers: {}, timeoutMs: 50 }));
    expect(error).to.be.instanceOf(HttpTimeoutError);
    expect((error as HttpTimeoutError).retryable).to.equal(true);
  });

  it('rejects an answer cut short, and a URL carrying credentials (never sent as Basic auth)', async function () {
    const local = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"partial"');
      setTimeout(() => res.destroy(), 10);
    });
    server = local.server;
    transport = new NodeHttpTransport();
    const cut = await rejection(transport.send({ method: 'GET', origin: local.origin, path: '/v1/cut', headers: {}, timeoutMs: 5_000 }));
    expect(cut).to.be.an('error');
    // Node reports it as `aborted` (ECONNRESET); the transport's own check is the fallback.
    expect(cut instanceof IncompleteAnswerError || (cut as { code?: string }).code === 'ECONNRESET', String(cut)).to.equal(true);

    const withUser = new URL(local.origin);
    withUser.username = 'user';
    withUser.password = 'secret';
    const before = local.connections();
    const refused = await rejection(transport.send({ method: 'GET', origin: withUser, path: '/v1/x', headers: {}, timeoutMs: 5_000 }));
    expect(refused).to.be.instanceOf(CredentialsInUrlError);
    expect(String(refused)).to.not.include('secret');
    expect(local.connections()).to.equal(before);
  });
});
