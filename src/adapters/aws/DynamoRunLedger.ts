import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunClaim, RunLedger } from '../../application/runs/ports/RunLedger.js';
import type { Clock } from '../../application/shared/ports/Clock.js';
import type { RunOutcome } from '../../domain/runs/RunOutcome.js';

export interface DynamoRunLedgerOptions {
  /** How long an item lives (TTL `expires_at`) after its last change. Default 14 days. */
  readonly retentionSeconds?: number;
}

interface LedgerItem {
  readonly run_id: string;
  readonly state?: 'claimed' | 'handled' | 'reported';
  readonly claim_id?: string;
  readonly lease_expires_at?: number;
  readonly outcome?: RunOutcome;
}

const CLAIM_ATTEMPTS = 3;

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error instanceof Error && error.name === 'ConditionalCheckFailedException');
}

/** Keeps only what was written by {@link DynamoRunLedger.markHandled}. */
function outcomeOf(raw: unknown): RunOutcome | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { status, statusLabel, summary, link, externalRunId } = raw as Record<string, unknown>;
  if (status !== 'SUCCESS' && status !== 'FAILURE') return undefined;
  return {
    status,
    ...(typeof statusLabel === 'string' && { statusLabel }),
    ...(typeof summary === 'string' && { summary }),
    ...(Array.isArray(link) && { link: link.filter((item): item is string => typeof item === 'string') }),
    ...(typeof externalRunId === 'string' && { externalRunId }),
  };
}

/**
 * The run ledger in a DynamoDB table keyed by `run_id` (TTL attribute `expires_at`). Every state
 * change is a single conditional write, so concurrent workers (Lambda instances, standalone
 * consumers) agree: one claim at a time, until its lease ends or it is released.
 *
 * Item: `run_id`, `state` (claimed | handled | reported), `claim_id`, `lease_expires_at` (epoch ms),
 * `outcome` (kept once handled), `attempts`, `updated_at`, `expires_at` (epoch s).
 */
export class DynamoRunLedger implements RunLedger {
  private readonly retentionSeconds: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
    options: DynamoRunLedgerOptions = {},
  ) {
    this.retentionSeconds = options.retentionSeconds ?? 14 * 24 * 3600;
  }

  async claim(runId: string, claimId: string, leaseMs: number): Promise<RunClaim> {
    for (let attempt = 1; ; attempt++) {
      const now = this.clock.now().getTime();
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { run_id: runId },
            UpdateExpression:
              'SET #state = :claimed, claim_id = :claimId, lease_expires_at = :leaseEnd, updated_at = :now, expires_at = :ttl ADD attempts :one',
            ConditionExpression: 'attribute_not_exists(run_id) OR (#state = :claimed AND lease_expires_at <= :nowMs)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':claimed': 'claimed',
              ':claimId': claimId,
              ':leaseEnd': now + leaseMs,
              ':now': new Date(now).toISOString(),
              ':nowMs': now,
              ':ttl': this.expiresAt(now),
              ':one': 1,
            },
          }),
        );
        return { kind: 'claimed' };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const item = await this.read(runId);
      if (item?.state === 'reported') return { kind: 'reported' };
      if (item?.state === 'handled') {
        const outcome = outcomeOf(item.outcome);
        if (outcome !== undefined) return { kind: 'handled', outcome };
      }
      if (item?.state === 'claimed' && item.lease_expires_at !== undefined && item.lease_expires_at > now) {
        return { kind: 'busy', leaseExpiresAt: new Date(item.lease_expires_at) };
      }
      // The item changed between the write and the read (released, or its lease just ended): try again.
      if (attempt >= CLAIM_ATTEMPTS) {
        return { kind: 'busy', leaseExpiresAt: new Date(item?.lease_expires_at ?? now) };
      }
    }
  }

  async markHandled(runId: string, _claimId: string, outcome: RunOutcome): Promise<void> {
    const now = this.clock.now().getTime();
    // A run already reported keeps that state.
    await this.sendUnlessConditionFails(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { run_id: runId },
        UpdateExpression:
          'SET #state = :handled, outcome = :outcome, updated_at = :now, expires_at = :ttl REMOVE claim_id, lease_expires_at',
        ConditionExpression: 'attribute_not_exists(#state) OR #state <> :reported',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':handled': 'handled',
          ':reported': 'reported',
          ':outcome': {
            status: outcome.status,
            ...(outcome.statusLabel !== undefined && { statusLabel: outcome.statusLabel }),
            ...(outcome.summary !== undefined && { summary: outcome.summary }),
            ...(outcome.link !== undefined && { link: [...outcome.link] }),
            ...(outcome.externalRunId !== undefined && { externalRunId: outcome.externalRunId }),
          },
          ':now': new Date(now).toISOString(),
          ':ttl': this.expiresAt(now),
        },
      }),
    );
  }

  async markReported(runId: string): Promise<void> {
    const now = this.clock.now().getTime();
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { run_id: runId },
        UpdateExpression: 'SET #state = :reported, updated_at = :now, expires_at = :ttl REMOVE claim_id, lease_expires_at',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':reported': 'reported', ':now': new Date(now).toISOString(), ':ttl': this.expiresAt(now) },
      }),
    );
  }

  async release(runId: string, claimId: string): Promise<void> {
    // Only this claim is released: a claim that moved on (lease taken over, run handled) stays.
    await this.sendUnlessConditionFails(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { run_id: runId },
        ConditionExpression: '#state = :claimed AND claim_id = :claimId',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':claimed': 'claimed', ':claimId': claimId },
      }),
    );
  }

  /** A conditional write whose condition failing means "nothing to do", not an error. */
  private async sendUnlessConditionFails(command: UpdateCommand | DeleteCommand): Promise<void> {
    try {
      await this.client.send(command);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  private async read(runId: string): Promise<LedgerItem | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { run_id: runId }, ConsistentRead: true }));
    return Item as LedgerItem | undefined;
  }

  private expiresAt(nowMs: number): number {
    return Math.ceil(nowMs / 1000) + this.retentionSeconds;
  }
}
