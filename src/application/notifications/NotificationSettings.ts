import { CONNECTION_HARD_LIMIT_MS } from '../../domain/connection/Connection.js';

/** Tunables of the notification use cases, validated at the edge from configuration. */
export interface NotificationSettings {
  /** Lifetime of an issued connection token (JWT `exp`) and of its grant. */
  readonly tokenTtlSeconds: number;
  /** Tokens longer than this are denied before any parsing. */
  readonly maxTokenLength: number;
  /** Clock skew tolerated on `exp`/`nbf`. */
  readonly clockSkewSeconds: number;
  /** How long a connection may live (API Gateway: 2 h). */
  readonly connectionLifetimeSeconds: number;
  /** Parallel sends of one broadcast. */
  readonly broadcastConcurrency: number;
  /** Connections read per repository page during a broadcast. */
  readonly broadcastPageSize: number;
  /** `presence.join` / `presence.leave` to the room when a user's first connection opens / last closes (HERMES_PRESENCE_EVENTS). */
  readonly presenceEvents: boolean;
  /**
   * A connection reported gone this soon after its `connectedAt` is kept: its `$connect` may still be
   * running (API Gateway answers 410 until it completes; its integration timeout is 29 s).
   */
  readonly connectingGraceSeconds: number;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  tokenTtlSeconds: 3600,
  maxTokenLength: 4096,
  clockSkewSeconds: 30,
  connectionLifetimeSeconds: CONNECTION_HARD_LIMIT_MS / 1000,
  broadcastConcurrency: 64,
  broadcastPageSize: 500,
  presenceEvents: true,
  connectingGraceSeconds: 30,
};
