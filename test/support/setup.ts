import 'reflect-metadata';

// The suite tests the source: a `hermes` child process (npm start, the CLI) and `hermes/runner` run src/ through tsx
// even after `npm run build` (CI builds first). The compiled CLI has its own test, with its own environment
// (test/architecture/build.test.ts).
process.env['HERMES_FROM_SOURCE'] ??= '1';
// Tests assert on behaviour, not on log lines; a test that needs logs injects its own logger.
process.env['POWERTOOLS_LOG_LEVEL'] ??= 'SILENT';
// The SDK's notice that its 2027 releases need Node 22 is noise in test output (Lambda runs nodejs22.x).
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
