import { AUDIT_SECRET_MASK, diffSnapshots, maskSecrets } from './audit-diff';

describe('audit diffs', () => {
  it('lists changed fields only, with nested paths', () => {
    expect(
      diffSnapshots(
        { name: 'a', limits: { rpm: 10, tpm: 5 }, tags: ['x'], same: 1 },
        { name: 'b', limits: { rpm: 20, tpm: 5 }, tags: ['x', 'y'], same: 1 },
      ),
    ).toEqual({
      name: { from: 'a', to: 'b' },
      'limits.rpm': { from: 10, to: 20 },
      tags: { from: ['x'], to: ['x', 'y'] },
    });
  });

  it('treats a missing side as creation or deletion', () => {
    expect(diffSnapshots(undefined, { name: 'a' })).toEqual({ name: { from: null, to: 'a' } });
    expect(diffSnapshots({ name: 'a' }, undefined)).toEqual({ name: { from: 'a', to: null } });
  });

  it('says that a secret changed, never what it is', () => {
    const changes = diffSnapshots(
      { auth: { apiKey: 'sk-old' }, bindPassword: '' },
      { auth: { apiKey: 'sk-new' }, bindPassword: 'hunter2' },
    );
    expect(changes).toEqual({
      'auth.apiKey': { from: AUDIT_SECRET_MASK, to: AUDIT_SECRET_MASK },
      bindPassword: { from: null, to: AUDIT_SECRET_MASK },
    });
    expect(JSON.stringify(changes)).not.toMatch(/sk-old|sk-new|hunter2/);
  });

  it('masks secrets by key name and by encrypted form, keeps harmless token counters', () => {
    expect(
      maskSecrets({
        password: 'p',
        clientSecret: 's',
        accessToken: 't',
        keyHash: 'h',
        authorization: 'Bearer x',
        stored: 'enc:aa:bb:cc',
        tokensPerMinute: 1000,
        maxTokens: 5,
        nested: [{ apiKey: 'k' }],
      }),
    ).toEqual({
      password: AUDIT_SECRET_MASK,
      clientSecret: AUDIT_SECRET_MASK,
      accessToken: AUDIT_SECRET_MASK,
      keyHash: AUDIT_SECRET_MASK,
      authorization: AUDIT_SECRET_MASK,
      stored: AUDIT_SECRET_MASK,
      tokensPerMinute: 1000,
      maxTokens: 5,
      nested: [{ apiKey: AUDIT_SECRET_MASK }],
    });
  });

  it('cuts very long strings', () => {
    const masked = maskSecrets({ prompt: 'x'.repeat(5000) }) as { prompt: string };
    expect(masked.prompt.length).toBeLessThan(600);
  });
});
