import { buildApp } from 'fauxqs';
import { localAwsEndpoint, type AwsServiceEndpoint } from './awsEndpoint.js';
import { LOOPBACK_HOST } from './freePort.js';
import { sharedService } from './sharedServices.js';

/**
 * An in-process fauxqs (SQS + SNS + S3 emulator) listening on 127.0.0.1.
 *
 * fauxqs returns queue URLs like http://sqs.us-east-1.localhost:PORT/000000000000/name,
 * and *.localhost does not resolve here. The SQS client must therefore get the
 * `endpoint` explicitly: the SDK then sends every call there instead of to the
 * QueueUrl's host (alternatively set `useQueueUrlAsEndpoint: false`). Use queue
 * URLs exactly as CreateQueue/GetQueueUrl returned them: fauxqs looks queues
 * up by the full URL string.
 */
export interface SqsEmulator extends AwsServiceEndpoint {
  stop(): Promise<void>;
}

/** The SQS emulator shared by the whole mocha run (started on first use). */
export function sqsEmulator(): Promise<SqsEmulator> {
  return sharedService('sqs-emulator', startSqsEmulator);
}

export async function startSqsEmulator(): Promise<SqsEmulator> {
  // buildApp instead of startFauxqs(): the latter always binds 0.0.0.0.
  const app = buildApp({ logger: false });
  await app.listen({ port: 0, host: LOOPBACK_HOST });
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    await app.close();
    throw new Error(`fauxqs listens on an unexpected address: ${String(address)}`);
  }
  return {
    ...localAwsEndpoint(`http://${LOOPBACK_HOST}:${address.port}`),
    stop: async () => {
      await app.close();
    },
  };
}
