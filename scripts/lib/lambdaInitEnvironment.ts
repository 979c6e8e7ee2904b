import { LAMBDA_HANDLERS, isLambdaHandlerName } from '../../src/entrypoints/lambda/shared/lambdaHandlers.js';
import { EvaluatedTemplate, FAKE_ACCOUNT, functionEnvironment, loadTemplate } from './samTemplate.js';

/** A deployment with the Port runner, so every function of template.yaml exists. */
export const FULL_DEPLOYMENT_PARAMETERS: Readonly<Record<string, string>> = {
  Stage: 'production',
  KafkaBootstrapServers: 'b-1.kafka.example.com:9196',
  KafkaConsumerGroupId: 'org_bench.hermes',
  KafkaCredentialsSecretArn: `arn:aws:secretsmanager:${FAKE_ACCOUNT.region}:${FAKE_ACCOUNT.accountId}:secret:kafka-AbCdEf`,
  PortOrgId: 'org_bench',
  PortClientIdSecretArn: `arn:aws:secretsmanager:${FAKE_ACCOUNT.region}:${FAKE_ACCOUNT.accountId}:secret:port-id-AbCdEf`,
  PortClientSecretSecretArn: `arn:aws:secretsmanager:${FAKE_ACCOUNT.region}:${FAKE_ACCOUNT.accountId}:secret:port-secret-AbCdEf`,
};

/**
 * The environment a function's init sees on AWS, without AWS: what template.yaml gives the function
 * (deployed with {@link FULL_DEPLOYMENT_PARAMETERS}) plus what the Lambda runtime sets (region,
 * the role's credentials, the function name, the runtime id: without `AWS_EXECUTION_ENV`, Powertools
 * Tracer would switch itself off and init would skip its set-up). Logs are silenced. Nothing else of this process leaks in.
 * Used by the benchmark (what a cold start runs) and by the build (the init that fills the code cache).
 * A function the template does not know gets the runtime's variables and `HERMES_PROFILE=aws`.
 */
export function lambdaInitEnvironment(name: string, deployment?: EvaluatedTemplate): Record<string, string> {
  const functionVariables = isLambdaHandlerName(name)
    ? functionEnvironment(deployment ?? new EvaluatedTemplate(loadTemplate(), FULL_DEPLOYMENT_PARAMETERS), LAMBDA_HANDLERS[name].logicalId)
    : { HERMES_PROFILE: 'aws' };
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    AWS_REGION: FAKE_ACCOUNT.region,
    AWS_DEFAULT_REGION: FAKE_ACCOUNT.region,
    AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench',
    AWS_LAMBDA_FUNCTION_NAME: `hermes-production-${name}`,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    // Active tracing's variables; nothing is sent during init (and on loopback if an invocation ever is).
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
    ...functionVariables,
    // Logs would only measure the terminal.
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
}
