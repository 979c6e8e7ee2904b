import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Logger } from '../../../src/application/shared/ports/Logger.js';
import { ValidationError } from '../../../src/domain/shared/ValidationError.js';
import { HttpError } from '../../../src/entrypoints/standalone/http/HttpError.js';
import { sendJson } from '../../../src/entrypoints/standalone/http/httpIo.js';
import { HttpRouter } from '../../../src/entrypoints/standalone/http/HttpRouter.js';

describe('HttpRouter', () => {
  let server: Server;
  let base: string;
  const errors: string[] = [];
  const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m) => errors.push(m) };

  before(async () => {
    const router = new HttpRouter(logger)
      .add('GET', '/items/:id', ({ res, params }) => sendJson(res, 200, { id: params['id'] }))
      .add('POST', '/items/:id', () => {
        throw new ValidationError('id', 'is odd');
      })
      .add('GET', '/teapot', () => {
        throw new HttpError(418, 'TEAPOT', 'short and stout', { 'x-extra': 'yes' });
      })
      .add('GET', '/crash', () => {
        throw new Error('secret internals');
      });
    server = createServer((req, res) => void router.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('matches :params and URL-decodes them (an encoded "/" stays inside its segment)', async () => {
    const response = await fetch(`${base}/items/${encodeURIComponent('a+b/c=')}`);
    expect(await response.json()).to.deep.equal({ id: 'a+b/c=' });
  });

  it('answers 404 for an unknown path and 405 for a known path with another method', async () => {
    expect((await fetch(`${base}/nothing`)).status).to.equal(404);
    expect((await fetch(`${base}/teapot`, { method: 'DELETE' })).status).to.equal(405);
  });

  it('writes HttpErrors as given, domain errors as 4xx, anything else as a 500 that hides the details', async () => {
    const teapot = await fetch(`${base}/teapot`);
    expect(teapot.status).to.equal(418);
    expect(teapot.headers.get('x-extra')).to.equal('yes');
    expect(await teapot.json()).to.deep.equal({ error: { code: 'TEAPOT', message: 'short and stout' } });
    const invalid = await fetch(`${base}/items/1`, { method: 'POST' });
    expect(invalid.status).to.equal(400);
    const crash = await fetch(`${base}/crash`);
    expect(crash.status).to.equal(500);
    expect(await crash.text()).to.not.include('secret internals');
    expect(errors).to.include('http request failed');
  });
});
