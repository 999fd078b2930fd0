import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { ConfigChangeBus } from '../src/modules/config-sync/config-change.bus';
import { ProviderCatalog } from '../src/modules/providers/provider-catalog.service';
import { TenantDirectory } from '../src/modules/tenants/tenant-directory.service';
import { startTestApp } from './support/app';
import { bearer, setupFirstAdmin } from './support/auth';

const POLL_MS = 300;

async function eventually<T>(
  read: () => Promise<T> | T,
  accept: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

describe('config propagation between pods (polling; FerretDB has no change streams)', () => {
  let control: NestFastifyApplication;
  let worker: NestFastifyApplication;
  let admin: { authorization: string };

  const call = (method: 'POST' | 'PATCH', url: string, payload?: object) =>
    control.inject({ method, url: `/api/prism/admin/${url}`, headers: admin, payload });

  beforeAll(async () => {
    control = await startTestApp({ NODE_ROLE: 'control', CONFIG_POLL_INTERVAL_MS: String(POLL_MS) });
    worker = await startTestApp({ NODE_ROLE: 'worker', CONFIG_POLL_INTERVAL_MS: String(POLL_MS) });
    admin = bearer((await setupFirstAdmin(control)).token);
  });
  afterAll(async () => {
    await worker.close();
    await control.close();
  });

  it('uses polling on a server without change streams', () => {
    expect(worker.get(ConfigChangeBus).propagationMode).toBe('polling');
  });

  it('a worker sees a key disabled on the control plane within the polling interval', async () => {
    const tenant = (await call('POST', 'tenants', { slug: 'sync-co', name: 'Sync' })).json();
    const key = (await call('POST', `tenants/${tenant.id}/keys`, { label: 'ci' })).json();
    const directory = worker.get(TenantDirectory);
    expect((await directory.resolveApiKey(key.apiKey)).ok).toBe(true);

    const disabledAt = Date.now();
    expect((await call('POST', `tenants/${tenant.id}/keys/${key.id}/disable`)).statusCode).toBe(200);
    const result = await eventually(
      () => directory.resolveApiKey(key.apiKey),
      (r) => !r.ok,
      POLL_MS * 10,
    );
    expect(result).toEqual({ ok: false, reason: 'key_disabled' });
    expect(Date.now() - disabledAt).toBeLessThan(POLL_MS * 4);
  });

  it('a worker sees tenant, provider and model changes without touching the database per request', async () => {
    await call('PATCH', 'tenants/sync-co', { active: false });
    const directory = worker.get(TenantDirectory);
    const tenant = await eventually(
      () => directory.getTenant('sync-co'),
      (t) => t?.active === false,
      POLL_MS * 10,
    );
    expect(tenant?.active).toBe(false);

    const provider = (await call('POST', 'providers', { name: 'Synced', type: 'ollama' })).json();
    await call('POST', 'models', { providerId: provider.id, modelId: 'llama3.1:8b' });
    const catalog = worker.get(ProviderCatalog);
    const model = await eventually(
      () => catalog.findModel('synced', 'llama3.1:8b'),
      (m) => m !== undefined,
      POLL_MS * 10,
    );
    expect(model).toMatchObject({ prefixedId: 'synced/llama3.1:8b', tier: 'minimal' });
    expect(catalog.getProvider('synced')?.type).toBe('ollama');
  });
});
