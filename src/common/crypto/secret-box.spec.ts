import { randomBytes } from 'node:crypto';

import { SecretBox, SecretDecryptionError } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips a secret in enc:<iv>:<tag>:<ct> form without leaking the plaintext', () => {
    const stored = box.encrypt('sk-very-secret');
    expect(stored).toMatch(/^enc:[0-9a-f]{24}:[0-9a-f]{32}:[0-9a-f]+$/);
    expect(stored).not.toContain('sk-very-secret');
    expect(box.decrypt(stored)).toBe('sk-very-secret');
  });

  it('uses a fresh IV each time', () => {
    expect(box.encrypt('same')).not.toBe(box.encrypt('same'));
  });

  it('refuses a tampered value or a different key', () => {
    const stored = box.encrypt('secret');
    const tampered = stored.slice(0, -2) + (stored.endsWith('00') ? '11' : '00');
    expect(() => box.decrypt(tampered)).toThrow(SecretDecryptionError);
    expect(() => new SecretBox(randomBytes(32)).decrypt(stored)).toThrow(SecretDecryptionError);
    expect(() => box.decrypt('plain')).toThrow(SecretDecryptionError);
    expect(() => box.decrypt('enc:zz')).toThrow(SecretDecryptionError);
  });

  it('seal does not double-encrypt', () => {
    const stored = box.seal('x');
    expect(box.seal(stored)).toBe(stored);
  });

  it('insists on a 32-byte key', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow();
  });
});
