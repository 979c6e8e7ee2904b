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

/** Every run message of test/fixtures/port, with the outcome it must have (README.md there says where each comes from). */
export const PORT_FIXTURES: readonly PortFixture[] = [
  {
    file: 'port-docs-guide-v1-message.json',
    runId: 'run_q2mGf9ZYkFRnZJjB',
    outcome: { kind: 'reported', status: 'SUCCESS', action: 'create_vm' },
  },
  {
    file: 'port-docs-guide-v2-rendered.json',
    runId: 'r_GuideV2Tmpl0001',
    outcome: { kind: 'reported', status: 'SUCCESS', action: 'create_vm' },
  },
  {
    file: 'port-docs-guide-v2-trigger-data.json',
    runId: 'r_GuideV2Tmpl0001',
    outcome: { kind: 'reported', status: 'SUCCESS', action: 'vm_create_vm' },
  },
  {
    file: 'port-docs-trigger-data-create-vm.json',
    runId: 'r_TriggerData0001',
    outcome: { kind: 'reported', status: 'SUCCESS', action: 'create_vm' },
  },
  {
    file: 'port-docs-custom-payload-rendered.json',
    runId: 'r_CustomPayload01',
    outcome: { kind: 'skipped', reason: 'no-action-identifier', info: NOT_FOR_RUNNER },
  },
  {
    file: 'port-docs-custom-payload-trigger-data.json',
    runId: 'r_CustomPayload01',
    outcome: { kind: 'skipped', reason: 'unknown-action', info: NO_HANDLER },
  },
  {
    file: 'port-agent-webhook-run-message.json',
    runId: 'r_jE5FhDURh4Uen2Qr',
    outcome: { kind: 'skipped', reason: 'webhook-agent-run', info: NOT_FOR_RUNNER },
  },
  {
    file: 'port-agent-change-log-message.json',
    runId: 'r_jE5FhDURh4Uen2Qr',
    outcome: { kind: 'skipped', reason: 'change-log', info: NOT_FOR_RUNNER },
  },
  {
    file: 'port-agent-wf-node-run-message.json',
    runId: 'wfnr_abc123',
    outcome: { kind: 'skipped', reason: 'workflow-node-run', info: NOT_FOR_RUNNER },
  },
  { file: 'port-agent-polling-run-body.json', runId: 'run_123', outcome: { kind: 'skipped', reason: 'unknown-action', info: NO_HANDLER } },
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
