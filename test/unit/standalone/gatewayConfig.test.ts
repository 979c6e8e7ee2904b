import { expect } from 'chai';
import { ConfigurationError } from '../../../src/entrypoints/config/ConfigurationError.js';
import { API_GATEWAY_LIMITS, loadGatewayConfig } from '../../../src/entrypoints/standalone/config/gatewayConfig.js';

describe('gateway configuration', () => {
  it("defaults to 127.0.0.1:3001, stage local, and API Gateway's limits", () => {
    const config = loadGatewayConfig({}, 'memory');
    expect(config).to.deep.include({ host: '127.0.0.1', port: 3001, stage: 'local', demoTokens: true, adminKeyGenerated: true });
    expect(config.limits).to.deep.equal(API_GATEWAY_LIMITS);
    expect(config.limits).to.deep.equal({
      maxMessageBytes: 131_072,
      maxFrameBytes: 32_768,
      idleTimeoutMs: 600_000,
      hardTimeoutMs: 7_200_000,
      integrationTimeoutMs: 29_000,
      maxConcurrentAuthorizations: 256,
      maxBufferedBytes: 1_048_576,
    });
  });

  it('generates a fresh random admin key in memory when none is set', () => {
    const a = loadGatewayConfig({}, 'memory').adminKey;
    const b = loadGatewayConfig({}, 'memory').adminKey;
    expect(a).to.have.length.of.at.least(32);
    expect(a).to.not.equal(b);
  });

  it('reads HERMES_* variables, and overrides win over them', () => {
    const env = {
      HERMES_PORT: '0',
      HERMES_HOST: '0.0.0.0',
      HERMES_STAGE: 'dev',
      HERMES_ADMIN_KEY: 'k'.repeat(20),
      HERMES_IDLE_TIMEOUT_SECONDS: '5',
      HERMES_MAX_CONNECTION_SECONDS: '60',
      HERMES_MAX_MESSAGE_BYTES: '65536',
      HERMES_MAX_FRAME_BYTES: '4096',
      HERMES_MAX_CONCURRENT_AUTHORIZATIONS: '8',
      HERMES_MAX_BUFFERED_BYTES: '65536',
    };
    const config = loadGatewayConfig(env, 'memory');
    expect(config).to.deep.include({ host: '0.0.0.0', port: 0, stage: 'dev', adminKey: 'k'.repeat(20), adminKeyGenerated: false });
    expect(config.limits).to.deep.equal({
      maxMessageBytes: 65_536,
      maxFrameBytes: 4_096,
      idleTimeoutMs: 5_000,
      hardTimeoutMs: 60_000,
      integrationTimeoutMs: 29_000,
      maxConcurrentAuthorizations: 8,
      maxBufferedBytes: 65_536,
    });
    expect(loadGatewayConfig(env, 'memory', { port: 4000, stage: 'x', limits: { idleTimeoutMs: 200 } })).to.deep.include({
      port: 4000,
      stage: 'x',
    });
  });

  it('requires HERMES_ADMIN_KEY and serves no demo tokens outside memory', () => {
    expect(() => loadGatewayConfig({}, 'localstack')).to.throw(
      ConfigurationError,
      /HERMES_ADMIN_KEY: required with HERMES_PROFILE=localstack/,
    );
    expect(loadGatewayConfig({ HERMES_ADMIN_KEY: 'k'.repeat(16) }, 'aws').demoTokens).to.equal(false);
  });

  it('names bad variables, without echoing the admin key', () => {
    expect(() => loadGatewayConfig({ HERMES_PORT: '70000', HERMES_STAGE: 'a/b', HERMES_ADMIN_KEY: 'short' }, 'memory'))
      .to.throw(ConfigurationError)
      .with.property('message')
      .that.matches(/HERMES_PORT: must be an integer between 0 and 65535/)
      .and.matches(/HERMES_STAGE/)
      .and.matches(/HERMES_ADMIN_KEY: must be at least 16 characters/)
      .and.not.include('short');
  });
});
