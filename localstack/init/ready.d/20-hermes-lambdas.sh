#!/usr/bin/env bash
# hermes on LocalStack, step 2: the Lambda functions (the prebuilt bundles of `npm run build:lambda`,
# mounted at HERMES_LAMBDA_DIST) and the SQS event source mapping of the queue function, with
# partial batch responses (ReportBatchItemFailures) as in template.yaml. Idempotent: existing
# functions get the new code and configuration.
#
#   SKIP_LAMBDA_DEPLOY=1          skip this step (provisioning only)
#   HERMES_QUEUE_CONSUMER=gateway (default) the mapping is created disabled: the local gateway
#                                 (`hermes start --profile localstack`) consumes the queue itself
#   HERMES_QUEUE_CONSUMER=lambda  the mapping is enabled: the queue function consumes it and posts
#                                 to HERMES_CONNECTIONS_ENDPOINT (the gateway's @connections API)

# shellcheck source=../lib/hermes.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/hermes.sh"

if [ "${SKIP_LAMBDA_DEPLOY:-0}" = "1" ]; then
  hermes_log "SKIP_LAMBDA_DEPLOY=1: Lambda functions not deployed"
  exit 0
fi

HERMES_LAMBDA_DIST="${HERMES_LAMBDA_DIST:-/opt/hermes/lambda}"
HERMES_FUNCTION_PREFIX="${HERMES_FUNCTION_PREFIX:-hermes-}"
HERMES_QUEUE_CONSUMER="${HERMES_QUEUE_CONSUMER:-gateway}"
# name:timeout:memory, as in template.yaml (src/entrypoints/lambda/shared/lambdaHandlers.ts).
HERMES_FUNCTIONS=(authorizer:10:512 connect:10:256 disconnect:10:256 sendMessage:29:256 resume:29:256 presence:10:256 default:10:256 queue:30:256 action-runner:60:256)

case "${HERMES_QUEUE_CONSUMER}" in
  gateway) mapping_state=--no-enabled ;;
  lambda) mapping_state=--enabled ;;
  *)
    hermes_log "HERMES_QUEUE_CONSUMER must be gateway or lambda (got ${HERMES_QUEUE_CONSUMER})"
    exit 1
    ;;
esac

for spec in "${HERMES_FUNCTIONS[@]}"; do
  name="${spec%%:*}"
  if [ ! -f "${HERMES_LAMBDA_DIST}/${name}/index.mjs" ]; then
    hermes_log "no ${HERMES_LAMBDA_DIST}/${name}/index.mjs: run \`npm run build:lambda\` first (or SKIP_LAMBDA_DEPLOY=1)"
    exit 1
  fi
done

# The execution role (LocalStack does not enforce IAM unless told to; AWS gets least-privilege roles from template.yaml).
role_name="${HERMES_FUNCTION_PREFIX}lambda"
if ! role_arn="$(hermes_aws_text iam get-role --role-name "${role_name}" --query Role.Arn 2>/dev/null)"; then
  role_arn="$(hermes_aws_text iam create-role --role-name "${role_name}" --query Role.Arn \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}')"
  hermes_log "role ${role_name}: created"
fi

queue_url="$(hermes_aws_text sqs get-queue-url --queue-name "${HERMES_QUEUE_NAME}" --query QueueUrl)"
queue_arn="$(hermes_aws_text sqs get-queue-attributes --queue-url "${queue_url}" --attribute-names QueueArn --query Attributes.QueueArn)"
secret_arn() {
  hermes_aws_text secretsmanager describe-secret --secret-id "${HERMES_SECRET_PREFIX}$1" --query ARN 2>/dev/null || true
}
jwt_secret_arn="$(secret_arn JWT_SECRET)"
passcode_secret_arn="$(secret_arn TOKEN_PASSCODE)"
port_client_id_arn="$(secret_arn PORT_CLIENT_ID)"
port_client_secret_arn="$(secret_arn PORT_CLIENT_SECRET)"
if [ -z "${jwt_secret_arn}" ] || [ -z "${passcode_secret_arn}" ]; then
  hermes_log "the secrets are missing: run 10-hermes-provision.sh first"
  exit 1
fi

