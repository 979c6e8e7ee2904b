import { expect } from 'chai';

describe('Lambda entry files', () => {
  const names = ['authorizer', 'connect', 'disconnect', 'sendMessage', 'default', 'queue'] as const;

  for (const name of names) {
    it(`src/entrypoints/lambda/${name}.ts exports a handler function`, async () => {
      const module = (await import(`../../../src/entrypoints/lambda/${name}.js`)) as { handler?: unknown };
      expect(module.handler).to.be.a('function');
    });
  }

  it('compose once per execution environment (module scope), shared by warm invocations', async () => {
    const first = (await import('../../../src/entrypoints/lambda/connect.js')) as { handler: unknown };
    const second = (await import('../../../src/entrypoints/lambda/connect.js')) as { handler: unknown };
    expect(first.handler).to.equal(second.handler);
  });
});
