import { createHmac } from 'node:crypto';
import { TEST_JWT_SECRET } from './notificationCore.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** Signs `header.payload` as HS512 with the test secret, so only the content is wrong, not the signature. */
function signed(header: string, payload: string): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha512', TEST_JWT_SECRET).update(input).digest('base64url')}`;
}

const CLAIMS = JSON.stringify({ user_id: 'alice', room_id: 'acme', token: 'f'.repeat(64), exp: 4_102_444_800 });

/**
 * Tokens that are not JWTs hermes could ever issue, each a different way to trip a parser: every
 * one must be a Deny (403), never a 500. All stay under the 4 KB token limit so they reach the verifier.
 */
export const MALFORMED_TOKENS: ReadonlyArray<readonly [string, string]> = [
  ['a valid-looking HS512 header (typ JWT) over a payload that is not JSON', signed('{"alg":"HS512","typ":"JWT"}', 'not json {')],
  ['a payload that is a JSON string', signed('{"alg":"HS512","typ":"JWT"}', '"alice"')],
  ['a header that is not JSON', signed('{alg:HS512', CLAIMS)],
  ['parts that are not base64url', '!!!.@@@.###'],
  ['two parts', `${b64('{"alg":"HS512","typ":"JWT"}')}.${b64(CLAIMS)}`],
  ['four parts', `${signed('{"alg":"HS512","typ":"JWT"}', CLAIMS)}.extra`],
  [
    'a huge header (3 KB) over a payload that is not JSON',
    signed(JSON.stringify({ alg: 'HS512', typ: 'JWT', kid: 'k'.repeat(2_900) }), '['),
  ],
  ['a huge header (3 KB) of base64 garbage', `${'A'.repeat(3_000)}.${b64(CLAIMS)}.c2ln`],
  ['a header without alg', signed('{"typ":"JWT"}', CLAIMS)],
  ['empty parts', '..'],
];
