import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisKeys } from '../../../src/adapters/redis/RedisKeys.js';
import { eventually, TestClient, UpgradeRefused } from '../../e2e/gateway/support/gatewayHarness.js';
import { startRedisServer, type RedisServer } from '../../support/services/index.js';
import { startGatewayNode, type GatewayNode } from './support/gatewayNodes.js';

const NODE_TTL_SECONDS = 3;
const ROOMS = ['alpha', 'beta'] as const;

interface Member {
  readonly client: TestClient;
  readonly node: number;
  readonly room: (typeof ROOMS)[number];
  readonly connectionId: string;
}

/** Waits until every client in `expected` got one message with `data.n === n`, then checks nobody else got one and nobody got two. */
async function expectDelivered(members: readonly Member[], expected: readonly Member[], n: number): Promise<void> {
  const hits = (member: Member): number => member.client.messages.filter((m) => (m['data'] as { n?: number } | undefined)?.n === n).length;
  await eventually(() => expected.every((member) => hits(member) >= 1), 10_000, `notification ${n} delivered to its room`);
  // A late duplicate or a stray delivery would arrive within a few hundred ms.
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const member of members) {
    expect(hits(member), `node ${member.node} ${member.room} ${member.connectionId} got notification ${n}`).to.equal(
      expected.includes(member) ? 1 : 0,
    );
  }
}

