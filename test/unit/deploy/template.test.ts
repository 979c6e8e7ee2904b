import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Metafile } from 'esbuild';
import { PROJECT_ROOT } from '../../../scripts/build-lambda.js';
import {
  asText,
  EvaluatedTemplate,
  FAKE_ACCOUNT,
  functionEnvironment,
  loadTemplate,
  roleStatements,
  type CfnObject,
  type CfnValue,
  TEMPLATE_PATH,
} from '../../../scripts/lib/samTemplate.js';
import { readWebSocketApi } from '../../../src/entrypoints/standalone/template/webSocketApi.js';
import { ROOM_INDEX_NAME } from '../../../src/adapters/aws/DynamoConnectionRepository.js';
import { loadAwsConfig } from '../../../src/entrypoints/config/awsConfig.js';
import { loadKafkaConfig } from '../../../src/entrypoints/config/kafkaConfig.js';
import type { Env } from '../../../src/entrypoints/config/Env.js';
import { loadConfig } from '../../../src/entrypoints/config/loadConfig.js';
import { portSection } from '../../../src/entrypoints/config/portConfig.js';
import { composeActionRunnerFunction } from '../../../src/entrypoints/lambda/compose/actionRunner.js';
import { composeAuthorizerFunction } from '../../../src/entrypoints/lambda/compose/authorizer.js';
import { composeConnectFunction } from '../../../src/entrypoints/lambda/compose/connect.js';
import { composeDefaultFunction } from '../../../src/entrypoints/lambda/compose/default.js';
import { composeDisconnectFunction } from '../../../src/entrypoints/lambda/compose/disconnect.js';
import { composePresenceFunction } from '../../../src/entrypoints/lambda/compose/presence.js';
import { composeQueueFunction } from '../../../src/entrypoints/lambda/compose/queue.js';
import { composeResumeFunction } from '../../../src/entrypoints/lambda/compose/resume.js';
import { composeSendMessageFunction } from '../../../src/entrypoints/lambda/compose/sendMessage.js';
import { createActionRunnerHandler } from '../../../src/entrypoints/lambda/handlers/actionRunner.js';
import { createAuthorizerHandler } from '../../../src/entrypoints/lambda/handlers/authorizer.js';
import { createConnectHandler } from '../../../src/entrypoints/lambda/handlers/connect.js';
import { createDefaultHandler } from '../../../src/entrypoints/lambda/handlers/default.js';
import { createDisconnectHandler } from '../../../src/entrypoints/lambda/handlers/disconnect.js';
import { createPresenceHandler } from '../../../src/entrypoints/lambda/handlers/presence.js';
import { createQueueHandler } from '../../../src/entrypoints/lambda/handlers/queue.js';
import { createResumeHandler } from '../../../src/entrypoints/lambda/handlers/resume.js';
import { createSendMessageHandler } from '../../../src/entrypoints/lambda/handlers/sendMessage.js';
import { LAMBDA_HANDLERS, LAMBDA_HANDLER_NAMES, type LambdaHandlerName } from '../../../src/entrypoints/lambda/shared/lambdaHandlers.js';
import { KNOWN_ACTIONS, ROUTE_KEYS } from '../../../src/entrypoints/lambda/shared/routes.js';
import { tableDefinitions, type TableDefinition } from '../../../src/entrypoints/provision/tableDefinitions.js';
import { lambdaBuild } from './support/lambdaBuild.js';

const SECRET = (name: string): string => `arn:aws:secretsmanager:${FAKE_ACCOUNT.region}:${FAKE_ACCOUNT.accountId}:secret:${name}-Q1w2E3`;

/** Parameters of a deployment with the Port runner (public brokers). */
const RUNNER = {
  Stage: 'production',
  KafkaBootstrapServers: 'b-1.kafka.example.com:9196,b-2.kafka.example.com:9196',
  KafkaConsumerGroupId: 'org_sYG4DOJZNGy8bYnt.hermes',
  KafkaCredentialsSecretArn: SECRET('PortKafkaAuthCredentials'),
  PortOrgId: 'org_sYG4DOJZNGy8bYnt',
  PortClientIdSecretArn: SECRET('hermes/PORT_CLIENT_ID'),
  PortClientSecretSecretArn: SECRET('hermes/PORT_CLIENT_SECRET'),
} as const;

/** What each Lambda entry file does at module scope (read the configuration, compose, create the handler), by handler. */
const ENTRIES: Readonly<Record<LambdaHandlerName, (env: Env) => unknown>> = {
  authorizer: (env) => createAuthorizerHandler(composeAuthorizerFunction(loadConfig(env))),
  connect: (env) => createConnectHandler(composeConnectFunction(loadConfig(env))),
  disconnect: (env) => createDisconnectHandler(composeDisconnectFunction(loadConfig(env))),
  sendMessage: (env) => createSendMessageHandler(composeSendMessageFunction(loadConfig(env))),
  resume: (env) => createResumeHandler(composeResumeFunction(loadConfig(env))),
  presence: (env) => createPresenceHandler(composePresenceFunction(loadConfig(env))),
  default: (env) => createDefaultHandler(composeDefaultFunction(loadConfig(env))),
  queue: (env) => createQueueHandler(composeQueueFunction(loadConfig(env))),
  'action-runner': (env) => createActionRunnerHandler(composeActionRunnerFunction(loadConfig(env, { sections: [portSection] }))),
};