# environment_json NAME: the function's environment, as template.yaml sets it but for HERMES_PROFILE=localstack.
environment_json() {
  local name="$1"
  local -a variables=(
    "HERMES_PROFILE=localstack"
    "NODE_OPTIONS=--enable-source-maps"
    "POWERTOOLS_SERVICE_NAME=hermes"
    "POWERTOOLS_LOG_LEVEL=${POWERTOOLS_LOG_LEVEL:-INFO}"
    "JWT_SECRET_ARN=${jwt_secret_arn}"
    "TOKEN_PASSCODE_SECRET_ARN=${passcode_secret_arn}"
    "HERMES_CONNECTIONS_TABLE=${HERMES_CONNECTIONS_TABLE}"
    "HERMES_GRANTS_TABLE=${HERMES_GRANTS_TABLE}"
    "HERMES_RUN_LEDGER_TABLE=${HERMES_RUN_LEDGER_TABLE}"
    "HERMES_HISTORY_TABLE=${HERMES_HISTORY_TABLE}"
    "HERMES_QUEUE_URL=${queue_url}"
    # Where the functions reach LocalStack from their containers.
    "AWS_ENDPOINT_URL=${HERMES_LAMBDA_AWS_ENDPOINT_URL:-http://localhost.localstack.cloud:4566}"
  )
  if [ -n "${HERMES_CONNECTIONS_ENDPOINT:-}" ]; then variables+=("HERMES_CONNECTIONS_ENDPOINT=${HERMES_CONNECTIONS_ENDPOINT}"); fi
  if [ "${name}" = "action-runner" ]; then
    variables+=("PORT_ORG_ID=${PORT_ORG_ID:-org_localstack}" "PORT_API_URL=${PORT_API_URL:-https://api.getport.io/v1}")
    if [ -n "${HERMES_RUNS_ROOM:-}" ]; then variables+=("HERMES_RUNS_ROOM=${HERMES_RUNS_ROOM}"); fi
    if [ -n "${port_client_id_arn}" ] && [ -n "${port_client_secret_arn}" ]; then
      variables+=("HERMES_PORT_API=http" "PORT_CLIENT_ID_SECRET_ARN=${port_client_id_arn}" "PORT_CLIENT_SECRET_ARN=${port_client_secret_arn}")
    else
      # No Port credentials stored: Port is simulated in the function.
      variables+=("HERMES_PORT_API=memory")
    fi
  fi
  local json="" variable
  for variable in "${variables[@]}"; do
    json+="${json:+,}\"${variable%%=*}\":\"${variable#*=}\""
  done
  printf '{"Variables":{%s}}' "${json}"
}

work_dir="$(mktemp -d)"
trap 'rm -rf "${work_dir}"' EXIT

for spec in "${HERMES_FUNCTIONS[@]}"; do
  IFS=: read -r name timeout memory <<<"${spec}"
  function_name="${HERMES_FUNCTION_PREFIX}${name}"
  zip_file="${work_dir}/${name}.zip"
  # The function's files as scripts/build-lambda.ts writes them (bundle.cache: the V8 code cache, when built).
  (cd "${HERMES_LAMBDA_DIST}/${name}" && python3 -m zipfile -c "${zip_file}" index.mjs loader.mjs bundle.js bundle.js.map $(ls bundle.cache 2>/dev/null))
  environment_json "${name}" >"${work_dir}/${name}.env.json"
  if hermes_aws lambda get-function --function-name "${function_name}" >/dev/null 2>&1; then
    hermes_aws lambda update-function-code --function-name "${function_name}" --zip-file "fileb://${zip_file}" >/dev/null
    hermes_aws lambda wait function-updated-v2 --function-name "${function_name}"
    hermes_aws lambda update-function-configuration --function-name "${function_name}" \
      --timeout "${timeout}" --memory-size "${memory}" --environment "file://${work_dir}/${name}.env.json" >/dev/null
    hermes_log "function ${function_name}: updated"
  else
    hermes_aws lambda create-function --function-name "${function_name}" --runtime nodejs22.x --handler index.handler \
      --role "${role_arn}" --timeout "${timeout}" --memory-size "${memory}" --zip-file "fileb://${zip_file}" \
      --environment "file://${work_dir}/${name}.env.json" >/dev/null
    hermes_log "function ${function_name}: created"
  fi
  hermes_aws lambda wait function-active-v2 --function-name "${function_name}"
done

queue_function="${HERMES_FUNCTION_PREFIX}queue"
mapping_uuid="$(hermes_aws_text lambda list-event-source-mappings --function-name "${queue_function}" \
  --event-source-arn "${queue_arn}" --query 'EventSourceMappings[0].UUID')"
if [ -z "${mapping_uuid}" ] || [ "${mapping_uuid}" = "None" ]; then
  hermes_aws lambda create-event-source-mapping --function-name "${queue_function}" --event-source-arn "${queue_arn}" \
    --batch-size 10 --function-response-types ReportBatchItemFailures "${mapping_state}" >/dev/null
  hermes_log "event source mapping ${HERMES_QUEUE_NAME} -> ${queue_function}: created (${mapping_state#--})"
else
  hermes_aws lambda update-event-source-mapping --uuid "${mapping_uuid}" \
    --batch-size 10 --function-response-types ReportBatchItemFailures "${mapping_state}" >/dev/null
  hermes_log "event source mapping ${HERMES_QUEUE_NAME} -> ${queue_function}: updated (${mapping_state#--})"
fi

hermes_log "Lambda functions deployed; try: awslocal lambda invoke --function-name ${HERMES_FUNCTION_PREFIX}default --payload fileb://events/default.json /dev/stdout"
