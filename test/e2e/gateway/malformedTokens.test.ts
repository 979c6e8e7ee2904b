import { expect } from 'chai';
import { SHARED_TOKENS } from '../../../src/application/shared/tokens.js';
import { MALFORMED_TOKENS } from '../../support/malformedTokens.js';
import { RecordingLogger } from '../../support/RecordingLogger.js';
import { refusalStatus, startTestGateway, type TestGateway } from './support/gatewayHarness.js';

describe('local gateway: malformed tokens on the upgrade (issue 10, point 6)', () => {
  let gw: TestGateway;
  const logger = new RecordingLogger();

  before(async () => {
    gw = await startTestGateway({ values: [[SHARED_TOKENS.Logger, logger]] });
  });
  after(() => gw.stop());

  for (const [name, token] of MALFORMED_TOKENS) {
    it(`answers 403 to ${name}, with no warn or error line`, async () => {
      const before = logger.lines.length;
      expect(await refusalStatus(`${gw.websocketUrl}?token=${encodeURIComponent(token)}`)).to.equal(403);
      expect(logger.lines.slice(before).filter((line) => line.level === 'warn' || line.level === 'error')).to.deep.equal([]);
    });
  }
});
