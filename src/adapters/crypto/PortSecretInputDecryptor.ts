import { createDecipheriv } from 'node:crypto';
import type { SecretInputDecryptor } from '../../application/runs/ports/SecretInputDecryptor.js';

const KEY_BYTES = 32;
const IV_BYTES = 16;
const TAG_BYTES = 16;

/**
 * Port's encryption of secret inputs: AES-256-GCM, the key the first 32 bytes of the Port client
 * secret, the value base64(IV 16 bytes ‖ ciphertext ‖ tag 16 bytes) — as port-agent decrypts it.
 */
export class PortSecretInputDecryptor implements SecretInputDecryptor {
  private key: Promise<Buffer> | undefined;

  /** @param clientSecret the Port client secret (asked once, when the first secret input arrives). */
  constructor(private readonly clientSecret: () => Promise<string>) {}

  async decrypt(encrypted: string): Promise<string | undefined> {
    const key = await this.keyOnce();
    const data = Buffer.from(encrypted, 'base64');
    if (key.length !== KEY_BYTES || data.length < IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return plain.toString('utf8');
    } catch {
      // Wrong key, tampered or not Port's format: the caller names the input, never the value.
      return undefined;
    }
  }

  private keyOnce(): Promise<Buffer> {
    this.key ??= this.clientSecret().then((secret) => Buffer.from(secret, 'utf8').subarray(0, KEY_BYTES));
    // A failed lookup is asked again next time.
    this.key.catch(() => {
      this.key = undefined;
    });
    return this.key;
  }
}
