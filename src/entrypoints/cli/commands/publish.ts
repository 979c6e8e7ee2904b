import type { Command, CommandIo } from '../Command.js';
import { parseOptions, required } from './args.js';
import { gatewayTarget, postJson } from './gatewayHttp.js';

const USAGE = `Usage: hermes publish --room ROOM --data DATA [--type TYPE] [--user USER] [--url URL] [--stage STAGE] [--admin-key KEY]

Publishes a notification to every connection of a room of a running gateway
(POST /{stage}/rooms/{room}/messages), as a backend would.

Options:
  --room ROOM      the room (required)
  --data DATA      the payload (required): JSON such as '{"type":"info","data":"Backup done"}',
                   or any other text, sent as a string
  --type TYPE      the notification type (info, warning, danger, ...); default: data.type, else "message"
  --user USER      the user shown as its sender
  --url URL        the gateway, default http://$HERMES_HOST:$HERMES_PORT (http://127.0.0.1:3001)
  --stage STAGE    default $HERMES_STAGE, else local
  --admin-key KEY  default $HERMES_ADMIN_KEY`;

/** `--data` as JSON when it parses, else as the string it is. */
function parseData(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export const publishCommand: Command = {
  name: 'publish',
  summary: 'Publish a notification to a room of a running gateway',
  usage: USAGE,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    const flags = parseOptions(argv, {
      room: { type: 'string' },
      data: { type: 'string' },
      type: { type: 'string' },
      user: { type: 'string' },
      url: { type: 'string' },
      stage: { type: 'string' },
      'admin-key': { type: 'string' },
    });
    const room = required(flags.room, '--room');
    const data = parseData(required(flags.data, '--data'));
    const answer = await postJson(gatewayTarget(flags, io.env), `/rooms/${encodeURIComponent(room)}/messages`, {
      data,
      ...(flags.type ? { type: flags.type } : {}),
      ...(flags.user ? { user_id: flags.user } : {}),
    });
    io.stdout(`queued ${String(answer['id'])} for room ${String(answer['room_id'])} (type ${String(answer['type'])})\n`);
    return 0;
  },
};
