import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localAwsEndpoint, type AwsServiceEndpoint } from './awsEndpoint.js';
import { freePort, LOOPBACK_HOST } from './freePort.js';
import { describeExit, spawnManaged, type ManagedProcess } from './managedProcess.js';
import { pollUntil } from './polling.js';
import { sharedService } from './sharedServices.js';

const execFileAsync = promisify(execFile);

const INSTALL_DIR = fileURLToPath(new URL('../../../.cache/dynamodb-local/', import.meta.url));
const JAR_NAME = 'DynamoDBLocal.jar';
const INSTALLER = fileURLToPath(new URL('../../../scripts/install-dynamodb-local.mjs', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const MAX_START_ATTEMPTS = 3;

export interface DynamoDbLocal extends AwsServiceEndpoint {
  stop(): Promise<void>;
  /** Freezes the JVM (SIGSTOP): connections are still accepted by the kernel, nothing answers. */
  freeze(): void;
  /** Resumes it (SIGCONT). */
  thaw(): void;
}

/** The DynamoDB Local shared by the whole mocha run (started on first use). */
export function dynamoDbLocal(): Promise<DynamoDbLocal> {
  return sharedService('dynamodb-local', startDynamoDbLocal);
}

/** Starts a private DynamoDB Local (in-memory, -sharedDb) on a free 127.0.0.1 port. */
export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  await assertJavaAvailable();
  await ensureInstalled();
  let useTelemetryFlag = true;
  let lastFailure: Error | undefined;
  for (let attempt = 1; attempt <= MAX_START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const java = spawnJava(port, useTelemetryFlag);
    try {
      const endpoint = `http://${LOOPBACK_HOST}:${port}`;
      await waitUntilReady(endpoint, java);
      const signal = (name: NodeJS.Signals): void => {
        if (java.pid === undefined) throw new Error('DynamoDB Local has no pid');
        process.kill(java.pid, name);
      };
      return {
        ...localAwsEndpoint(endpoint),
        stop: async () => {
          // A frozen JVM would not see the SIGTERM of stop().
          if (java.pid !== undefined && !java.hasExited()) signal('SIGCONT');
          await java.stop();
        },
        freeze: () => signal('SIGSTOP'),
        thaw: () => signal('SIGCONT'),
      };
    } catch (error) {
      await java.stop();
      lastFailure = error instanceof Error ? error : new Error(String(error));
      const output = java.outputTail();
      // Jars older than 1.24 have no telemetry and reject the flag.
      if (output.includes('Unrecognized option: -disableTelemetry')) {
        useTelemetryFlag = false;
      } else if (!/BindException|Address already in use/.test(output)) {
        break;
      }
    }
  }
  throw lastFailure ?? new Error('DynamoDB Local did not start');
}

async function assertJavaAvailable(): Promise<void> {
  try {
    await execFileAsync('java', ['-version']);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(
      `DynamoDB Local needs a Java runtime (11+) on PATH, but \`java -version\` failed: ${detail}. ` +
        'Install one, e.g. `apt-get install -y openjdk-17-jre-headless`.',
      { cause: error },
    );
  }
}

async function ensureInstalled(): Promise<void> {
  if (existsSync(INSTALL_DIR + JAR_NAME)) return;
  try {
    await execFileAsync(process.execPath, [INSTALLER], { timeout: 120_000 });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`installing DynamoDB Local with ${INSTALLER} failed: ${detail}`, { cause: error });
  }
  if (!existsSync(INSTALL_DIR + JAR_NAME)) {
    throw new Error(`${INSTALLER} ran but ${INSTALL_DIR}${JAR_NAME} is still missing`);
  }
}

function spawnJava(port: number, disableTelemetry: boolean): ManagedProcess {
  // DynamoDB Local has no bind-address option: it listens on all interfaces.
  // Clients are only ever pointed at 127.0.0.1.
  const args = [
    '-Djava.library.path=./DynamoDBLocal_lib',
    '-jar',
    JAR_NAME,
    '-inMemory',
    '-sharedDb',
    '-port',
    String(port),
    ...(disableTelemetry ? ['-disableTelemetry'] : []),
  ];
  return spawnManaged('java', args, {
    cwd: INSTALL_DIR,
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
  });
}

async function waitUntilReady(endpoint: string, java: ManagedProcess): Promise<void> {
  const client = new DynamoDBClient({
    ...localAwsEndpoint(endpoint),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  try {
    await pollUntil('DynamoDB Local', () => client.send(new ListTablesCommand({ Limit: 1 })), {
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 100,
      abortReason: () => (java.hasExited() ? 'the java process stopped early' : undefined),
    });
  } catch (error) {
    const exit = java.hasExited() ? ` (java ${describeExit(await java.exited)})` : '';
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}${exit}\n--- java output (tail) ---\n${java.outputTail()}`, { cause: error });
  } finally {
    client.destroy();
  }
}