/** What the Lambda runtime itself sets in every function (reserved: a template cannot set them). */
const LAMBDA_RUNTIME_ENV: Env = {
  AWS_REGION: FAKE_ACCOUNT.region,
  AWS_DEFAULT_REGION: FAKE_ACCOUNT.region,
  AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE00',
  AWS_SECRET_ACCESS_KEY: 'example-secret-access-key',
  AWS_SESSION_TOKEN: 'example-session-token',
  AWS_LAMBDA_FUNCTION_NAME: 'hermes-production-fn',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  LAMBDA_TASK_ROOT: '/var/task',
  TZ: ':UTC',
};

/**
 * Variables hermes reads that the template leaves unset on purpose. Any other variable a function
 * reads must be set by the template: a new setting in a config schema fails this test until the
 * template sets it or it is added here with its reason.
 */
const DELIBERATELY_UNSET: Readonly<Record<string, string>> = {
  AWS_ENDPOINT_URL: 'local emulators only',
  AWS_ENDPOINT_URL_DYNAMODB: 'local emulators only',
  AWS_ENDPOINT_URL_SQS: 'local emulators only',
  AWS_ENDPOINT_URL_SECRETS_MANAGER: 'local emulators only',
  AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: 'local emulators only',
  JWT_SECRET: 'plain secret: the template passes JWT_SECRET_ARN, so no secret sits in a function configuration',
  TOKEN_PASSCODE: 'plain secret: TOKEN_PASSCODE_SECRET_ARN instead',
  PORT_CLIENT_ID: 'plain secret: PORT_CLIENT_ID_SECRET_ARN instead',
  PORT_CLIENT_SECRET: 'plain secret: PORT_CLIENT_SECRET_ARN instead',
  KAFKA_PASSWORD: 'plain secret: the Kafka event source authenticates, not the function',
  KAFKA_PASSWORD_SECRET_ARN: 'the Kafka event source authenticates (KafkaCredentialsSecretArn), not the function',
  PORT_CLIENT_ID_SECRET_ARN: 'looked up by every function (secret provider); only the action runner uses Port and gets it',
  PORT_CLIENT_SECRET_ARN: 'looked up by every function (secret provider); only the action runner uses Port and gets it',
  TOKEN_TTL_SECONDS: 'used when issuing tokens, which no Lambda does',
  BCRYPT_COST: 'used when hashing a grant, which no Lambda does (comparing reads the cost from the hash)',
  HERMES_BROADCAST_CONCURRENCY: 'tunable with a default',
  HERMES_AUTH_WORKERS: 'defaults to 0 (bcrypt on the event loop): one request runs per Lambda environment',
  HERMES_AUTH_CACHE_SIZE: 'tunable with a default',
  HERMES_AWS_CONNECT_TIMEOUT_MS: 'tunable with a default',
  HERMES_AWS_REQUEST_TIMEOUT_MS: 'tunable with a default',
  HERMES_CONNECTION_STORE: 'adapter override: HERMES_PROFILE=aws picks DynamoDB',
  HERMES_GRANT_STORE: 'adapter override: HERMES_PROFILE=aws picks DynamoDB',
  HERMES_NOTIFIER: 'adapter override: HERMES_PROFILE=aws picks API Gateway',
  HERMES_QUEUE: 'adapter override: HERMES_PROFILE=aws picks SQS',
  HERMES_RUN_LEDGER: 'the profile picks it (dynamodb on aws)',
  HERMES_HISTORY_STORE: 'adapter override: HERMES_PROFILE=aws picks DynamoDB',
  HERMES_QUEUE_NAME: 'HERMES_QUEUE_URL is set',
  HERMES_MAX_RECEIVE_COUNT: 'provisioning only; the template sets the redrive policy itself',
};

/** Set by the template, read by the runtime or a library rather than hermes' configuration. */
const RUNTIME_CONSUMED = new Set(['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_LOG_LEVEL']);

/** An environment that remembers which variables were looked up. */
function recordingEnv(values: Env): { env: Env; reads: Set<string> } {
  const reads = new Set<string>();
  const env = new Proxy(
    { ...values },
    {
      get(target, key, receiver) {
        // Only variable names: libraries also probe objects (e.g. `then`, to tell a promise).
        if (typeof key === 'string' && /^[A-Z][A-Z0-9_]*$/.test(key)) reads.add(key);
        return Reflect.get(target, key, receiver) as unknown;
      },
    },
  );
  return { env, reads };
}

