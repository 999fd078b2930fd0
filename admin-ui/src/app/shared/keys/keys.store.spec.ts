import { TestBed } from '@angular/core/testing';

import { type ApiKeyResponseDto } from '../../api/models/api-key-response-dto';
import { type CreatedApiKeyResponseDto } from '../../api/models/created-api-key-response-dto';
import { type TenantKeysApi } from './keys-api';
import { KeysStore } from './keys.store';

function key(id: string, overrides: Partial<ApiKeyResponseDto> = {}): ApiKeyResponseDto {
  return {
    id,
    tenantId: 't1',
    label: id,
    prefix: `omp-${id}`,
    enabled: true,
    expired: false,
    expiresAt: null,
    lastUsedAt: null,
    createdAt: '2026-01-01T00:00:00Z',
    rateLimit: null,
    ...overrides,
  };
}

class FakeKeysApi implements TenantKeysApi {
  keys: ApiKeyResponseDto[] = [key('k1')];
  list = vi.fn(() => Promise.resolve([...this.keys]));
  create = vi.fn((_tenantId: string, body: { label?: string }): Promise<CreatedApiKeyResponseDto> => {
    const created = key('k2', { label: body.label ?? '' });
    this.keys.push(created);
    return Promise.resolve({ ...created, apiKey: `omp-${'a'.repeat(64)}` });
  });
  rotate = vi.fn(() => Promise.resolve({ ...key('k3'), apiKey: `omp-${'b'.repeat(64)}` }));
  setEnabled = vi.fn((_t: string, id: string, enabled: boolean) => Promise.resolve(key(id, { enabled })));
  revoke = vi.fn(() => Promise.resolve());
}

describe('KeysStore', () => {
  let store: KeysStore;
  let api: FakeKeysApi;

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [KeysStore] });
    store = TestBed.inject(KeysStore);
    api = new FakeKeysApi();
    await store.init(api, 't1');
  });

  it('loads the tenant keys', () => {
    expect(api.list).toHaveBeenCalledWith('t1');
    expect(store.keys().map((k) => k.id)).toEqual(['k1']);
    expect(store.loaded()).toBe(true);
  });

  it('returns a created key once and lists only its metadata', async () => {
    const result = await store.create({ label: 'ci' });
    expect(result.ok && result.value.apiKey).toMatch(/^omp-a{64}$/);
    expect(store.keys().map((k) => k.label)).toEqual(['k1', 'ci']);
    expect(JSON.stringify(store.keys())).not.toContain('a'.repeat(64));
  });

  it('updates a disabled key in place and drops a revoked one', async () => {
    await store.setEnabled(key('k1'), false);
    expect(store.keys()[0]?.enabled).toBe(false);
    await store.revoke(key('k1'));
    expect(store.keys()).toEqual([]);
  });

  it('reports a failed action without losing the list', async () => {
    api.revoke.mockRejectedValueOnce(new Error('network down'));
    const result = await store.revoke(key('k1'));
    expect(result.ok).toBe(false);
    expect(store.action$.problem()?.message).toBe('network down');
    expect(store.keys().map((k) => k.id)).toEqual(['k1']);
  });
});
