/** One-way, salted, slow hashing of connection tokens (bcrypt). */
export interface SecretHasher {
  hash(secret: string): Promise<string>;
  /** False, never a rejection, for a hash that is malformed. */
  compare(secret: string, hash: string): Promise<boolean>;
}