function asObject(value: CfnValue | undefined): CfnObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`not an object: ${JSON.stringify(value)}`);
  return value;
}

function asArray(value: CfnValue | undefined): CfnValue[] {
  if (!Array.isArray(value)) throw new Error(`not a list: ${JSON.stringify(value)}`);
  return value;
}

const sortByName = (items: CfnValue[] | undefined): CfnValue[] =>
  [...(items ?? [])].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** A table as the template declares it, in the shape of a provisioning definition. */
function normalizedTable(properties: CfnObject): unknown {
  const indexes = (properties['GlobalSecondaryIndexes'] as CfnObject[] | undefined) ?? [];
  return {
    TableName: properties['TableName'],
    BillingMode: properties['BillingMode'],
    AttributeDefinitions: sortByName(properties['AttributeDefinitions'] as CfnValue[]),
    KeySchema: properties['KeySchema'],
    GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index['IndexName'],
      KeySchema: index['KeySchema'],
      Projection: normalizedProjection(asObject(index['Projection'])),
    })),
  };
}

function normalizedProjection(projection: CfnObject): unknown {
  const nonKey = projection['NonKeyAttributes'] as string[] | undefined;
  return { ProjectionType: projection['ProjectionType'], ...(nonKey ? { NonKeyAttributes: [...nonKey].sort() } : {}) };
}

function normalizedDefinition(definition: TableDefinition): unknown {
  const { input } = definition;
  return {
    TableName: input.TableName,
    BillingMode: input.BillingMode,
    AttributeDefinitions: sortByName(input.AttributeDefinitions as unknown as CfnValue[]),
    KeySchema: input.KeySchema,
    GlobalSecondaryIndexes: (input.GlobalSecondaryIndexes ?? []).map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: normalizedProjection(index.Projection as unknown as CfnObject),
    })),
  };
}

/** "action resource" pairs of a role, logs statements left out. */
function grants(deployment: EvaluatedTemplate, roleId: string): string[] {
  return roleStatements(deployment, roleId)
    .filter((statement) => ![statement.Action].flat().every((action) => action.startsWith('logs:')))
    .flatMap((statement) => {
      expect(statement.Effect, `${roleId}: only Allow statements`).to.equal('Allow');
      const resources = [statement.Resource].flat();
      return [statement.Action].flat().flatMap((action) => resources.map((resource) => `${action} ${resource}`));
    })
    .filter((grant, index, all) => all.indexOf(grant) === index)
    .sort();
}

function roleOf(deployment: EvaluatedTemplate, functionId: string): string {
  const role = deployment.resource(functionId).Properties?.['Role'];
  const [roleId, attribute] = asArray(asObject(role)['Fn::GetAtt']) as [string, string];
  expect(attribute).to.equal('Arn');
  return roleId;
}

