import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'omp-';
export const API_KEY_PATTERN = /^omp-[0-9a-f]{64}$/;
/** `omp-` plus 8 hex: enough to recognise a key in a list, far too little to guess it. */
const DISPLAY_PREFIX_LENGTH = 12;

/** A new tenant key: `omp-` + 64 hex characters from the CSPRNG (256 bits). */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('hex');
}

/** The stored and looked-up form of a key: lowercase hex SHA-256. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function displayPrefix(key: string): string {
  return key.slice(0, DISPLAY_PREFIX_LENGTH);
}
