import { expect } from 'chai';
import { lambdaContainer } from '../../../src/entrypoints/lambda/shared/lambdaContainer.js';

describe('Lambda entry files', () => {
  const names = ['authorizer', 'connect', 'disconnect', 'sendMessage', 'default', 'queue'] as const;

  for (const name of names) {
    it(`src/entrypoints/lambda/${name}.ts exports a handler function`, async () => {
      const module = (await import(`../../../src/entrypoints/lambda/${name}.js`)) as { handler?: unknown };
      expect(module.handler).to.be.a('function');
    });
  }

  it('build one container per execution environment, shared by warm invocations', () => {
    expect(lambdaContainer()).to.equal(lambdaContainer());
  });
});
