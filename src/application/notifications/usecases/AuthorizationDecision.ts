import type { RoomId } from '../../../domain/connection/RoomId.js';
import type { UserId } from '../../../domain/connection/UserId.js';
import type { TokenRejection } from '../ports/TokenVerifier.js';

export type DenyReason =
  'TOKEN_MISSING' | 'TOKEN_TOO_LONG' | TokenRejection | 'TOKEN_CLAIMS_INVALID' | 'GRANT_NOT_FOUND' | 'GRANT_EXPIRED' | 'TOKEN_MISMATCH';

export type AuthorizationDecision =
  | { readonly effect: 'Allow'; readonly principalId: string; readonly roomId: RoomId; readonly userId: UserId }
  | { readonly effect: 'Deny'; readonly reason: DenyReason };
