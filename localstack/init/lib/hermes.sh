#!/usr/bin/env bash
# Shared by the hermes init scripts in ../ready.d (sourced, not run). LocalStack runs only the
# scripts of its stage folders (boot.d, start.d, ready.d, shutdown.d), so this folder is ignored there.
#
# The scripts talk to AWS through the AWS CLI:
#   - inside LocalStack: `awslocal` (it points the CLI at LocalStack);
#   - anywhere else: `aws`, with the standard AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> variables
#     (e.g. DynamoDB Local and an SQS emulator), or http://localhost:4566 when none is set.
# HERMES_AWS_CLI overrides the choice (e.g. HERMES_AWS_CLI="aws --profile sandbox").

set -euo pipefail
# Command substitutions ($(...)) fail the script too.
shopt -s inherit_errexit

export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-${AWS_REGION:-us-east-1}}"
export AWS_PAGER=""
# LocalStack and the emulators accept any credentials; real ones are never needed here.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"

# Resource names: the defaults hermes itself uses (see src/entrypoints/config/awsConfig.ts).
HERMES_CONNECTIONS_TABLE="${HERMES_CONNECTIONS_TABLE:-hermes-connections}"
HERMES_GRANTS_TABLE="${HERMES_GRANTS_TABLE:-hermes-grants}"
HERMES_RUN_LEDGER_TABLE="${HERMES_RUN_LEDGER_TABLE:-hermes-run-ledger}"
HERMES_HISTORY_TABLE="${HERMES_HISTORY_TABLE:-hermes-history}"
HERMES_QUEUE_NAME="${HERMES_QUEUE_NAME:-hermes-notifications}"
HERMES_DEAD_LETTER_QUEUE_NAME="${HERMES_QUEUE_NAME}-dlq"
HERMES_MAX_RECEIVE_COUNT="${HERMES_MAX_RECEIVE_COUNT:-5}"
# Secrets are created under these names (`hermes provision --with-secrets` uses the same).
HERMES_SECRET_PREFIX="${HERMES_SECRET_PREFIX:-hermes/}"

hermes_log() {
  printf '[hermes-init] %s\n' "$*" >&2
}

hermes_has_endpoint_variable() {
  env | grep -q '^AWS_ENDPOINT_URL\(_[A-Z_]*\)\?='
}

if [ -n "${HERMES_AWS_CLI:-}" ]; then
  read -r -a HERMES_AWS <<<"${HERMES_AWS_CLI}"
elif ! hermes_has_endpoint_variable && command -v awslocal >/dev/null 2>&1; then
  HERMES_AWS=(awslocal)
else
  if ! hermes_has_endpoint_variable; then export AWS_ENDPOINT_URL="http://localhost:4566"; fi
  HERMES_AWS=(aws)
fi

# The endpoint of one service: AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL, else nothing. Passed
# to the CLI as --endpoint-url: some CLI versions ignore the service variables for some services
# (AWS CLI v1 sends SQS calls in us-east-1 to queue.amazonaws.com whatever they say).
hermes_endpoint_of() {
  local variable
  case "$1" in
    dynamodb) variable=AWS_ENDPOINT_URL_DYNAMODB ;;
    sqs) variable=AWS_ENDPOINT_URL_SQS ;;
    secretsmanager) variable=AWS_ENDPOINT_URL_SECRETS_MANAGER ;;
    lambda) variable=AWS_ENDPOINT_URL_LAMBDA ;;
    iam) variable=AWS_ENDPOINT_URL_IAM ;;
    *) variable="" ;;
  esac
  if [ -n "${variable}" ] && [ -n "${!variable:-}" ]; then
    printf '%s' "${!variable}"
  else
    printf '%s' "${AWS_ENDPOINT_URL:-}"
  fi
}

# hermes_aws SERVICE OPERATION ARGS...: runs the AWS CLI chosen above on SERVICE, JSON output.
hermes_aws() {
  local service="$1" endpoint=""
  if [ "${HERMES_AWS[0]}" != "awslocal" ]; then endpoint="$(hermes_endpoint_of "${service}")"; fi
  "${HERMES_AWS[@]}" ${endpoint:+--endpoint-url "${endpoint}"} --output json "$@"
}

# Like hermes_aws, but prints a field selected with --query as text.
hermes_aws_text() {
  local service="$1" endpoint=""
  if [ "${HERMES_AWS[0]}" != "awslocal" ]; then endpoint="$(hermes_endpoint_of "${service}")"; fi
  "${HERMES_AWS[@]}" ${endpoint:+--endpoint-url "${endpoint}"} --output text "$@"
}

# A random secret value of letters and digits, never printed. (No `head` on an endless stream: with
# pipefail, the writer's SIGPIPE would fail the script.)
hermes_random_secret() {
  local length="$1" value=""
  while [ "${#value}" -lt "${length}" ]; do
    value+="$(head -c 64 /dev/urandom | base64 | tr -d '/+=\n')"
  done
  printf '%s' "${value:0:${length}}"
}
