import type { PublishNotification } from '../../application/notifications/usecases/PublishNotification.js';
import type { RunStatusChange, RunStatusListener } from '../../application/runs/ports/RunStatusListener.js';

/**
 * The runner's status changes as `{type: "run"}` notifications to one room (`HERMES_RUNS_ROOM`,
 * default `port-<orgId>`): the bridge from the runs feature to the notifications feature, wired by
 * the composition root so that no use case of `runs` knows `notifications`.
 */
export class RunsRoomNotifier implements RunStatusListener {
  constructor(
    private readonly publish: PublishNotification,
    private readonly roomId: string,
  ) {}

  async runStatusChanged(change: RunStatusChange): Promise<void> {
    await this.publish.execute({
      roomId: this.roomId,
      type: 'run',
      data: {
        runId: change.runId,
        action: change.action,
        status: change.status,
        summary: change.outcome?.summary ?? null,
        link: change.outcome?.link?.[0] ?? null,
      },
    });
  }
}
