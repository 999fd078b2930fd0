import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'enc:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when a stored secret cannot be decrypted (wrong ENCRYPTION_KEY or tampered value). */
export class SecretDecryptionError extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt a stored secret: ${reason}`);
    this.name = 'SecretDecryptionError';
  }
}

/**
 * AES-256-GCM for secrets at rest (provider credentials, LDAP bind password, logged prompts).
 * Stored form: `enc:<ivHex>:<tagHex>:<cipherHex>`; a fresh random IV per value, so encrypting the
 * same secret twice gives different strings. The GCM tag makes tampering detectable.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
  }

  static isEncrypted(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${PREFIX}${iv.toString('hex')}:${tag.toString('hex')}:${ciphertext.toString('hex')}`;
  }

  decrypt(stored: string): string {
    if (!SecretBox.isEncrypted(stored)) throw new SecretDecryptionError('value is not in enc: form');
    const [ivHex, tagHex, cipherHex] = stored.slice(PREFIX.length).split(':');
    if (ivHex === undefined || tagHex === undefined || cipherHex === undefined) {
      throw new SecretDecryptionError('malformed value');
    }
    const iv = Buffer.from(ivHex, 'hex');
    const tag = Buffer.from(tagHex, 'hex');
    if (iv.length < 12 || tag.length !== TAG_BYTES) throw new SecretDecryptionError('malformed value');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(cipherHex, 'hex')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretDecryptionError('wrong ENCRYPTION_KEY or the value was altered');
    }
  }

  /** Encrypts unless already encrypted (idempotent for values read back from the database). */
  seal(value: string): string {
    return SecretBox.isEncrypted(value) ? value : this.encrypt(value);
  }
}
