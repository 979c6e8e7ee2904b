import { PermanentError } from '../../domain/shared/HermesError.js';

/** What provisioning did (or, in a dry run, would do) to one resource. */
export interface ProvisionStep {
  /** e.g. `table`, `index`, `ttl`, `queue`, `secret`. */
  readonly kind: string;
  readonly name: string;
  readonly action: 'create' | 'update' | 'none';
  /** False in a dry run, and for `none`. */
  readonly applied: boolean;
  /** Human-readable; never a secret value. */
  readonly detail?: string;
}

/** A resource exists in a shape provisioning must not change by itself (e.g. other key schema). */
export class ProvisionConflictError extends PermanentError {
  readonly code = 'PROVISION_CONFLICT';

  constructor(message: string) {
    super(message);
  }
}
