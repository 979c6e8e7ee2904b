import 'reflect-metadata';

// Tests assert on behaviour, not on log lines; a test that needs logs injects its own logger.
process.env['POWERTOOLS_LOG_LEVEL'] ??= 'SILENT';
