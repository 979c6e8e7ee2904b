import { expect } from 'chai';
import {
  asText,
  EvaluatedTemplate,
  FAKE_ACCOUNT,
  functionEnvironment,
  loadTemplate,
  type CfnValue,
} from '../../../scripts/lib/samTemplate.js';
import { COUNTERS, HISTOGRAMS } from '../../../src/adapters/metrics/catalog.js';
import { METRICS_NAMESPACE } from '../../../src/adapters/metrics/PowertoolsMetrics.js';
import { LAMBDA_HANDLERS } from '../../../src/entrypoints/lambda/shared/lambdaHandlers.js';

const SECRET = (name: string): string => `arn:aws:secretsmanager:${FAKE_ACCOUNT.region}:${FAKE_ACCOUNT.accountId}:secret:${name}-Q1w2E3`;
const TOPIC = `arn:aws:sns:${FAKE_ACCOUNT.region}:${FAKE_ACCOUNT.accountId}:hermes-oncall`;

/** A deployment with the Port runner (its Kafka source has its own alarm). */
const RUNNER = {
  Stage: 'production',
  KafkaBootstrapServers: 'b-1.kafka.example.com:9196',
  KafkaConsumerGroupId: 'org_x.hermes',
  KafkaCredentialsSecretArn: SECRET('PortKafkaAuthCredentials'),
  PortOrgId: 'org_x',
  PortClientIdSecretArn: SECRET('hermes/PORT_CLIENT_ID'),
  PortClientSecretSecretArn: SECRET('hermes/PORT_CLIENT_SECRET'),
} as const;

const asRecord = (value: CfnValue | undefined): Record<string, CfnValue> => (value ?? {}) as Record<string, CfnValue>;

describe('template.yaml: tracing, alarms and the dashboard', function () {
  const template = loadTemplate();
  const plain = new EvaluatedTemplate(template);
  const withRunner = new EvaluatedTemplate(template, RUNNER);
  const paged = new EvaluatedTemplate(template, { ...RUNNER, AlarmTopicArn: TOPIC });
  const functions = (deployment: EvaluatedTemplate) => Object.values(LAMBDA_HANDLERS).filter((spec) => deployment.exists(spec.logicalId));

  /** Alarms by the metric they watch: `<namespace> <metric> <dimension value>`. */
  const alarms = (deployment: EvaluatedTemplate): Map<string, Record<string, CfnValue>> =>
    new Map(
      deployment.resourcesOfType('AWS::CloudWatch::Alarm').map((id) => {
        const properties = deployment.properties(id);
        const [dimension] = (properties['Dimensions'] ?? []) as Array<Record<string, CfnValue>>;
        return [`${asText(properties['Namespace'])} ${asText(properties['MetricName'])} ${asText(dimension?.['Value'])}`, properties];
      }),
    );

  it('traces every function with X-Ray (Tracing: Active) and lets every role write trace segments', function () {
    const roles = asRecord(withRunner.properties('TracingPolicy'))['Roles'] as string[];
    const statements = asRecord(withRunner.properties('TracingPolicy')['PolicyDocument'])['Statement'] as Array<Record<string, CfnValue>>;
    expect(statements.flatMap((s) => s['Action'] as string[])).to.include.members(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']);
    for (const spec of functions(withRunner)) {
      const properties = withRunner.properties(spec.logicalId);
      expect(properties['Tracing'], spec.name).to.equal('Active');
      const role = asRecord(template.Resources[spec.logicalId]?.Properties?.['Role'])['Fn::GetAtt'] as string[];
      expect(roles, spec.name).to.include(withRunner.ref(role[0] as string));
    }
    // Without the runner, the policy names no role that is not created.
    expect(asRecord(plain.properties('TracingPolicy'))['Roles']).to.have.lengthOf(functions(plain).length);
  });

  it('gives every function its stage for the metrics dimension (HERMES_STAGE = Stage)', function () {
    for (const spec of functions(withRunner))
      expect(functionEnvironment(withRunner, spec.logicalId)['HERMES_STAGE'], spec.name).to.equal('production');
  });

  it('alarms on each function’s errors and throttles, the dead-letter queue and the Kafka source’s failures', function () {
    const byMetric = alarms(withRunner);
    for (const spec of functions(withRunner)) {
      const name = withRunner.ref(spec.logicalId);
      for (const metric of ['Errors', 'Throttles']) {
        const alarm = byMetric.get(`AWS/Lambda ${metric} ${name}`);
        expect(alarm, `${metric} of ${spec.name}`).to.not.equal(undefined);
        expect(alarm).to.include({
          Statistic: 'Sum',
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        });
      }
    }
    const dlq = byMetric.get(`AWS/SQS ApproximateNumberOfMessagesVisible ${withRunner.getAtt('NotificationDeadLetterQueue', 'QueueName')}`);
    expect(dlq, 'dead-letter queue depth').to.include({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    const kafka = byMetric.get(`AWS/SQS ApproximateNumberOfMessagesVisible ${withRunner.getAtt('PortRunFailureQueue', 'QueueName')}`);
    expect(kafka, 'Kafka on-failure destination depth').to.include({ Threshold: 0 });
    // Without the runner there is no Kafka source, hence no alarm on it.
    expect([...alarms(plain).keys()].filter((key) => key.includes('port-runs-failed'))).to.deep.equal([]);
    expect([...alarms(plain).keys()].filter((key) => key.includes('action-runner'))).to.deep.equal([]);
  });

  it('notifies the SNS topic of AlarmTopicArn when one is given, and no one otherwise', function () {
    for (const alarm of alarms(paged).values()) {
      expect(alarm['AlarmActions']).to.deep.equal([TOPIC]);
      expect(alarm['OKActions']).to.deep.equal([TOPIC]);
    }
    for (const alarm of alarms(withRunner).values()) {
      expect(alarm).to.not.have.property('AlarmActions');
      expect(alarm).to.not.have.property('OKActions');
    }
  });

  it('builds a dashboard from the same metrics, namespace hermes and the stage dimension', function () {
    const [dashboardId] = withRunner.resourcesOfType('AWS::CloudWatch::Dashboard');
    expect(dashboardId).to.be.a('string');
    const properties = withRunner.properties(dashboardId as string);
    expect(properties['DashboardName']).to.equal('hermes-production');
    const body = JSON.parse(asText(properties['DashboardBody'])) as { widgets: Array<{ properties: { metrics: unknown[] } }> };
    const text = JSON.stringify(body);
    for (const name of [...Object.keys(COUNTERS), ...Object.keys(HISTOGRAMS)]) expect(text, name).to.include(name);
    expect(text).to.include(`{${METRICS_NAMESPACE},`);
    expect(text).to.include('stage=\\"production\\"');
    expect(text).to.include(withRunner.getAtt('NotificationDeadLetterQueue', 'QueueName'));
    for (const widget of body.widgets) expect(widget.properties.metrics).to.be.an('array').that.is.not.empty;
  });
});
