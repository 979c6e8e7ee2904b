import { HttpError } from './HttpError.js';

/**
 * A JSON endpoint received a body that does not say it is JSON (415). Requiring
 * `Content-Type: application/json` is what keeps a cross-site HTML form, which can only send
 * `application/x-www-form-urlencoded`, `multipart/form-data` or `text/plain` without a CORS
 * preflight, from reaching the keyless demo token endpoint.
 */
export class UnsupportedMediaTypeError extends HttpError {
  constructor(received: string | undefined) {
    super(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `send the body as JSON with Content-Type: application/json (got ${received === undefined ? 'no Content-Type' : `"${received.slice(0, 100)}"`})`,
      { 'accept-post': 'application/json' },
    );
  }
}
