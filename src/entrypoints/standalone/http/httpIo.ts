import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonObject, type JsonValue } from '../../../domain/shared/Json.js';
import { HttpError } from './HttpError.js';
import { UnsupportedMediaTypeError } from './UnsupportedMediaTypeError.js';

/** Requests larger than this are refused before they are read whole (413). */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

/** The raw body, whatever its type (the `@connections` API takes any bytes), refused with 413 beyond `limit` bytes. */
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

/**
 * True for `application/json`, with or without parameters, when a charset, if given, is UTF-8
 * (the only encoding JSON allows between systems, RFC 8259 §8.1).
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [type = '', ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return parameters.every((parameter) => {
    const [name, value = ''] = parameter.split('=').map((part) => part.trim());
    return name !== 'charset' || value.replace(/^"|"$/g, '') === 'utf-8';
  });
}

/** The raw body of a JSON endpoint: refused with 415 unless it is sent as `application/json`, before it is read. */
export async function readJsonBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  const contentType = req.headers['content-type'];
  if (!isJsonContentType(contentType)) throw new UnsupportedMediaTypeError(contentType);
  return readBody(req, limit);
}

/** The body as a JSON object: 415 unless sent as `application/json`, 400 unless it is a JSON object. */
export async function readJsonObject(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<{ [key: string]: JsonValue }> {
  const raw = await readJsonBody(req, limit);
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
