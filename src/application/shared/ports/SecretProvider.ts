/** Names of the secrets hermes reads; each may come from the environment or a secret store. */
export type SecretName = 'JWT_SECRET' | 'TOKEN_PASSCODE' | 'PORT_CLIENT_ID' | 'PORT_CLIENT_SECRET' | 'KAFKA_PASSWORD';

export interface SecretProvider {
  /** Resolves the secret's value; implementations cache it. Rejects when it is not configured. */
  get(name: SecretName): Promise<string>;
}
