import { randomBytes } from 'node:crypto';

import { SecretBox } from '../../common/crypto/secret-box';
import {
  decryptExtraHeaders,
  maskExtraHeaders,
  mergeCredentials,
  mergeExtraHeaders,
  SECRET_MASK,
} from './provider-secrets';

describe('provider secrets', () => {
  const box = new SecretBox(randomBytes(32));

  it('encrypts new credentials, keeps stored ones for the mask or absence, removes on empty', () => {
    const stored = { apiKey: box.encrypt('old'), secretAccessKey: box.encrypt('aws') };
    const merged = mergeCredentials(box, stored, {
      apiKey: SECRET_MASK,
      accessKeyId: 'AKIA',
      secretAccessKey: '',
    });
    expect(merged.apiKey).toBe(stored.apiKey);
    expect(box.decrypt(merged.accessKeyId!)).toBe('AKIA');
    expect(merged).not.toHaveProperty('secretAccessKey');
    expect(mergeCredentials(box, stored, {}).secretAccessKey).toBe(stored.secretAccessKey);
  });

  it('treats credential-like extra headers as secrets and leaves the others readable', () => {
    const stored = mergeExtraHeaders(box, undefined, {
      Authorization: 'Bearer x',
      'X-Team': 'ml',
      'X-Api-Key': 'k',
    })!;
    expect(stored['X-Team']).toBe('ml');
    expect(stored.Authorization).toMatch(/^enc:/);
    expect(maskExtraHeaders(stored)).toEqual({
      Authorization: SECRET_MASK,
      'X-Team': 'ml',
      'X-Api-Key': SECRET_MASK,
    });
    const resent = mergeExtraHeaders(box, stored, { authorization: SECRET_MASK, 'X-Team': 'ops' })!;
    expect(decryptExtraHeaders(box, resent)).toEqual({ authorization: 'Bearer x', 'X-Team': 'ops' });
  });
});
