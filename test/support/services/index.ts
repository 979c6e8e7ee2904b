export { LOCAL_CREDENTIALS, LOCAL_REGION, type AwsServiceEndpoint } from './awsEndpoint.js';
export { dynamoDbLocal, startDynamoDbLocal, type DynamoDbLocal } from './dynamoDbLocal.js';
export { startFakeSecretsManager, type FakeSecretsManager } from './fakeSecretsManager.js';
export { freePort, LOOPBACK_HOST } from './freePort.js';
export { kafkaMockCluster, MOCK_CONSUMER_TUNING, startKafkaMockCluster, type KafkaMockCluster } from './kafkaMockCluster.js';
export { stopSharedServices } from './sharedServices.js';
export { redisServer, startRedisServer, type RedisServer } from './redisServer.js';
export { sqsEmulator, startSqsEmulator, type SqsEmulator } from './sqsEmulator.js';
export { uniqueName } from './uniqueName.js';
