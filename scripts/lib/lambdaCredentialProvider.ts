/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles. The Lambda runtime hands
 * every function its role's credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN, so the default chain's SSO, STS, INI, process and IMDS providers (≈ 90 KiB of
 * the bundle, and their init time) are never used there. Locally the SDK keeps its full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type FromEnvInit = Parameters<typeof fromEnv>[0];

/** The same signature as the SDK's `defaultProvider`: environment credentials only. */
export const defaultProvider = (init: FromEnvInit = {}): ReturnType<typeof fromEnv> => fromEnv(init);

export const credentialsWillNeedRefresh = (): boolean => false;
export const credentialsTreatedAsExpired = (): boolean => false;
