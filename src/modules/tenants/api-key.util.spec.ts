import { generateApiKey, hashApiKey, isKeyExpired, keyRejection } from './api-key.util';

describe('api key rules', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const key = { enabled: true, expiresAt: null };

  it('generates omp- keys and hashes them to lowercase SHA-256 hex', () => {
    const plaintext = generateApiKey();
    expect(plaintext).toMatch(/^omp-[0-9a-f]{64}$/);
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('accepts an enabled, unexpired key of an active tenant', () => {
    expect(keyRejection({ active: true }, key, now)).toBeUndefined();
    expect(keyRejection({ active: true }, { ...key, expiresAt: new Date(now + 1) }, now)).toBeUndefined();
  });

  it('rejects a disabled tenant first, then a disabled key, then an expired one', () => {
    const expired = { enabled: false, expiresAt: new Date(now) };
    expect(keyRejection({ active: false }, expired, now)).toBe('tenant_disabled');
    expect(keyRejection({ active: true }, expired, now)).toBe('key_disabled');
    expect(keyRejection({ active: true }, { ...expired, enabled: true }, now)).toBe('key_expired');
  });

  it('treats expiresAt as the first instant the key no longer works', () => {
    expect(isKeyExpired(new Date(now), now)).toBe(true);
    expect(isKeyExpired(new Date(now + 1), now)).toBe(false);
    expect(isKeyExpired(null, now)).toBe(false);
  });
});
