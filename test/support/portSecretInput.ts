import { createCipheriv, randomBytes } from 'node:crypto';

/**
 * Encrypts an input the way Port encrypts inputs of type secret: AES-256-GCM, the key the first 32
 * bytes of the Port client secret, the value base64(IV 16 bytes ‖ ciphertext ‖ tag 16 bytes).
 */
export function encryptLikePort(plain: string, clientSecret: string): string {
  const key = Buffer.from(clientSecret, 'utf8').subarray(0, 32);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64');
}
