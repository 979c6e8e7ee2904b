import { PortApiError } from './PortApiError.js';

/**
 * No access token could be obtained with the configured credentials (or a fresh one was refused).
 * Retryable on purpose: runs wait (uncommitted) while an operator fixes PORT_CLIENT_ID /
 * PORT_CLIENT_SECRET, instead of being lost; every attempt logs this error.
 */
export class PortAuthenticationError extends PortApiError {
  readonly code = 'PORT_AUTH_FAILED';
  readonly retryable = true;

  constructor(status: number | undefined, detail: string) {
    super(`Port did not issue an access token: ${detail} (check PORT_CLIENT_ID and PORT_CLIENT_SECRET)`, 'get an access token', status);
  }
}
