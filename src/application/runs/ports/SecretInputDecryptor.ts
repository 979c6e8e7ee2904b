/** Reveals the inputs Port encrypted (inputs of type secret). */
export interface SecretInputDecryptor {
  /**
   * The plain text of one encrypted input value, or undefined when it does not decrypt (not Port's
   * format, another key, tampered). Rejects only when the key cannot be had (a transient failure).
   */
  decrypt(encrypted: string): Promise<string | undefined>;
}

/** For runners configured without a decryptor: nothing decrypts. */
export const NO_SECRET_INPUT_DECRYPTOR: SecretInputDecryptor = { decrypt: () => Promise.resolve(undefined) };
