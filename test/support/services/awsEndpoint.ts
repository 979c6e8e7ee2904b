/** What an AWS SDK v3 client needs to talk to a local stand-in service. */
export interface AwsServiceEndpoint {
  /** e.g. http://127.0.0.1:PORT — pass it as the client's `endpoint`. */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export const LOCAL_REGION = 'us-east-1';

/** Local stand-ins accept any credentials; these keep the SDK from looking for real ones. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

export function localAwsEndpoint(endpoint: string): AwsServiceEndpoint {
  return { endpoint, region: LOCAL_REGION, credentials: { ...LOCAL_CREDENTIALS } };
}
