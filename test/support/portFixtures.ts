import { readFileSync } from 'node:fs';
import type { ForeignRunMessageKind } from '../../src/domain/runs/RunMessageNotForRunnerError.js';

/** What a fixture must end in: a final status reported once, or a skip with one info line. */
export type FixtureOutcome =
  | { readonly kind: 'reported'; readonly status: 'SUCCESS' | 'FAILURE'; readonly action: string }
  | { readonly kind: 'skipped'; readonly reason: ForeignRunMessageKind | 'unknown-action'; readonly info: string };

export interface PortFixture {
  readonly file: string;
  /** The run id in the message, when it has one. */
  readonly runId?: string;
  readonly outcome: FixtureOutcome;
}

const NOT_FOR_RUNNER = 'Skipped a Port message that is not an action run for this runner';
const NO_HANDLER = 'Ignored a run of an action this runner has no handler for (another runner may own it)';

/** A fixture the runner handles: it reports SUCCESS once for `action`. */
const reported = (file: string, runId: string, action: string): PortFixture => ({
  file,
  runId,
  outcome: { kind: 'reported', status: 'SUCCESS', action },
});

/** A fixture the runner skips, with the info line its reason calls for. */
const skipped = (file: string, runId: string, reason: ForeignRunMessageKind | 'unknown-action'): PortFixture => ({
  file,
  runId,
  outcome: { kind: 'skipped', reason, info: reason === 'unknown-action' ? NO_HANDLER : NOT_FOR_RUNNER },
});

/** Every run message of test/fixtures/port, with the outcome it must have (README.md there says where each comes from). */
export const PORT_FIXTURES: readonly PortFixture[] = [
  reported('port-docs-guide-v1-message.json', 'run_q2mGf9ZYkFRnZJjB', 'create_vm'),
  reported('port-docs-guide-v2-rendered.json', 'r_GuideV2Tmpl0001', 'create_vm'),
  reported('port-docs-guide-v2-trigger-data.json', 'r_GuideV2Tmpl0001', 'vm_create_vm'),
  reported('port-docs-trigger-data-create-vm.json', 'r_TriggerData0001', 'create_vm'),
  skipped('port-docs-custom-payload-rendered.json', 'r_CustomPayload01', 'no-action-identifier'),
  skipped('port-docs-custom-payload-trigger-data.json', 'r_CustomPayload01', 'unknown-action'),
  skipped('port-agent-webhook-run-message.json', 'r_jE5FhDURh4Uen2Qr', 'webhook-agent-run'),
  skipped('port-agent-change-log-message.json', 'r_jE5FhDURh4Uen2Qr', 'change-log'),
  skipped('port-agent-wf-node-run-message.json', 'wfnr_abc123', 'workflow-node-run'),
  skipped('port-agent-polling-run-body.json', 'run_123', 'unknown-action'),
];

const DIRECTORY = new URL('../fixtures/port/', import.meta.url);

/**
 * The fixture's text as Port sent it; with `suffix`, its run id made unique (every occurrence, so
 * several fixtures sharing a run id, or several test runs against one fake Port, stay apart).
 */
export function fixtureText(fixture: PortFixture, suffix?: string): string {
  const text = readFileSync(new URL(fixture.file, DIRECTORY), 'utf8');
  return suffix === undefined || fixture.runId === undefined ? text : text.split(fixture.runId).join(uniqueRunId(fixture, suffix));
}

/** The run id `fixtureText(fixture, suffix)` carries: unique per fixture (two of Port's share one). */
export function uniqueRunId(fixture: PortFixture, suffix: string): string {
  return `${fixture.runId ?? ''}${suffix}_${PORT_FIXTURES.indexOf(fixture)}`;
}
