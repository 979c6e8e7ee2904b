import type { Profile } from '../../config/coreConfig.js';
import { loadConfig } from '../../config/loadConfig.js';
import { composeProvisioning } from '../../di/composeProvisioning.js';
import { provision } from '../../provision/provision.js';
import type { ProvisionStep } from '../../provision/ProvisionStep.js';
import type { Command, CommandIo } from '../Command.js';
import { parseOptions, UsageError } from './args.js';

const USAGE = `Usage: hermes provision [--dry-run] [--with-secrets] [--profile localstack|aws]

Creates what hermes needs, idempotently (a second run changes nothing):
  - DynamoDB tables $HERMES_CONNECTIONS_TABLE (hermes-connections; GSI room_id-index),
    $HERMES_GRANTS_TABLE (hermes-grants) and $HERMES_RUN_LEDGER_TABLE (hermes-run-ledger),
    each with TTL on expires_at;
  - the SQS queue $HERMES_QUEUE_NAME (hermes-notifications) and its dead-letter queue
    (<name>-dlq), redriven after $HERMES_MAX_RECEIVE_COUNT (5) receives;
  - with --with-secrets, the JWT_SECRET and TOKEN_PASSCODE secrets in Secrets Manager (named by
    JWT_SECRET_ARN / TOKEN_PASSCODE_SECRET_ARN, else hermes/JWT_SECRET, hermes/TOKEN_PASSCODE),
    valued from JWT_SECRET / TOKEN_PASSCODE when set, else random. Values are never printed.

Existing resources are never deleted nor recreated; a missing GSI, TTL or queue attribute is added.

Endpoints come from AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>; on the localstack profile they
default to http://localhost:4566 (region us-east-1, test credentials); on aws, the SDK's defaults.

Options:
  --profile P      localstack or aws (default $HERMES_PROFILE)
  --dry-run        only describe: print what would be created or changed
  --with-secrets   also create the secrets`;

const VERBS: Record<ProvisionStep['action'], { applied: string; planned: string }> = {
  create: { applied: 'created', planned: 'would create' },
  update: { applied: 'updated', planned: 'would update' },
  none: { applied: 'ok', planned: 'ok' },
};

export const provisionCommand: Command = {
  name: 'provision',
  summary: 'Create the DynamoDB tables, SQS queues (and secrets) idempotently',
  usage: USAGE,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    const flags = parseOptions(argv, {
      profile: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'with-secrets': { type: 'boolean' },
    });
    const profile = cloudProfile(flags.profile ?? io.env['HERMES_PROFILE']);
    // Provisioning creates the secrets, so it does not require them.
    const config = loadConfig(io.env, { profile, secretsRequired: false });
    const clients = composeProvisioning(config, flags['with-secrets'] ?? false);
    const dryRun = flags['dry-run'] ?? false;
    try {
      const steps = await provision(config.aws, io.env, clients, {
        dryRun,
        withSecrets: flags['with-secrets'] ?? false,
      });
      io.stdout(report(steps, dryRun));
      return 0;
    } finally {
      clients.close();
    }
  },
};

/** Provisioning creates cloud resources, so the target is never implied by the `memory` default. */
function cloudProfile(value: string | undefined): Exclude<Profile, 'memory'> {
  if (value === 'localstack' || value === 'aws') return value;
  throw new UsageError(
    `needs --profile localstack or --profile aws (or HERMES_PROFILE set to one of them)${value === undefined ? '' : `; got "${value}"`}`,
  );
}

function report(steps: readonly ProvisionStep[], dryRun: boolean): string {
  const lines = steps.map((step) => {
    const verb = dryRun ? VERBS[step.action].planned : VERBS[step.action].applied;
    return `${verb.padEnd(12)} ${step.kind.padEnd(6)} ${step.name}${step.detail ? `  (${step.detail})` : ''}`;
  });
  const count = (action: ProvisionStep['action']) => steps.filter((step) => step.action === action).length;
  const changes = `${count('create')} to create, ${count('update')} to update, ${count('none')} unchanged`;
  lines.push(dryRun ? `dry run: ${changes}; nothing was changed` : changes.replace(/to create/, 'created').replace(/to update/, 'updated'));
  return `${lines.join('\n')}\n`;
}