describe('template.yaml', function () {
  const template = loadTemplate();
  const withoutRunner = new EvaluatedTemplate(template);
  const withRunner = new EvaluatedTemplate(template, RUNNER);
  const inVpc = new EvaluatedTemplate(template, {
    ...RUNNER,
    KafkaSubnet1: 'subnet-0a1b2c3d',
    KafkaSubnet2: 'subnet-4e5f6a7b',
    KafkaSecurityGroup: 'sg-0123abcd',
  });
  const stage = RUNNER.Stage;
  const arn = (id: string): string => withRunner.getAtt(id, 'Arn');
  const apiId = withRunner.ref('WebSocketApi');
  const connectionsEndpoint = `https://${apiId}.execute-api.${FAKE_ACCOUNT.region}.amazonaws.com/${stage}`;

  describe('parameters and globals', function () {
    it('has a Stage parameter (development or production) that names the API stage and the resources', function () {
      expect(template.Parameters?.['Stage']?.['AllowedValues']).to.deep.equal(['development', 'production']);
      expect(withRunner.properties('WebSocketStage')['StageName']).to.equal('production');
      expect(withoutRunner.properties('ConnectionsTable')['TableName']).to.equal('hermes-development-connections');
    });

    it('runs every function on nodejs22.x, one architecture, handler <name>.handler, profile aws', function () {
      for (const spec of Object.values(LAMBDA_HANDLERS)) {
        const properties = withRunner.properties(spec.logicalId);
        expect(properties['Runtime'], spec.name).to.equal('nodejs22.x');
        expect(properties['Handler'], spec.name).to.equal(`${spec.name}.handler`);
        expect(properties['Architectures'], spec.name).to.be.an('array').with.length(1);
        expect(['arm64', 'x86_64']).to.include(asArray(properties['Architectures'])[0]);
        expect(functionEnvironment(withRunner, spec.logicalId)['HERMES_PROFILE'], spec.name).to.equal('aws');
      }
    });
  });

  describe('functions', function () {
    it('declares exactly the Lambda handlers of the catalogue', function () {
      expect(withRunner.resourcesOfType('AWS::Serverless::Function').sort()).to.deep.equal(
        Object.values(LAMBDA_HANDLERS)
          .map((spec) => spec.logicalId)
          .sort(),
      );
    });

    for (const name of LAMBDA_HANDLER_NAMES) {
      const spec = LAMBDA_HANDLERS[name];
      it(`${name}: SAM builds src/entrypoints/lambda/${name}.ts with esbuild, sized as the catalogue says`, async function () {
        this.timeout(120_000);
        const properties = withRunner.properties(spec.logicalId);
        expect(existsSync(join(PROJECT_ROOT, 'src', 'entrypoints', 'lambda', `${name}.ts`)), 'entry file').to.equal(true);
        // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-build-typescript.html
        const metadata = withRunner.resource(spec.logicalId).Metadata ?? {};
        expect(metadata['BuildMethod']).to.equal('esbuild');
        const build = metadata['BuildProperties'] as CfnObject;
        expect(build['EntryPoints']).to.deep.equal([`src/entrypoints/lambda/${name}.ts`]);
        expect(build['Format']).to.equal('esm');
        expect(properties['CodeUri']).to.equal('./');
        expect(properties['FunctionName']).to.equal(`hermes-${stage}-${name}`);
        expect(properties['Timeout']).to.equal(spec.timeoutSeconds);
        expect(properties['MemorySize']).to.equal(spec.memoryMb);

        // npm run build:lambda (the container image, the size budgets) bundles the same entry.
        const bundles = await lambdaBuild();
        const bundle = join(bundles.outDir, name, 'index.mjs');
        expect(existsSync(bundle), `${bundle} built`).to.equal(true);
        const metafile = JSON.parse(readFileSync(join(bundles.metaDir, `${name}.json`), 'utf8')) as Metafile;
        const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith(`${name}/bundle.js`))?.[1];
        expect(output?.entryPoint, 'the bundle is built from the entry file').to.equal(`src/entrypoints/lambda/${name}.ts`);
        expect(readFileSync(bundle, 'utf8'), 'index.mjs exports the handler').to.match(/^export const handler = /m);
      });
    }

    it('deploys the action runner and its resources only when Kafka bootstrap servers are given', function () {
      const runnerResources = [
        'ActionRunnerFunction',
        'ActionRunnerRole',
        'ActionRunnerLogGroup',
        'ActionRunnerKafkaEventSource',
        'PortRunFailureQueue',
      ];
      for (const id of runnerResources) {
        expect(withoutRunner.exists(id), `${id} without runner`).to.equal(false);
        expect(withRunner.exists(id), `${id} with runner`).to.equal(true);
      }
    });
  });

  describe('tables', function () {
    const tables = {
      connections: withRunner.ref('ConnectionsTable'),
      grants: withRunner.ref('GrantsTable'),
      runLedger: withRunner.ref('RunLedgerTable'),
      history: withRunner.ref('HistoryTable'),
    };
    const templateTables = withRunner.resourcesOfType('AWS::DynamoDB::Table');

    it('declares the tables hermes provisions, with the same keys, indexes and billing', function () {
      const definitions = tableDefinitions(tables);
      expect(templateTables).to.have.length(definitions.length);
      for (const definition of definitions) {
        const id = templateTables.find((table) => withRunner.ref(table) === definition.input.TableName);
        expect(id, `a table named ${definition.input.TableName}`).to.be.a('string');
        expect(normalizedTable(withRunner.properties(id ?? ''))).to.deep.equal(normalizedDefinition(definition));
      }
    });

    it('enables TTL on the attribute the adapters write the expiry to', function () {
      for (const definition of tableDefinitions(tables)) {
        const id = templateTables.find((table) => withRunner.ref(table) === definition.input.TableName) ?? '';
        expect(withRunner.properties(id)['TimeToLiveSpecification']).to.deep.equal({
          AttributeName: definition.ttlAttribute,
          Enabled: true,
        });
      }
    });
  });

  describe('notification queue', function () {
    const queue = withRunner.properties('NotificationQueue');
    const deadLetter = withRunner.properties('NotificationDeadLetterQueue');

    it('redrives to a dead-letter queue named as hermes names it', function () {
      const aws = loadAwsConfig({ HERMES_QUEUE_URL: withRunner.ref('NotificationQueue') }, 'aws');
      expect(deadLetter['QueueName']).to.equal(aws.queue.deadLetterName);
      expect(queue['RedrivePolicy']).to.deep.equal({
        deadLetterTargetArn: arn('NotificationDeadLetterQueue'),
        maxReceiveCount: withRunner.parameters['NotificationMaxReceiveCount'],
      });
    });

    it('hides a message at least 6 times the queue function timeout (AWS advice for event sources)', function () {
      expect(Number(queue['VisibilityTimeout'])).to.be.at.least(6 * LAMBDA_HANDLERS.queue.timeoutSeconds);
    });

    it('feeds the queue function with partial batch responses (ReportBatchItemFailures)', function () {
      const mappings = withRunner
        .resourcesOfType('AWS::Lambda::EventSourceMapping')
        .map((id) => withRunner.properties(id))
        .filter((mapping) => mapping['EventSourceArn'] === arn('NotificationQueue'));
      expect(mappings).to.have.length(1);
      const [mapping] = mappings as [CfnObject];
      expect(mapping['FunctionName']).to.equal(withRunner.ref('QueueFunction'));
      expect(mapping['FunctionResponseTypes']).to.deep.equal(['ReportBatchItemFailures']);
      expect(Number(mapping['BatchSize'])).to.be.within(1, 10);
    });
  });

  describe('Kafka event source of the action runner', function () {
    const mapping = withRunner.properties('ActionRunnerKafkaEventSource');

    it('consumes ORG_ID.runs (the runner default) from the bootstrap servers, in the consumer group', function () {
      const kafka = loadKafkaConfig({ KAFKA_BROKERS: RUNNER.KafkaBootstrapServers, PORT_ORG_ID: RUNNER.PortOrgId });
      expect(mapping['FunctionName']).to.equal(withRunner.ref('ActionRunnerFunction'));
      expect(mapping['Topics']).to.deep.equal([kafka.topic]);
      expect(asObject(asObject(mapping['SelfManagedEventSource'])['Endpoints'])['KafkaBootstrapServers']).to.deep.equal(kafka.brokers);
      expect(mapping['SelfManagedKafkaEventSourceConfig']).to.deep.equal({ ConsumerGroupId: RUNNER.KafkaConsumerGroupId });
      const explicitTopic = new EvaluatedTemplate(template, { ...RUNNER, KafkaRunsTopic: 'custom.runs' });
      expect(explicitTopic.properties('ActionRunnerKafkaEventSource')['Topics']).to.deep.equal(['custom.runs']);
    });

    it('authenticates with SASL/SCRAM-SHA-512 from the Secrets Manager secret, over the public network by default', function () {
      expect(mapping['SourceAccessConfigurations']).to.deep.equal([{ Type: 'SASL_SCRAM_512_AUTH', URI: RUNNER.KafkaCredentialsSecretArn }]);
    });

    it('sends failed batches to an on-failure destination queue', function () {
      expect(mapping['DestinationConfig']).to.deep.equal({ OnFailure: { Destination: arn('PortRunFailureQueue') } });
    });

    it('polls from the private subnets and security group when they are given', function () {
      expect(inVpc.properties('ActionRunnerKafkaEventSource')['SourceAccessConfigurations']).to.deep.equal([
        { Type: 'SASL_SCRAM_512_AUTH', URI: RUNNER.KafkaCredentialsSecretArn },
        { Type: 'VPC_SUBNET', URI: 'subnet:subnet-0a1b2c3d' },
        { Type: 'VPC_SUBNET', URI: 'subnet:subnet-4e5f6a7b' },
        { Type: 'VPC_SECURITY_GROUP', URI: 'security_group:sg-0123abcd' },
      ]);
      const ec2 = (deployment: EvaluatedTemplate): string[] =>
        grants(deployment, 'ActionRunnerRole').filter((grant) => grant.startsWith('ec2:'));
      expect(ec2(withRunner)).to.deep.equal([]);
      expect(ec2(inVpc)).to.include('ec2:CreateNetworkInterface *').and.to.include('ec2:DeleteNetworkInterface *');
    });
  });

  describe('WebSocket API', function () {
    const api = withRunner.properties('WebSocketApi');
    type Route = CfnObject & { readonly id: string };
    const routes: Route[] = withRunner
      .resourcesOfType('AWS::ApiGatewayV2::Route')
      .map((id): Route => Object.assign({}, withRunner.properties(id), { id }));
    const routeFor = (key: string): Route => {
      const route = routes.find((candidate) => candidate['RouteKey'] === key);
      if (!route) throw new Error(`no route ${key}`);
      return route;
    };
    const functionOfRoute = (key: string): string => {
      const target = asText(routeFor(key)['Target'], `route ${key} Target`);
      const integrationId = withRunner
        .resourcesOfType('AWS::ApiGatewayV2::Integration')
        .find((id) => target === `integrations/${withRunner.ref(id)}`);
      expect(integrationId, `integration of ${key}`).to.be.a('string');
      const integration = withRunner.properties(integrationId ?? '');
      expect(integration['IntegrationType']).to.equal('AWS_PROXY');
      const uri = asText(integration['IntegrationUri'], 'IntegrationUri');
      const match = /functions\/arn:aws:lambda:[^:]+:\d+:function:([^/]+)\/invocations$/.exec(uri);
      return match?.[1] ?? uri;
    };

    it('is what the local gateway hosts: each route runs the entry point of its function, replies only with a route response', function () {
      const hosted = readWebSocketApi(TEMPLATE_PATH);
      expect(hosted.routeSelectionExpression).to.equal(api['RouteSelectionExpression']);
      expect([...hosted.routes.keys()].sort()).to.deep.equal(routes.map((route) => route['RouteKey']).sort());
      for (const route of hosted.routes.values()) {
        const name = LAMBDA_HANDLER_NAMES.find((candidate) => LAMBDA_HANDLERS[candidate].logicalId === route.function.logicalId);
        expect(name, route.routeKey).to.be.a('string');
        expect(route.function.entryPoint).to.equal(join(PROJECT_ROOT, 'src', 'entrypoints', 'lambda', `${name}.ts`));
        expect(route.function.exportName).to.equal('handler');
      }
      expect(hosted.routes.get(ROUTE_KEYS.sendMessage)?.routeResponse).to.equal(true);
      expect(hosted.routes.get(ROUTE_KEYS.connect)?.routeResponse).to.equal(false);
      expect(hosted.authorizer?.identitySources).to.deep.equal(['route.request.querystring.token']);
      expect(hosted.authorizer?.function.entryPoint).to.equal(join(PROJECT_ROOT, 'src', 'entrypoints', 'lambda', 'authorizer.ts'));
    });

    it('is a WebSocket API routing on $request.body.action', function () {
      expect(api['ProtocolType']).to.equal('WEBSOCKET');
      expect(api['RouteSelectionExpression']).to.equal('$request.body.action');
    });

    it('routes $connect, $disconnect, $default and every client action to its function', function () {
      const expected: Record<string, LambdaHandlerName> = {
        [ROUTE_KEYS.connect]: 'connect',
        [ROUTE_KEYS.disconnect]: 'disconnect',
        [ROUTE_KEYS.default]: 'default',
        [ROUTE_KEYS.sendMessage]: 'sendMessage',
        [ROUTE_KEYS.resume]: 'resume',
        [ROUTE_KEYS.presence]: 'presence',
      };
      for (const action of KNOWN_ACTIONS) expect(Object.keys(expected), `action ${action}`).to.include(action);
      expect(routes.map((route) => route['RouteKey']).sort()).to.deep.equal(Object.keys(expected).sort());
      for (const [key, name] of Object.entries(expected)) {
        expect(functionOfRoute(key), key).to.equal(withRunner.ref(LAMBDA_HANDLERS[name].logicalId));
      }
    });

    it('guards $connect with the REQUEST authorizer on the token query parameter; no other route', function () {
      const connect = routeFor(ROUTE_KEYS.connect);
      expect(connect['AuthorizationType']).to.equal('CUSTOM');
      expect(connect['AuthorizerId']).to.equal(withRunner.ref('ConnectAuthorizer'));
      const authorizer = withRunner.properties('ConnectAuthorizer');
      expect(authorizer['AuthorizerType']).to.equal('REQUEST');
      expect(authorizer['IdentitySource']).to.deep.equal(['route.request.querystring.token']);
      expect(asText(authorizer['AuthorizerUri'], 'AuthorizerUri')).to.include(`/functions/${arn('AuthorizerFunction')}/invocations`);
      for (const route of routes.filter((candidate) => candidate['RouteKey'] !== ROUTE_KEYS.connect)) {
        expect(route['AuthorizationType'] ?? 'NONE', asText(route['RouteKey'], 'RouteKey')).to.equal('NONE');
      }
    });

    it('returns the replies of the message routes to the sender (route responses)', function () {
      const responses = withRunner.resourcesOfType('AWS::ApiGatewayV2::RouteResponse').map((id) => withRunner.properties(id));
      for (const key of [ROUTE_KEYS.sendMessage, ROUTE_KEYS.resume, ROUTE_KEYS.presence, ROUTE_KEYS.default]) {
        const route = routeFor(key);
        expect(route['RouteResponseSelectionExpression'], key).to.equal('$default');
        expect(
          responses.some((response) => response['RouteId'] === withRunner.ref(route.id)),
          key,
        ).to.equal(true);
      }
    });

    it('lets API Gateway invoke each of its functions, and nothing else', function () {
      const permissions = withRunner.resourcesOfType('AWS::Lambda::Permission').map((id) => withRunner.properties(id));
      const invoked = permissions.map((permission) => {
        expect(permission['Principal']).to.equal('apigateway.amazonaws.com');
        expect(asText(permission['SourceArn'], 'SourceArn')).to.match(
          new RegExp(`^arn:aws:execute-api:${FAKE_ACCOUNT.region}:${FAKE_ACCOUNT.accountId}:${apiId}/`),
        );
        return permission['FunctionName'];
      });
      const webSocketFunctions = (['authorizer', 'connect', 'disconnect', 'sendMessage', 'resume', 'presence', 'default'] as const).map(
        (name) => withRunner.ref(LAMBDA_HANDLERS[name].logicalId),
      );
      expect(invoked.sort()).to.deep.equal(webSocketFunctions.sort());
    });

    it('deploys every route to the stage', function () {
      const dependsOn = [withRunner.resource('WebSocketDeployment').DependsOn ?? []].flat();
      for (const route of routes) expect(dependsOn, route.id).to.include(route.id);
      expect(withRunner.properties('WebSocketStage')['DeploymentId']).to.equal(withRunner.ref('WebSocketDeployment'));
    });
  });

  describe('environment', function () {
    const reads = new Map<LambdaHandlerName, Set<string>>();

    for (const name of LAMBDA_HANDLER_NAMES) {
      const spec = LAMBDA_HANDLERS[name];
      it(`${name}: initializes on the aws profile with the template's variables, and every variable it reads is set`, function () {
        const variables = { ...LAMBDA_RUNTIME_ENV, ...functionEnvironment(withRunner, spec.logicalId) };
        const recorded = recordingEnv(variables);
        // What the entry file does at module scope, with the recording environment.
        expect(() => ENTRIES[name](recorded.env)).not.to.throw();
        reads.set(name, recorded.reads);
        const missing = [...recorded.reads].filter((variable) => variables[variable] === undefined && !(variable in DELIBERATELY_UNSET));
        expect(missing, `read by ${name} but not set by template.yaml`).to.deep.equal([]);
      });
    }

    it('sets no variable that no function reads (typos, leftovers)', function () {
      expect(reads.size, 'the per-function checks ran first').to.equal(LAMBDA_HANDLER_NAMES.length);
      const readByAny = new Set([...reads.values()].flatMap((set) => [...set]));
      for (const spec of Object.values(LAMBDA_HANDLERS)) {
        const unread = Object.keys(functionEnvironment(withRunner, spec.logicalId)).filter(
          (variable) => !readByAny.has(variable) && !RUNTIME_CONSUMED.has(variable),
        );
        expect(unread, spec.name).to.deep.equal([]);
      }
    });

    it('points the resource variables at the stack resources', function () {
      const jwt = withRunner.ref('JwtSecret');
      for (const spec of Object.values(LAMBDA_HANDLERS)) {
        expect(functionEnvironment(withRunner, spec.logicalId), spec.name).to.include({
          HERMES_CONNECTIONS_TABLE: withRunner.ref('ConnectionsTable'),
          HERMES_GRANTS_TABLE: withRunner.ref('GrantsTable'),
          HERMES_RUN_LEDGER_TABLE: withRunner.ref('RunLedgerTable'),
          HERMES_HISTORY_TABLE: withRunner.ref('HistoryTable'),
          HERMES_QUEUE_URL: withRunner.ref('NotificationQueue'),
          HERMES_CONNECTIONS_ENDPOINT: connectionsEndpoint,
          JWT_SECRET_ARN: jwt,
          TOKEN_PASSCODE_SECRET_ARN: withRunner.ref('TokenPasscode'),
        });
      }
      expect(functionEnvironment(withRunner, 'ActionRunnerFunction')).to.include({
        HERMES_PORT_API: 'http',
        PORT_ORG_ID: RUNNER.PortOrgId,
        PORT_CLIENT_ID_SECRET_ARN: RUNNER.PortClientIdSecretArn,
        PORT_CLIENT_SECRET_ARN: RUNNER.PortClientSecretSecretArn,
      });
    });

    it('uses the given secrets instead of generating them', function () {
      const given = new EvaluatedTemplate(template, {
        JwtSecretArn: SECRET('my/jwt'),
        TokenPasscodeSecretArn: SECRET('my/passcode'),
      });
      expect(given.exists('JwtSecret')).to.equal(false);
      expect(given.exists('TokenPasscode')).to.equal(false);
      expect(functionEnvironment(given, 'ConnectFunction')).to.include({
        JWT_SECRET_ARN: SECRET('my/jwt'),
        TOKEN_PASSCODE_SECRET_ARN: SECRET('my/passcode'),
      });
      expect(grants(given, 'AuthorizerRole')).to.include(`secretsmanager:GetSecretValue ${SECRET('my/jwt')}`);
    });
  });

  describe('IAM (one role per function, least privilege)', function () {
    const connections = arn('ConnectionsTable');
    const roomIndex = `${connections}/index/${ROOM_INDEX_NAME}`;
    const history = arn('HistoryTable');
    const manageConnections = `execute-api:ManageConnections arn:aws:execute-api:${FAKE_ACCOUNT.region}:${FAKE_ACCOUNT.accountId}:${apiId}/${stage}/POST/@connections/*`;
    const expected: Readonly<Record<LambdaHandlerName, string[]>> = {
      authorizer: [`dynamodb:GetItem ${arn('GrantsTable')}`, `secretsmanager:GetSecretValue ${withRunner.ref('JwtSecret')}`],
      // presence.join to the room: its connections (room index), gone ones deleted, posts.
      connect: [
        `dynamodb:PutItem ${connections}`,
        `dynamodb:BatchWriteItem ${connections}`,
        `dynamodb:Query ${roomIndex}`,
        manageConnections,
      ],
      // presence.leave: the connection's room and user first, then as connect.
      disconnect: [
        `dynamodb:GetItem ${connections}`,
        `dynamodb:DeleteItem ${connections}`,
        `dynamodb:BatchWriteItem ${connections}`,
        `dynamodb:Query ${roomIndex}`,
        manageConnections,
      ],
      sendMessage: [
        `dynamodb:GetItem ${connections}`,
        `dynamodb:BatchWriteItem ${connections}`,
        `dynamodb:Query ${roomIndex}`,
        `dynamodb:UpdateItem ${history}`,
        `dynamodb:PutItem ${history}`,
        manageConnections,
      ],
      resume: [`dynamodb:GetItem ${connections}`, `dynamodb:GetItem ${history}`, `dynamodb:Query ${history}`, manageConnections],
      presence: [`dynamodb:GetItem ${connections}`, `dynamodb:Query ${roomIndex}`, manageConnections],
      default: [],
      queue: [
        `dynamodb:BatchWriteItem ${connections}`,
        `dynamodb:Query ${roomIndex}`,
        `dynamodb:UpdateItem ${history}`,
        `dynamodb:PutItem ${history}`,
        manageConnections,
        `sqs:ReceiveMessage ${arn('NotificationQueue')}`,
        `sqs:DeleteMessage ${arn('NotificationQueue')}`,
        `sqs:GetQueueAttributes ${arn('NotificationQueue')}`,
      ],
      'action-runner': [
        `dynamodb:GetItem ${arn('RunLedgerTable')}`,
        `dynamodb:UpdateItem ${arn('RunLedgerTable')}`,
        `dynamodb:DeleteItem ${arn('RunLedgerTable')}`,
        `sqs:SendMessage ${arn('NotificationQueue')}`,
        `secretsmanager:GetSecretValue ${RUNNER.PortClientIdSecretArn}`,
        `secretsmanager:GetSecretValue ${RUNNER.PortClientSecretSecretArn}`,
        `secretsmanager:GetSecretValue ${RUNNER.KafkaCredentialsSecretArn}`,
        `sqs:SendMessage ${arn('PortRunFailureQueue')}`,
      ],
    };

    it('gives every function a role of its own', function () {
      const roles = Object.values(LAMBDA_HANDLERS).map((spec) => roleOf(withRunner, spec.logicalId));
      expect(new Set(roles).size).to.equal(roles.length);
    });

    for (const name of LAMBDA_HANDLER_NAMES) {
      it(`${name}: may use only the tables, index, queue, secrets and @connections it needs`, function () {
        const role = roleOf(withRunner, LAMBDA_HANDLERS[name].logicalId);
        expect(grants(withRunner, role)).to.deep.equal([...expected[name]].sort());
      });
    }

    it('lets each function write only to its own log group, whose retention is the parameter', function () {
      for (const spec of Object.values(LAMBDA_HANDLERS)) {
        const functionName = withRunner.ref(spec.logicalId);
        const logGroupId = withRunner
          .resourcesOfType('AWS::Logs::LogGroup')
          .find((id) => withRunner.properties(id)['LogGroupName'] === `/aws/lambda/${functionName}`);
        expect(logGroupId, `log group of ${spec.name}`).to.be.a('string');
        expect(withRunner.properties(logGroupId ?? '')['RetentionInDays']).to.equal(withRunner.parameters['LogRetentionInDays']);
        // Created before the function, so Lambda never creates it itself without retention.
        expect([withRunner.resource(spec.logicalId).DependsOn ?? []].flat()).to.include(logGroupId);
        const logs = roleStatements(withRunner, roleOf(withRunner, spec.logicalId)).filter((statement) =>
          [statement.Action].flat().some((action) => action.startsWith('logs:')),
        );
        expect(logs).to.deep.equal([
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: withRunner.getAtt(logGroupId ?? '', 'Arn') },
        ]);
      }
    });
  });

  describe('outputs', function () {
    const outputs = template.Outputs ?? {};
    const value = (name: string): CfnValue => withRunner.evaluate(outputs[name]?.['Value'] ?? null);

    it('gives the WebSocket URL, the @connections URL and the queue URL', function () {
      expect(value('WebSocketUrl')).to.equal(`wss://${apiId}.execute-api.${FAKE_ACCOUNT.region}.amazonaws.com/${stage}`);
      expect(value('ConnectionsUrl')).to.equal(`${connectionsEndpoint}/@connections`);
      expect(value('NotificationQueueUrl')).to.equal(withRunner.ref('NotificationQueue'));
    });
  });
});
