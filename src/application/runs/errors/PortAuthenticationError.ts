import { TransientError } from '../../../domain/shared/HermesError.js';
import { portCallOptions } from './portCallOptions.js';

/**
 * No access token could be obtained with the configured credentials (or a fresh one was refused).
 * Retryable on purpose: runs wait (uncommitted) while an operator fixes PORT_CLIENT_ID /
 * PORT_CLIENT_SECRET, instead of being lost; every attempt logs this error.
 */
export class PortAuthenticationError extends TransientError {
  readonly code = 'PORT_AUTH_FAILED';
  readonly operation = 'get an access token';

  /** `tokenUrl` is the token endpoint asked, without credentials (it follows `PORT_API_URL`). */
  constructor(
    readonly status: number | undefined,
    detail: string,
    readonly tokenUrl?: string,
  ) {
    super(
      `Port did not issue an access token${tokenUrl !== undefined ? ` at ${tokenUrl}` : ''}: ${detail} ` +
        '(check PORT_API_URL (the region: https://api.getport.io/v1 or https://api.us.getport.io/v1), PORT_CLIENT_ID and PORT_CLIENT_SECRET)',
      undefined,
      portCallOptions({ operation: 'get an access token', status }),
    );
  }
}
