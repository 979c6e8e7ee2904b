import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { validateLambdaEvent } from '../../../src/entrypoints/lambda/shared/eventSchemas.js';

const sample = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../events/${name}.json`, import.meta.url), 'utf8'));

describe('Lambda event schemas (hermes invoke DryRun)', () => {
  it("checks SQS events with Powertools' SqsSchema", () => {
    expect(validateLambdaEvent('queue', sample('queue'))).to.deep.equal({ valid: true });
    const result = validateLambdaEvent('queue', { Records: [{ body: '{}' }] });
    expect(result.valid).to.equal(false);
    expect(result.valid ? [] : result.problems.join('\n')).to.include('Records.0.messageId');
  });

  it("checks Kafka events with Powertools' self-managed (or MSK) Kafka schema", () => {
    expect(validateLambdaEvent('action-runner', sample('action-runner'))).to.deep.equal({ valid: true });
    expect(validateLambdaEvent('action-runner', { eventSource: 'aws:sqs', records: {} }).valid).to.equal(false);
  });

  it('keeps the WebSocket checks hermes relies on (route key, authorizer context)', () => {
    expect(validateLambdaEvent('connect', sample('connect'))).to.deep.equal({ valid: true });
    const event = sample('connect') as { requestContext: Record<string, unknown> };
    const result = validateLambdaEvent('connect', { ...event, requestContext: { ...event.requestContext, authorizer: undefined } });
    expect(result.valid).to.equal(false);
  });
});
