/** Route keys of the WebSocket API (route selection expression `$request.body.action`). */
export const ROUTE_KEYS = {
  connect: '$connect',
  disconnect: '$disconnect',
  default: '$default',
  sendMessage: 'sendMessage',
  resume: 'resume',
  presence: 'presence',
} as const;

/** The `action` values a client may send; anything else goes to `$default`. */
export const KNOWN_ACTIONS: readonly string[] = [ROUTE_KEYS.sendMessage, ROUTE_KEYS.resume, ROUTE_KEYS.presence];
