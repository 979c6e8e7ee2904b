/**
 * The runs whose "received" line Port already has, so a run retried after a transient failure (Port
 * down, a deferred report) posts it once, not on every attempt. Bounded (oldest forgotten first):
 * after a restart, or for a very old run, the line may be posted once more.
 */
export class ReceivedRunLog {
  private readonly delivered = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  has(runId: string): boolean {
    return this.delivered.has(runId);
  }

  remember(runId: string): void {
    this.delivered.add(runId);
    if (this.delivered.size > this.capacity) {
      const oldest = this.delivered.values().next().value;
      if (oldest !== undefined) this.delivered.delete(oldest);
    }
  }
}
