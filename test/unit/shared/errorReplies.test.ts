import { expect } from 'chai';
import { NotificationTooLargeError } from '../../../src/domain/notification/NotificationTooLargeError.js';
import { ValidationError } from '../../../src/domain/shared/ValidationError.js';
import { PortUnavailableError } from '../../../src/application/runs/errors/PortUnavailableError.js';
import { UsageError } from '../../../src/entrypoints/cli/commands/args.js';
import { runCli } from '../../../src/entrypoints/cli/main.js';
import type { Command, CommandIo } from '../../../src/entrypoints/cli/Command.js';
import { ConfigurationError } from '../../../src/entrypoints/config/ConfigurationError.js';
import { domainErrorReply } from '../../../src/entrypoints/lambda/shared/replies.js';
import { ProvisionConflictError } from '../../../src/entrypoints/provision/ProvisionStep.js';
import { errorReply } from '../../../src/entrypoints/shared/errorReplies.js';
import { HttpError } from '../../../src/entrypoints/standalone/http/HttpError.js';

describe('error → reply mapping (Lambda handlers, local HTTP router, CLI)', () => {
  it('answers a domain error with its code and a 4xx', () => {
    expect(errorReply(new NotificationTooLargeError(200_000, 131_072))).to.include({
      status: 413,
      code: 'NOTIFICATION_TOO_LARGE',
      exitCode: 1,
      unexpected: false,
    });
    expect(errorReply(new ValidationError('room_id', 'must be 1-128 characters'))).to.include({ status: 400, unexpected: false });
  });

  it("answers a configuration error with 500 and exit 1, as hermes' own fault", () => {
    expect(errorReply(new ConfigurationError(['JWT_SECRET: required']))).to.include({
      status: 500,
      code: 'CONFIGURATION_INVALID',
      exitCode: 1,
      unexpected: true,
    });
  });

  it('answers a usage mistake with exit 2, a conflict with 409, an HttpError with its own status', () => {
    expect(errorReply(new UsageError('--room is required'))).to.include({ exitCode: 2, code: 'USAGE_INVALID' });
    expect(errorReply(new ProvisionConflictError('other keys'))).to.include({ status: 409, code: 'PROVISION_CONFLICT' });
    expect(errorReply(new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/json'))).to.include({
      status: 415,
      unexpected: false,
    });
  });

  it('answers a transient error with 503 and its retry delay', () => {
    expect(errorReply(new PortUnavailableError('report', 503, 'down', 2_500))).to.include({
      status: 503,
      retryAfterSeconds: 3,
      unexpected: false,
    });
  });

  it('hides an unknown error behind a 500', () => {
    const reply = errorReply(new TypeError('secret detail at /srv/x'));
    expect(reply).to.include({ status: 500, code: 'INTERNAL_ERROR', unexpected: true });
    expect(reply.message).not.to.include('secret');
  });

  it('is what the Lambda replies use: domain errors answered, unexpected ones rethrown for Lambda to report', () => {
    expect(domainErrorReply(new ValidationError('room_id', 'bad'))).to.include({ statusCode: 400 });
    expect(() => domainErrorReply(new TypeError('boom'))).to.throw(TypeError);
  });

  it('is what the CLI exits with', async () => {
    const out: string[] = [];
    const io: CommandIo = { stdout: () => undefined, stderr: (text) => out.push(text), env: {} };
    const failing = (error: Error): Command => ({ name: 'x', summary: '', usage: '', run: () => Promise.reject(error) });
    expect(await runCli(['x'], io, [failing(new UsageError('bad flag'))])).to.equal(2);
    expect(await runCli(['x'], io, [failing(new ConfigurationError(['A: b']))])).to.equal(1);
    expect(await runCli(['x'], io, [failing(new Error('plain'))])).to.equal(1);
    expect(out.join('')).to.include('bad flag').and.include('--help').and.include('A: b').and.include('plain');
  });
});
