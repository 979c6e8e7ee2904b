import type { Command, CommandIo } from '../Command.js';
import { parseOptions, required } from './args.js';
import { gatewayTarget, postJson } from './gatewayHttp.js';

const USAGE = `Usage: hermes token --user USER --room ROOM [--url URL] [--stage STAGE] [--admin-key KEY] [--json]

Issues a connection token from a running gateway (POST /{stage}/tokens) and prints it, so that
  wscat -c "ws://127.0.0.1:3001/local?token=$(hermes token --user alice --room lobby)"
connects alice to the room lobby.

Options:
  --user USER      the user the token is for (required)
  --room ROOM      the room it opens (required)
  --url URL        the gateway, default http://$HERMES_HOST:$HERMES_PORT (http://127.0.0.1:3001)
  --stage STAGE    default $HERMES_STAGE, else local
  --admin-key KEY  default $HERMES_ADMIN_KEY
  --json           print the whole answer (token, expires_at, websocket_url)`;

export const tokenCommand: Command = {
  name: 'token',
  summary: 'Issue a connection token from a running gateway',
  usage: USAGE,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    const flags = parseOptions(argv, {
      user: { type: 'string' },
      room: { type: 'string' },
      url: { type: 'string' },
      stage: { type: 'string' },
      'admin-key': { type: 'string' },
      json: { type: 'boolean' },
    });
    const user = required(flags.user, '--user');
    const room = required(flags.room, '--room');
    const answer = await postJson(gatewayTarget(flags, io.env), '/tokens', { user_id: user, room_id: room });
    io.stdout(flags.json ? `${JSON.stringify(answer, null, 2)}\n` : `${String(answer['token'])}\n`);
    return 0;
  },
};
