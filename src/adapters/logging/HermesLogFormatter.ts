import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';

type Unformatted = Parameters<LogFormatter['formatAttributes']>[0];

/**
 * Powertools' JSON log line without the keys that say nothing: `sampling_rate` when no debug
 * sampling is configured (0), and the Lambda context keys outside Lambda.
 */
export class HermesLogFormatter extends LogFormatter {
  formatAttributes(attributes: Unformatted, additional: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    const base: LogAttributes = {
      level: attributes.logLevel,
      message: attributes.message,
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: context?.coldStart,
      function_arn: context?.invokedFunctionArn,
      function_memory_size: context?.memoryLimitInMB,
      function_name: context?.functionName,
      function_request_id: context?.awsRequestId,
      sampling_rate: attributes.sampleRateValue || undefined,
      xray_trace_id: attributes.xRayTraceId,
    };
    for (const key of Object.keys(base)) if (base[key] === undefined) delete base[key];
    return new LogItem({ attributes: base }).addAttributes(additional);
  }
}
