import { expect } from 'chai';
import { eventDomainName } from '../../../src/entrypoints/standalone/websocket/eventFactory.js';
import { routeSelector } from '../../../src/entrypoints/standalone/websocket/routeSelection.js';
import { TokenBucket } from '../../../src/entrypoints/standalone/websocket/TokenBucket.js';

describe('API Gateway shapes of the local gateway', () => {
  // requestContext.domainName is the API's host name (abcdef123.execute-api.us-east-1.amazonaws.com): no
  // port on the standard ones. https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
  it('leaves a standard port out of domainName, keeps any other', () => {
    expect(eventDomainName('chat.example.com:443')).to.equal('chat.example.com');
    expect(eventDomainName('chat.example.com:80')).to.equal('chat.example.com');
    expect(eventDomainName('127.0.0.1:3001')).to.equal('127.0.0.1:3001');
    expect(eventDomainName('127.0.0.1:4430')).to.equal('127.0.0.1:4430');
  });

  // https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html
  it('selects the route key at the expression path of a JSON body, a string only', () => {
    const byAction = routeSelector('$request.body.action');
    expect(byAction('{"action":"sendMessage"}')).to.equal('sendMessage');
    expect(byAction('{"action":3}')).to.equal(undefined);
    expect(byAction('not json')).to.equal(undefined);
    const nested = routeSelector('$request.body.meta.kind');
    expect(nested('{"meta":{"kind":"join"}}')).to.equal('join');
    expect(nested('{"meta":"join"}')).to.equal(undefined);
    expect(() => routeSelector('${request.body.action}')).to.throw(/route selection expression/);
  });

  it('throttles with a token bucket: burst at once, then the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    const taken = Array.from({ length: 7 }, () => bucket.take());
    expect(taken.filter(Boolean)).to.have.length(5);
    now += 100; // 0.1 s at 10/s: one more token
    expect(bucket.take()).to.equal(true);
    expect(bucket.take()).to.equal(false);
  });
});
