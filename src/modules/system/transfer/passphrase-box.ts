import { randomBytes, scryptSync } from 'node:crypto';

import { SecretBox } from '../../../common/crypto/secret-box';

/** scrypt cost of the export passphrase (N=2^15, r=8: about 32 MB and 50-100 ms per derivation). */
export const EXPORT_KDF = { name: 'scrypt', N: 32_768, r: 8, p: 1, keyLength: 32 } as const;

export interface KdfParameters {
  name: 'scrypt';
  salt: string;
  N: number;
  r: number;
  p: number;
}

/** AES-256-GCM (SecretBox) under a key derived from the admin's passphrase with scrypt. */
export function passphraseBox(
  passphrase: string,
  kdf?: KdfParameters,
): { box: SecretBox; kdf: KdfParameters } {
  const parameters: KdfParameters = kdf ?? {
    name: 'scrypt',
    salt: randomBytes(16).toString('base64'),
    N: EXPORT_KDF.N,
    r: EXPORT_KDF.r,
    p: EXPORT_KDF.p,
  };
  const key = scryptSync(passphrase, Buffer.from(parameters.salt, 'base64'), EXPORT_KDF.keyLength, {
    N: parameters.N,
    r: parameters.r,
    p: parameters.p,
    maxmem: 256 * parameters.N * parameters.r,
  });
  return { box: new SecretBox(key), kdf: parameters };
}
