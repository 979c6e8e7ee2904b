import type { ConnectionId } from './ConnectionId.js';
import type { RoomId } from './RoomId.js';
import type { UserId } from './UserId.js';

/** API Gateway closes every WebSocket connection after 2 hours, whatever happens. */
export const CONNECTION_HARD_LIMIT_MS = 2 * 60 * 60 * 1000;

export interface ConnectionProps {
  readonly connectionId: ConnectionId;
  readonly roomId: RoomId;
  readonly userId: UserId;
  readonly connectedAt: Date;
  readonly expiresAt: Date;
}

/** A live WebSocket connection of one user to one room. */
export class Connection implements ConnectionProps {
  readonly connectionId: ConnectionId;
  readonly roomId: RoomId;
  readonly userId: UserId;
  readonly connectedAt: Date;
  readonly expiresAt: Date;

  constructor(props: ConnectionProps) {
    this.connectionId = props.connectionId;
    this.roomId = props.roomId;
    this.userId = props.userId;
    this.connectedAt = new Date(props.connectedAt.getTime());
    this.expiresAt = new Date(props.expiresAt.getTime());
  }

  /** A connection that opened now; it cannot outlive the gateway's hard limit. */
  static open(props: Omit<ConnectionProps, 'expiresAt'>, lifetimeMs = CONNECTION_HARD_LIMIT_MS): Connection {
    return new Connection({ ...props, expiresAt: new Date(props.connectedAt.getTime() + lifetimeMs) });
  }

  isExpiredAt(now: Date): boolean {
    return now.getTime() >= this.expiresAt.getTime();
  }
}
