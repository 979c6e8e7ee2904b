import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { ApiGatewayConnectionNotifier } from '../../../src/adapters/aws/ApiGatewayConnectionNotifier.js';
import { ConnectionId } from '../../../src/domain/connection/ConnectionId.js';

interface Answer {
  readonly status: number;
  readonly errorType?: string;
}

/**
 * A stand-in `@connections` endpoint answering each POST with the next scripted status, so the
 * real SDK client (and its standard retry strategy) is what decides to retry.
 */
async function scriptedEndpoint(script: Answer[]): Promise<{ url: string; posts: () => number; close: () => Promise<void> }> {
  let posts = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      posts += 1;
      const answer = script.shift() ?? { status: 200 };
      if (answer.status === 200) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      res
        .writeHead(answer.status, {
          'content-type': 'application/json',
          ...(answer.errorType ? { 'x-amzn-errortype': answer.errorType } : {}),
        })
        .end(JSON.stringify({ message: `scripted ${answer.status}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/local`,
    posts: () => posts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const id = ConnectionId.of('L0SM9cOFvHcCIhw=');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('ApiGatewayConnectionNotifier on the SDK retry strategy', function () {
  this.timeout(10_000);

  it('has the SDK retry a throttled post (LimitExceededException 429, as Smithy classifies it) until it is delivered', async () => {
    const endpoint = await scriptedEndpoint([{ status: 429, errorType: 'LimitExceededException' }, { status: 200 }]);
    try {
      const notifier = new ApiGatewayConnectionNotifier({
        endpoint: { resolve: () => endpoint.url },
        clientSettings: { region: 'us-east-1', credentials },
      });
      expect(await notifier.send(id, '{}')).to.deep.equal({ status: 'delivered' });
      expect(endpoint.posts()).to.equal(2);
    } finally {
      await endpoint.close();
    }
  });

  it('gives up after maxAttempts throttled posts with a failed outcome naming the error (no own backoff budget)', async () => {
    const throttled = { status: 429, errorType: 'LimitExceededException' };
    const endpoint = await scriptedEndpoint([throttled, throttled, throttled]);
    try {
      const notifier = new ApiGatewayConnectionNotifier({
        endpoint: { resolve: () => endpoint.url },
        clientSettings: { region: 'us-east-1', credentials, maxAttempts: 2 },
        throttleRetry: { budgetMs: 0 },
      });
      const outcome = await notifier.send(id, '{}');
      expect(outcome.status).to.equal('failed');
      expect(outcome)
        .to.have.property('reason')
        .that.matches(/^LimitExceededException \(HTTP 429\)/);
      expect(endpoint.posts()).to.equal(2);
    } finally {
      await endpoint.close();
    }
  });

  it('backs off and posts again once the SDK has given up on a throttled post, within its budget', async () => {
    const throttled = { status: 429, errorType: 'LimitExceededException' };
    const endpoint = await scriptedEndpoint([throttled, throttled, throttled, throttled, { status: 200 }]);
    try {
      const notifier = new ApiGatewayConnectionNotifier({
        endpoint: { resolve: () => endpoint.url },
        clientSettings: { region: 'us-east-1', credentials, maxAttempts: 1 },
        throttleRetry: { budgetMs: 5_000, baseDelayMs: 10, maxDelayMs: 50 },
      });
      expect(await notifier.send(id, '{}')).to.deep.equal({ status: 'delivered' });
      expect(endpoint.posts()).to.equal(5);
    } finally {
      await endpoint.close();
    }
  });

  for (const [status, errorType, expected] of [
    [410, 'GoneException', { status: 'gone' }],
    [403, 'ForbiddenException', undefined],
  ] as const) {
    it(`does not retry ${errorType} (${status})`, async () => {
      const endpoint = await scriptedEndpoint([{ status, errorType }]);
      try {
        const notifier = new ApiGatewayConnectionNotifier({
          endpoint: { resolve: () => endpoint.url },
          clientSettings: { region: 'us-east-1', credentials },
        });
        const outcome = await notifier.send(id, '{}');
        if (expected) expect(outcome).to.deep.equal(expected);
        else expect(outcome.status).to.equal('failed');
        expect(endpoint.posts()).to.equal(1);
      } finally {
        await endpoint.close();
      }
    });
  }
});
