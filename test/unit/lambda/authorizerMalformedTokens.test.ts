import { expect } from 'chai';
import { SHARED_TOKENS } from '../../../src/application/shared/tokens.js';
import { createAuthorizerHandler } from '../../../src/entrypoints/lambda/handlers/authorizer.js';
import { handlerDeps } from '../../support/handlerDeps.js';
import { MALFORMED_TOKENS } from '../../support/malformedTokens.js';
import { notificationCore } from '../../support/notificationCore.js';
import { RecordingLogger } from '../../support/RecordingLogger.js';
import { authorizerEvent, METHOD_ARN } from './events.js';

describe('authorizer handler: malformed tokens (issue 10, point 6)', () => {
  for (const [name, token] of MALFORMED_TOKENS) {
    it(`denies ${name}, logging at most at info`, async () => {
      const logger = new RecordingLogger();
      const core = notificationCore({}, [[SHARED_TOKENS.Logger, logger]]);
      const result = await createAuthorizerHandler(handlerDeps(core.container))(authorizerEvent(token));
      expect(result.policyDocument.Statement).to.deep.equal([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: METHOD_ARN }]);
      expect(logger.problems).to.deep.equal([]);
      expect(logger.lines.map((line) => line.message)).to.include('connection denied');
    });
  }
});
