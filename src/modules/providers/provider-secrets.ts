import type { SecretBox } from '../../common/crypto/secret-box';
import type { StoredProviderAuth } from './provider.schema';
import type { ProviderCredentials, ProviderOptions } from './provider.types';

/** What every response shows instead of a stored secret; sending it back keeps the secret. */
export const SECRET_MASK = '********';

const SENSITIVE_HEADER = /authorization|api[-_]?key|token|secret|cookie|password|signature/i;

/** Extra headers whose values are credentials (encrypted at rest, masked in responses). */
export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name);
}

export const CREDENTIAL_FIELDS = ['apiKey', 'accessKeyId', 'secretAccessKey', 'sessionToken'] as const;
export type CredentialField = (typeof CREDENTIAL_FIELDS)[number];

/**
 * Merges submitted credentials into the stored ones: the mask (or an absent field) keeps the stored
 * value, an empty string removes it, anything else is encrypted.
 */
export function mergeCredentials(
  box: SecretBox,
  stored: Partial<Record<CredentialField, string>>,
  submitted: Partial<Record<CredentialField, string | null>>,
): Partial<Record<CredentialField, string>> {
  const result: Partial<Record<CredentialField, string>> = {};
  for (const field of CREDENTIAL_FIELDS) {
    const value = submitted[field];
    if (value === undefined || value === SECRET_MASK) {
      if (stored[field] !== undefined) result[field] = stored[field];
    } else if (value !== null && value !== '') {
      result[field] = box.encrypt(value);
    }
  }
  return result;
}

/** Same rule for extra headers: sensitive values are encrypted; the mask keeps the stored value. */
export function mergeExtraHeaders(
  box: SecretBox,
  stored: Record<string, string> | undefined,
  submitted: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (submitted === undefined) return stored;
  const storedByLower = new Map(Object.entries(stored ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(submitted)) {
    if (!isSensitiveHeader(name)) result[name] = value;
    else if (value === SECRET_MASK) {
      const previous = storedByLower.get(name.toLowerCase());
      if (previous !== undefined) result[name] = previous;
    } else result[name] = box.encrypt(value);
  }
  return result;
}

export function maskExtraHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    result[name] = isSensitiveHeader(name) ? SECRET_MASK : value;
  }
  return result;
}

export function decryptExtraHeaders(
  box: SecretBox,
  headers: Record<string, string> | undefined,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    result[name] = isSensitiveHeader(name) ? box.decrypt(value) : value;
  }
  return result;
}

export function decryptCredentials(box: SecretBox, auth: StoredProviderAuth): ProviderCredentials {
  const result: ProviderCredentials = {};
  for (const field of CREDENTIAL_FIELDS) {
    const value = auth[field];
    if (value) result[field] = box.decrypt(value);
  }
  return result;
}

/** Which credentials are set, for responses (`{apiKey: true}`), never the values. */
export function credentialPresence(auth: StoredProviderAuth): Record<CredentialField, boolean> {
  return {
    apiKey: Boolean(auth.apiKey),
    accessKeyId: Boolean(auth.accessKeyId),
    secretAccessKey: Boolean(auth.secretAccessKey),
    sessionToken: Boolean(auth.sessionToken),
  };
}

export function publicOptions(options: ProviderOptions): ProviderOptions {
  const copy: ProviderOptions = { ...options };
  if (options.extraHeaders) copy.extraHeaders = maskExtraHeaders(options.extraHeaders);
  return copy;
}
