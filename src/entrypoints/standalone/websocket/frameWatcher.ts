import type { Duplex } from 'node:stream';

/** Told about the frames a client sends. */
export interface FrameListener {
  /** Any frame (data, ping, pong, close): the connection is active. */
  onClientFrame(): void;
  /** A frame whose payload is over the limit; the watcher stops watching. */
  onOversizeFrame(frameBytes: number): void;
}

const watchers = new WeakMap<Duplex, FrameWatcher>();

/** One `data` listener shared by every socket (no closure per connection); it finds the socket's watcher. */
function onSocketData(this: Duplex, chunk: Buffer): void {
  watchers.get(this)?.consume(chunk, this);
}

/**
 * Reads the frame headers of a client's raw bytes: reports activity, and the first frame whose
 * payload is larger than `maxFrameBytes` (API Gateway's 32 KB frame limit; `ws` only limits whole
 * messages). It runs before `ws`'s own listener, so an oversize frame is never handled, and keeps
 * a few numbers per connection.
 */
export class FrameWatcher {
  /** Header bytes seen of the current frame (0 while inside a payload). */
  private headerSeen = 0;
  private headerLength = 2;
  /** 7-bit payload length code of the current header. */
  private lengthCode = 0;
  /** Extended payload length, accumulated byte by byte. */
  private extended = 0;
  private payloadLeft = 0;

  private constructor(
    private readonly maxFrameBytes: number,
    private readonly listener: FrameListener,
  ) {}

  /** Starts watching `socket`: call before `ws` reads from it (the listener is prepended). */
  static watch(socket: Duplex, maxFrameBytes: number, listener: FrameListener): void {
    watchers.set(socket, new FrameWatcher(maxFrameBytes, listener));
    socket.prependListener('data', onSocketData);
  }

  consume(chunk: Buffer, socket: Duplex): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.payloadLeft > 0) {
        const skipped = Math.min(this.payloadLeft, chunk.length - offset);
        this.payloadLeft -= skipped;
        offset += skipped;
        continue;
      }
      const byte = chunk[offset++] as number;
      this.headerSeen += 1;
      const extendedBytes = this.lengthCode === 126 ? 2 : this.lengthCode === 127 ? 8 : 0;
      if (this.headerSeen === 2) {
        this.lengthCode = byte & 0x7f;
        this.headerLength = 2 + (this.lengthCode === 126 ? 2 : this.lengthCode === 127 ? 8 : 0) + (byte & 0x80 ? 4 : 0);
        this.extended = 0;
      } else if (this.headerSeen > 2 && this.headerSeen <= 2 + extendedBytes) {
        this.extended = this.extended * 256 + byte;
      }
      if (this.headerSeen < this.headerLength) continue;
      const length = this.lengthCode < 126 ? this.lengthCode : this.extended;
      this.headerSeen = 0;
      this.lengthCode = 0;
      if (length > this.maxFrameBytes) {
        socket.removeListener('data', onSocketData);
        watchers.delete(socket);
        this.listener.onOversizeFrame(length);
        return;
      }
      this.listener.onClientFrame();
      this.payloadLeft = length;
    }
  }
}
