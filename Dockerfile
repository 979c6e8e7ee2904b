# One Lambda container image for every hermes handler (the "container image" deployment option).
# It holds the prebuilt bundles: run `npm run build:lambda` first, then
#   docker build --platform linux/arm64 -t hermes-lambda .
# Pick the handler per function with the image's command, e.g. CMD / ImageConfig.Command
#   ["connect/index.handler"], ["queue/index.handler"], ["action-runner/index.handler"] ...
# Lambda runs images on a read-only file system (only /tmp is writable) as an unprivileged user:
# the bundles write nothing, and every file is made world-readable below.
# Build for one architecture only (Lambda rejects multi-architecture images): arm64 as in template.yaml.
FROM public.ecr.aws/lambda/nodejs:22

ENV HERMES_PROFILE=aws \
    NODE_OPTIONS=--enable-source-maps \
    POWERTOOLS_SERVICE_NAME=hermes

# dist/lambda/<name>/index.mjs (+ .map) -> ${LAMBDA_TASK_ROOT}/<name>/
COPY dist/lambda/ ${LAMBDA_TASK_ROOT}/
RUN chmod -R a+rX "${LAMBDA_TASK_ROOT}" \
 && for name in authorizer connect disconnect sendMessage default queue action-runner; do \
      test -f "${LAMBDA_TASK_ROOT}/${name}/index.mjs" || { echo "missing dist/lambda/${name}/index.mjs: run npm run build:lambda" >&2; exit 1; }; \
    done

CMD ["sendMessage/index.handler"]
