import { expect } from 'chai';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { accountOfQueueUrl, QueueUrlResolver, QueueUrlUnavailableError } from '../../../../src/adapters/aws/QueueUrlResolver.js';

const URL_OF_QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/hermes-notifications';

function clientAnswering(...answers: Array<{ QueueUrl?: string } | Error>): { client: Pick<SQSClient, 'send'>; calls: () => number } {
  let calls = 0;
  const client = {
    send: async () => {
      const answer = answers[Math.min(calls, answers.length - 1)];
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as Pick<SQSClient, 'send'>;
  return { client, calls: () => calls };
}

describe('QueueUrlResolver (the one queue-URL cache)', () => {
  it('uses the configured URL without calling SQS', async () => {
    const { client, calls } = clientAnswering({ QueueUrl: 'other' });
    const resolver = new QueueUrlResolver(client, { url: URL_OF_QUEUE, name: 'hermes-notifications' });
    expect(await resolver.resolve()).to.equal(URL_OF_QUEUE);
    expect(calls()).to.equal(0);
  });

  it('looks a name up once, concurrent first calls sharing the lookup', async () => {
    const { client, calls } = clientAnswering({ QueueUrl: URL_OF_QUEUE });
    const resolver = new QueueUrlResolver(client, { name: 'hermes-notifications' });
    expect(resolver.known).to.equal(undefined);
    expect(await Promise.all([resolver.resolve(), resolver.resolve()])).to.deep.equal([URL_OF_QUEUE, URL_OF_QUEUE]);
    expect(await resolver.resolve()).to.equal(URL_OF_QUEUE);
    expect(resolver.known).to.equal(URL_OF_QUEUE);
    expect(calls()).to.equal(1);
  });

  it('does not remember a failed lookup', async () => {
    const { client, calls } = clientAnswering(new Error('unreachable'), {}, { QueueUrl: URL_OF_QUEUE });
    const resolver = new QueueUrlResolver(client, { name: 'hermes-notifications' });
    expect(await resolver.resolve().catch((error: unknown) => error)).to.have.property('message', 'unreachable');
    expect(await resolver.resolve().catch((error: unknown) => error)).to.be.instanceOf(QueueUrlUnavailableError);
    expect(await resolver.resolve()).to.equal(URL_OF_QUEUE);
    expect(calls()).to.equal(3);
  });

  it('reads the account of a queue URL, and nothing (no throw) from an unparsable one', () => {
    expect(accountOfQueueUrl(URL_OF_QUEUE)).to.equal('123456789012');
    expect(accountOfQueueUrl('not a url')).to.equal(undefined);
    expect(accountOfQueueUrl(undefined)).to.equal(undefined);
  });
});
