import { expect } from 'chai';
import type { FakePortApi } from './fakePortApi.js';
import { type PortFixture, uniqueRunId } from './portFixtures.js';
import type { RecordingLogger } from './RecordingLogger.js';

/** The run ids of the fixtures that must be reported (with `suffix`). */
export function reportedRunIds(fixtures: readonly PortFixture[], suffix: string): string[] {
  return fixtures.filter((fixture) => fixture.outcome.kind === 'reported').map((fixture) => uniqueRunId(fixture, suffix));
}

/** The run ids of the fixtures that must be skipped (with `suffix`). */
export function skippedRunIds(fixtures: readonly PortFixture[], suffix: string): string[] {
  return fixtures.filter((fixture) => fixture.outcome.kind === 'skipped').map((fixture) => uniqueRunId(fixture, suffix));
}

/**
 * Checks each fixture's outcome: reported ones have their final status in Port once, with one
 * handler run (the "received" line and the handler's one line); skipped ones never reached Port
 * and left exactly one info line naming why. No message caused a warning.
 */
export function expectFixtureOutcomes(fixtures: readonly PortFixture[], suffix: string, fake: FakePortApi, logger: RecordingLogger): void {
  for (const fixture of fixtures) {
    const runId = uniqueRunId(fixture, suffix);
    const { outcome } = fixture;
    if (outcome.kind === 'reported') {
      const run = fake.runs.get(runId);
      expect(run?.status, `${fixture.file}: final status`).to.equal(outcome.status);
      expect(run?.patches, `${fixture.file}: one final status`).to.equal(1);
      expect(run?.logs, `${fixture.file}: handler run once`).to.have.length(2);
    } else {
      expect(fake.runs.has(runId), `${fixture.file}: never reported`).to.equal(false);
      const lines = logger.lines.filter((line) => line.attributes['runId'] === runId && line.message === outcome.info);
      expect(lines, `${fixture.file}: one info line`).to.have.length(1);
      expect(lines[0]?.level).to.equal('info');
      if (outcome.reason !== 'unknown-action') expect(lines[0]?.attributes['kind'], `${fixture.file}: kind`).to.equal(outcome.reason);
    }
  }
  expect(logger.problems, 'no warning nor error').to.deep.equal([]);
}
