#!/usr/bin/env bash
# hermes on LocalStack, step 1: the tables, the notification queue and its DLQ, and the secrets.
# The same resources, keys, indexes and TTL as `hermes provision --with-secrets` (a test checks it
# against the provisioning definitions). Idempotent: existing resources are left as they are, except
# that a missing TTL or queue attribute is set.
#
# Runs by itself in LocalStack's ready.d; elsewhere point it at emulators, e.g.
#   AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000 AWS_ENDPOINT_URL_SQS=http://127.0.0.1:9324 \
#   AWS_ENDPOINT_URL_SECRETS_MANAGER=... bash localstack/init/ready.d/10-hermes-provision.sh
# Secret values: JWT_SECRET / TOKEN_PASSCODE when set, else random; PORT_CLIENT_ID / PORT_CLIENT_SECRET
# are stored only when set.

# shellcheck source=../lib/hermes.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/hermes.sh"

# ensure_table NAME CREATE-TABLE-ARGUMENTS...: creates the table unless it exists, then makes sure
# TTL is enabled on expires_at (every hermes table expires its items through it).
ensure_table() {
  local name="$1"
  shift
  if hermes_aws dynamodb describe-table --table-name "${name}" >/dev/null 2>&1; then
    hermes_log "table ${name}: exists"
  else
    hermes_aws dynamodb create-table --table-name "${name}" --billing-mode PAY_PER_REQUEST "$@" >/dev/null
    hermes_aws dynamodb wait table-exists --table-name "${name}"
    hermes_log "table ${name}: created"
  fi
  local ttl
  ttl="$(hermes_aws_text dynamodb describe-time-to-live --table-name "${name}" \
    --query 'TimeToLiveDescription.TimeToLiveStatus' 2>/dev/null || true)"
  if [ "${ttl}" != "ENABLED" ] && [ "${ttl}" != "ENABLING" ]; then
    hermes_aws dynamodb update-time-to-live --table-name "${name}" \
      --time-to-live-specification 'Enabled=true,AttributeName=expires_at' >/dev/null
    hermes_log "table ${name}: TTL enabled on expires_at"
  fi
}

# ensure_queue NAME ATTRIBUTES-JSON: prints the queue URL; creates the queue or corrects its attributes.
ensure_queue() {
  local name="$1" attributes="$2" url attributes_file
  attributes_file="$(mktemp)"
  printf '%s' "${attributes}" >"${attributes_file}"
  if url="$(hermes_aws_text sqs get-queue-url --queue-name "${name}" --query QueueUrl 2>/dev/null)"; then
    hermes_aws sqs set-queue-attributes --queue-url "${url}" --attributes "file://${attributes_file}" >/dev/null
    hermes_log "queue ${name}: exists (attributes set)"
  else
    url="$(hermes_aws_text sqs create-queue --queue-name "${name}" --attributes "file://${attributes_file}" --query QueueUrl)"
    hermes_log "queue ${name}: created"
  fi
  rm -f "${attributes_file}"
  printf '%s' "${url}"
}

# ensure_secret NAME VALUE: creates the secret unless it exists (never overwrites nor rotates one).
ensure_secret() {
  local name="$1" value="$2" value_file
  if hermes_aws secretsmanager describe-secret --secret-id "${name}" >/dev/null 2>&1; then
    hermes_log "secret ${name}: exists"
    return
  fi
  # Through a file, so the value never shows in a process list.
  value_file="$(mktemp)"
  chmod 600 "${value_file}"
  printf '%s' "${value}" >"${value_file}"
  hermes_aws secretsmanager create-secret --name "${name}" --description "hermes ${name#"${HERMES_SECRET_PREFIX}"}" \
    --secret-string "file://${value_file}" >/dev/null
  rm -f "${value_file}"
  hermes_log "secret ${name}: created"
}

# Connections: hash connection_id; GSI room_id-index (room_id, connection_id) projecting what a
# broadcast page needs; TTL expires_at.
ensure_table "${HERMES_CONNECTIONS_TABLE}" \
  --attribute-definitions AttributeName=connection_id,AttributeType=S AttributeName=room_id,AttributeType=S \
  --key-schema AttributeName=connection_id,KeyType=HASH \
  --global-secondary-indexes '[{"IndexName":"room_id-index","KeySchema":[{"AttributeName":"room_id","KeyType":"HASH"},{"AttributeName":"connection_id","KeyType":"RANGE"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["user_id","connected_at","expires_at"]}}]'

# Grants: (user_id, room_id), TTL expires_at.
ensure_table "${HERMES_GRANTS_TABLE}" \
  --attribute-definitions AttributeName=user_id,AttributeType=S AttributeName=room_id,AttributeType=S \
  --key-schema AttributeName=user_id,KeyType=HASH AttributeName=room_id,KeyType=RANGE

# Port run ledger: run_id, TTL expires_at.
ensure_table "${HERMES_RUN_LEDGER_TABLE}" \
  --attribute-definitions AttributeName=run_id,AttributeType=S \
  --key-schema AttributeName=run_id,KeyType=HASH

# Room histories: (room_id, seq), item 0 the room's counter; TTL expires_at.
ensure_table "${HERMES_HISTORY_TABLE}" \
  --attribute-definitions AttributeName=room_id,AttributeType=S AttributeName=seq,AttributeType=N \
  --key-schema AttributeName=room_id,KeyType=HASH AttributeName=seq,KeyType=RANGE

dead_letter_url="$(ensure_queue "${HERMES_DEAD_LETTER_QUEUE_NAME}" '{"MessageRetentionPeriod":"1209600"}')"
dead_letter_arn="$(hermes_aws_text sqs get-queue-attributes --queue-url "${dead_letter_url}" \
  --attribute-names QueueArn --query Attributes.QueueArn)"
redrive_policy="{\\\"deadLetterTargetArn\\\":\\\"${dead_letter_arn}\\\",\\\"maxReceiveCount\\\":${HERMES_MAX_RECEIVE_COUNT}}"
# Visibility: 6 x the queue function's 30 s timeout, as in template.yaml.
queue_url="$(ensure_queue "${HERMES_QUEUE_NAME}" "{\"VisibilityTimeout\":\"180\",\"RedrivePolicy\":\"${redrive_policy}\"}")"

ensure_secret "${HERMES_SECRET_PREFIX}JWT_SECRET" "${JWT_SECRET:-$(hermes_random_secret 64)}"
ensure_secret "${HERMES_SECRET_PREFIX}TOKEN_PASSCODE" "${TOKEN_PASSCODE:-$(hermes_random_secret 32)}"
if [ -n "${PORT_CLIENT_ID:-}" ] && [ -n "${PORT_CLIENT_SECRET:-}" ]; then
  ensure_secret "${HERMES_SECRET_PREFIX}PORT_CLIENT_ID" "${PORT_CLIENT_ID}"
  ensure_secret "${HERMES_SECRET_PREFIX}PORT_CLIENT_SECRET" "${PORT_CLIENT_SECRET}"
fi

hermes_log "provisioned; HERMES_QUEUE_URL=${queue_url}"
