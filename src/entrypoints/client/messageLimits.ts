/** The gateway's size limits; API Gateway's are a 32 KB frame and a 128 KB message, and it closes with 1009 beyond them. */
export interface MessageLimits {
  readonly maxFrameBytes?: number;
  readonly maxMessageBytes?: number;
}

/**
 * The largest message (JSON text, in UTF-8 bytes) the gateway takes from a client. The WebSocket API
 * gives no control over framing, and browsers send a message over 32 KB in frames over 32 KB
 * (Chromium: a 33 KB message is closed with 1009), so the frame limit bounds the message too.
 * Infinite without limits.
 */
export function maxSendableBytes(limits: MessageLimits | undefined): number {
  return Math.min(limits?.maxFrameBytes ?? Number.POSITIVE_INFINITY, limits?.maxMessageBytes ?? Number.POSITIVE_INFINITY);
}

/** `512 bytes`, `32 KB`, `39.1 KB`. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 ? `${Math.round((bytes / 1024) * 10) / 10} KB` : `${bytes} bytes`;
}
