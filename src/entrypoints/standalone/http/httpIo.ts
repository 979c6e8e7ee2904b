import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonObject, type JsonValue } from '../../../domain/shared/Json.js';
import { HttpError } from './HttpError.js';

/** Requests larger than this are refused before they are read whole (413). */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

/** The raw body, refused with 413 beyond `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `the request body is larger than ${limit} bytes`);
}

/** The body as a JSON object (400 otherwise). */
export async function readJsonObject(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<{ [key: string]: JsonValue }> {
  const raw = await readBody(req, limit);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'MALFORMED_REQUEST', 'the request body is not JSON');
  }
  if (!isJsonObject(parsed)) throw new HttpError(400, 'MALFORMED_REQUEST', 'the request body must be a JSON object');
  return parsed;
}

/** Writes a JSON answer; headers whose value is undefined are left out. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string | undefined>> = {},
): void {
  const text = JSON.stringify(body);
  const extra = Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...extra,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  });
  res.end(body);
}