describe('several gateway nodes on one Redis (hermes start --profile redis)', function () {
  this.timeout(120_000);
  let redis: RedisServer;
  let nodes: GatewayNode[] = [];
  let members: Member[] = [];
  let inspect: Redis;
  const keys = new RedisKeys('local');

  before(async function () {
    redis = await startRedisServer();
    inspect = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    inspect.on('error', () => undefined);
    nodes = [];
    for (let i = 0; i < 3; i++) nodes.push(await startGatewayNode(redis.url, { HERMES_NODE_TTL_SECONDS: String(NODE_TTL_SECONDS) }));
    // Twelve clients, two of each room on every node; tokens issued by one node, used on another.
    members = [];
    for (let i = 0; i < 12; i++) {
      const node = i % 3;
      const room = ROOMS[Math.floor(i / 3) % 2] as (typeof ROOMS)[number];
      const issuer = nodes[(node + 1) % 3] as GatewayNode;
      const target = nodes[node] as GatewayNode;
      const token = await issuer.token(`user-${i}`, room);
      const before = target.connectionIds().length;
      const client = await TestClient.open(`${target.websocketUrl}?token=${encodeURIComponent(token)}`);
      await eventually(() => target.connectionIds().length > before, 5_000, 'connection logged');
      members.push({ client, node, room, connectionId: target.connectionIds().at(-1) as string });
    }
  });

  after(async function () {
    for (const member of members) member.client.socket.terminate();
    await Promise.all(nodes.map((node) => node.process.stop()));
    inspect?.disconnect();
    await redis?.stop();
  });

  const inRoom = (room: string, alive: (m: Member) => boolean = () => true): Member[] => members.filter((m) => m.room === room && alive(m));

  it('spreads twelve clients of two rooms over three nodes', function () {
    for (const node of [0, 1, 2])
      for (const room of ROOMS) expect(members.filter((m) => m.node === node && m.room === room)).to.have.length(2);
  });

  it('delivers a queue publish made on any node to every member of its room on every node, once', async function () {
    for (const [n, nodeIndex, room] of [
      [1, 0, 'alpha'],
      [2, 1, 'beta'],
      [3, 2, 'alpha'],
    ] as const) {
      const response = await (nodes[nodeIndex] as GatewayNode).publish(room, { data: { n } });
      expect(response.status).to.equal(202);
      await expectDelivered(members, inRoom(room), n);
    }
  });

  it("delivers a client's sendMessage to its room on every node, once", async function () {
    const sender = members.find((m) => m.node === 2 && m.room === 'beta') as Member;
    sender.client.send({ action: 'sendMessage', data: { n: 10 } });
    await expectDelivered(members, inRoom('beta'), 10);
    const other = members.find((m) => m.node === 0 && m.room === 'alpha') as Member;
    other.client.send({ action: 'sendMessage', data: { n: 11 } });
    await expectDelivered(members, inRoom('alpha'), 11);
  });

  it('answers @connections on any node for a connection another node holds, and 410 GoneException for unknown ids', async function () {
    const held = members.find((m) => m.node === 1) as Member;
    const asked = nodes[0] as GatewayNode;
    const posted = await asked.connections('POST', held.connectionId, JSON.stringify({ n: 20, direct: true }));
    expect(posted.status).to.equal(200);
    expect(await held.client.next((m) => m['n'] === 20)).to.deep.equal({ n: 20, direct: true });

    const described = await asked.connections('GET', held.connectionId);
    expect(described.status).to.equal(200);
    const info = (await described.json()) as { connectedAt: string; identity: { sourceIp: string }; lastActiveAt: string };
    expect(Date.parse(info.connectedAt)).to.be.a('number').and.not.NaN;
    expect(info.identity.sourceIp).to.equal('127.0.0.1');

    const unknown = await asked.connections('POST', 'bm90LWEtY29ubmVjdGlvbg=', 'x');
    expect(unknown.status).to.equal(410);
    expect(unknown.headers.get('x-amzn-errortype')).to.equal('GoneException');
    expect((await asked.connections('GET', 'bm90LWEtY29ubmVjdGlvbg=')).status).to.equal(410);

    const doomed = members.find((m) => m.node === 2 && m.room === 'alpha') as Member;
    const deleted = await asked.connections('DELETE', doomed.connectionId);
    expect(deleted.status).to.equal(204);
    expect((await doomed.client.closed).code).to.equal(1000);
    members = members.filter((m) => m !== doomed);
    await eventually(async () => (await asked.connections('GET', doomed.connectionId)).status === 410, 5_000, 'closed connection is gone');
  });

  it('forgets a SIGKILLed node within HERMES_NODE_TTL_SECONDS, and the other nodes keep delivering', async function () {
    await inspect.connect().catch(() => undefined);
    const dead = nodes[2] as GatewayNode;
    const ghosts = members.filter((m) => m.node === 2);
    expect(ghosts.length).to.be.greaterThan(0);
    const killedAt = Date.now();
    process.kill(dead.process.pid as number, 'SIGKILL');
    await dead.process.exited;
    const roomIds = async (room: string): Promise<string[]> =>
      (await inspect.zrange(keys.room(room), '-', '+', 'BYLEX')).map((member) => (JSON.parse(member) as string[])[0] as string);
    await eventually(
      async () => {
        const listed = [...(await roomIds('alpha')), ...(await roomIds('beta'))];
        return ghosts.every((ghost) => !listed.includes(ghost.connectionId));
      },
      NODE_TTL_SECONDS * 1000 + 3_000,
      "the dead node's connections leave the rooms",
    );
    // Within the TTL, plus what it takes this test to look (a loaded machine polls Redis slowly).
    expect(Date.now() - killedAt).to.be.at.most(NODE_TTL_SECONDS * 1000 + 1_000);
    for (const ghost of ghosts) expect((await (nodes[0] as GatewayNode).connections('GET', ghost.connectionId)).status).to.equal(410);
    members = members.filter((m) => m.node !== 2);
    nodes = nodes.slice(0, 2);

    const response = await (nodes[1] as GatewayNode).publish('beta', { data: { n: 30 } });
    expect(response.status).to.equal(202);
    await expectDelivered(members, inRoom('beta'), 30);
  });

  it('keeps its sockets while Redis is down (503 for publishes and new connections) and delivers again once it is back', async function () {
    await redis.kill();
    const node = nodes[0] as GatewayNode;
    await eventually(async () => (await node.publish('alpha', { data: { n: 40 } })).status === 503, 5_000, 'publish refused with 503');
    const refused = await TestClient.open(`${node.websocketUrl}?token=whatever`).then(
      () => 0,
      (error: unknown) => (error instanceof UpgradeRefused ? error.status : -1),
    );
    expect(refused).to.equal(503);
    for (const member of members) expect(member.client.socket.readyState).to.equal(member.client.socket.OPEN);
    const refusedPublish = await node.publish('alpha', { data: { n: 43 } });
    expect(((await refusedPublish.json()) as { error: { code: string } }).error.code).to.equal('REDIS_UNAVAILABLE');
    const sender = members.find((m) => m.node === 0) as Member;
    sender.client.send({ action: 'sendMessage', data: { n: 44 } });
    const frame = await sender.client.next((m) => m['error'] !== undefined, 5_000);
    expect((frame['error'] as { code: string }).code).to.equal('REDIS_UNAVAILABLE');

    // A restarted Redis without its data: the nodes write their connections again.
    await redis.start();
    let accepted = false;
    await eventually(
      async () => {
        accepted = (await node.publish('alpha', { data: { n: 41 } })).status === 202;
        return accepted;
      },
      10_000,
      'publish accepted again',
    );
    await eventually(
      async () => (await inspect.zcard(keys.room('alpha').toString())) >= inRoom('alpha').length,
      10_000,
      'connections written again',
    );
    const response = await (nodes[1] as GatewayNode).publish('alpha', { data: { n: 42 } });
    expect(response.status).to.equal(202);
    await expectDelivered(members, inRoom('alpha'), 42);
    const logs = node.process.outputTail();
    expect(logs.match(/"message":"redis unavailable/g) ?? []).to.have.length(1);
  });
});
