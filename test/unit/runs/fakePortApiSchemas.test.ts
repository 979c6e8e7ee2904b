import { expect } from 'chai';
import { startFakePortApi, type FakePortApi } from '../../support/fakePortApi.js';

/** The fake Port API refuses what Port's request schemas refuse, so a drifting request fails a test. */
describe("fake Port API: Port's request schemas enforced", () => {
  let fake: FakePortApi;
  let token: string;

  const send = async (method: string, path: string, body: unknown, bearer: string | null = token) => {
    const response = await fetch(`${fake.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(bearer !== null && { authorization: `Bearer ${bearer}` }) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  before(async () => {
    fake = await startFakePortApi();
    const issued = await send('POST', '/auth/access_token', fake.credentials, null);
    token = String(issued.body['accessToken']);
  });
  after(() => fake.stop());

  it('refuses a run log with a property the schema does not have, with 422 as Port answers', async () => {
    const refused = await send('POST', '/actions/runs/r_1/logs', { message: 'hello', level: 'info' });
    expect(refused).to.deep.equal({
      status: 422,
      body: { ok: false, error: 'invalid_request', message: 'body must NOT have additional properties' },
    });
    expect(fake.runs.get('r_1')?.logs ?? []).to.deep.equal([]);
  });

  it('refuses a run log without its required message, and a status outside the enum', async () => {
    expect((await send('POST', '/actions/runs/r_1/logs', { terminationStatus: 'SUCCESS' })).body['message']).to.equal(
      "body must have required property 'message'",
    );
    expect((await send('POST', '/actions/runs/r_1/logs', { message: 'x', terminationStatus: 'DONE' })).status).to.equal(422);
    expect((await send('PATCH', '/actions/runs/r_1', { status: 'SUCCESS', result: 'ok' })).status).to.equal(422);
    expect((await send('PATCH', '/actions/runs/r_1', { status: 'IN_PROGRESS' })).status).to.equal(422);
  });

  it('refuses a token request with an extra field or a missing secret', async () => {
    const extra = await send('POST', '/auth/access_token', { ...fake.credentials, grantType: 'client_credentials' }, null);
    const missing = await send('POST', '/auth/access_token', { clientId: fake.credentials.clientId }, null);
    expect([extra.status, missing.status]).to.deep.equal([422, 422]);
  });

  it('wants the upsert query parameter on an entity upsert, and no unknown one', async () => {
    const entity = { identifier: 'vm-1', properties: {} };
    expect((await send('POST', '/blueprints/vm/entities', entity)).body['message']).to.equal(
      "querystring must have required property 'upsert'",
    );
    expect((await send('POST', '/blueprints/vm/entities?upsert=true&mergeAll=true', entity)).status).to.equal(422);
    expect((await send('POST', '/blueprints/vm/entities?upsert=yes', entity)).status).to.equal(422);
    expect((await send('POST', '/blueprints/vm/entities?upsert=true&merge=true&run_id=r_1', entity)).status).to.equal(201);
  });

  it('accepts what fits: a log ending the run, a PATCH with status, label, summary and links', async () => {
    expect(
      (await send('POST', '/actions/runs/r_2/logs', { message: 'done', terminationStatus: 'SUCCESS', statusLabel: 'ok' })).status,
    ).to.equal(201);
    expect(
      (await send('PATCH', '/actions/runs/r_3', { status: 'FAILURE', statusLabel: 'l', summary: 's', link: ['https://x'] })).status,
    ).to.equal(200);
    expect(fake.runs.get('r_2')).to.include({ status: 'SUCCESS', terminations: 1, statusLabel: 'ok' });
  });

  it('wants a Bearer token on every call but the token request', async () => {
    expect((await send('PATCH', '/actions/runs/r_1', { status: 'SUCCESS' }, null)).status).to.equal(401);
    expect((await send('PATCH', '/actions/runs/r_1', { status: 'SUCCESS' }, 'not-a-token')).status).to.equal(401);
  });

  it('with merge=true keeps the properties another system set', async () => {
    await send('POST', '/blueprints/vm/entities?upsert=true', { identifier: 'vm-m', properties: { cpu: 2, owner: 'ops' } });
    await send('POST', '/blueprints/vm/entities?upsert=true&merge=true', { identifier: 'vm-m', properties: { cpu: 4 } });
    expect(fake.entities.get('vm/vm-m')?.body['properties']).to.deep.equal({ cpu: 4, owner: 'ops' });
    await send('POST', '/blueprints/vm/entities?upsert=true', { identifier: 'vm-m', properties: { cpu: 8 } });
    expect(fake.entities.get('vm/vm-m')?.body['properties']).to.deep.equal({ cpu: 8 });
  });
});
