import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { ConfigChangeBus, ConfigScope } from '../src/modules/config-sync/config-change.bus';
import { displayPrefix, generateApiKey, hashApiKey } from '../src/modules/tenants/api-key.util';
import { ApiKeysRepository } from '../src/modules/tenants/api-keys.repository';
import { KeyUsageRecorder } from '../src/modules/tenants/key-usage.recorder';
import { defaultTenantSettings } from '../src/modules/tenants/tenant-defaults';
import { TenantDirectory } from '../src/modules/tenants/tenant-directory.service';
import { TenantsRepository } from '../src/modules/tenants/tenants.repository';
import { startTestApp } from './support/app';

describe('TenantDirectory: the gateway read API for tenants and keys', () => {
  let app: NestFastifyApplication;
  let directory: TenantDirectory;
  let keys: ApiKeysRepository;
  let tenants: TenantsRepository;
  let bus: ConfigChangeBus;

  beforeAll(async () => {
    app = await startTestApp();
    directory = app.get(TenantDirectory);
    keys = app.get(ApiKeysRepository);
    tenants = app.get(TenantsRepository);
    bus = app.get(ConfigChangeBus);
  });
  afterAll(async () => {
    await app.close();
  });

  it('seeds a default tenant with no key at all', async () => {
    const tenant = directory.getDefaultTenant();
    expect(tenant).toMatchObject({ slug: 'default', isDefault: true, active: true });
    expect(await keys.findByTenant(tenant!.id)).toEqual([]);
    expect(directory.getTenant('default')).toBe(tenant);
  });

  it('resolves a key by hash, and reports disabled, expired and tenant-disabled keys', async () => {
    const tenant = await tenants.create({
      ...defaultTenantSettings(),
      slug: 'acme',
      name: 'Acme',
      isDefault: false,
    });
    const plaintext = generateApiKey();
    expect(plaintext).toMatch(/^omp-[0-9a-f]{64}$/);
    const key = await keys.create(tenant._id.toString(), {
      hash: hashApiKey(plaintext),
      prefix: displayPrefix(plaintext),
      label: 'ci',
      enabled: true,
      expiresAt: null,
      createdBy: null,
    });
    await bus.publish(ConfigScope.Tenants, ConfigScope.ApiKeys);

    const ok = await directory.resolveApiKey(plaintext);
    expect(ok.ok && ok.tenant.slug).toBe('acme');
    expect(await directory.resolveApiKey(generateApiKey())).toEqual({ ok: false, reason: 'invalid_api_key' });

    await keys.update(tenant._id.toString(), key._id.toString(), { enabled: false });
    await bus.publish(ConfigScope.ApiKeys);
    expect(await directory.resolveApiKey(plaintext)).toEqual({ ok: false, reason: 'key_disabled' });

    await keys.update(tenant._id.toString(), key._id.toString(), {
      enabled: true,
      expiresAt: new Date(Date.now() - 1000),
    });
    await bus.publish(ConfigScope.ApiKeys);
    expect(await directory.resolveApiKey(plaintext)).toEqual({ ok: false, reason: 'key_expired' });

    await keys.update(tenant._id.toString(), key._id.toString(), { expiresAt: null });
    await tenants.update(tenant._id.toString(), { active: false });
    await bus.publish(ConfigScope.Tenants, ConfigScope.ApiKeys);
    expect(await directory.resolveApiKey(plaintext)).toEqual({ ok: false, reason: 'tenant_disabled' });
  });

  it('finds a key created elsewhere before the next config signal, with one database read', async () => {
    const tenant = directory.getTenant('default')!;
    const plaintext = generateApiKey();
    await keys.create(tenant.id, {
      hash: hashApiKey(plaintext),
      prefix: displayPrefix(plaintext),
      label: '',
      enabled: true,
      expiresAt: null,
      createdBy: null,
    });
    const result = await directory.resolveApiKey(plaintext);
    expect(result.ok).toBe(true);
  });

  it('records last-used times in batches', async () => {
    const tenant = directory.getTenant('default')!;
    const [key] = await keys.findByTenant(tenant.id);
    const recorder = app.get(KeyUsageRecorder);
    const at = new Date('2030-01-01T00:00:00Z');
    recorder.touch(key!._id.toString(), at);
    await recorder.flush();
    expect((await keys.findOne(tenant.id, key!._id.toString()))?.lastUsedAt?.toISOString()).toBe(
      at.toISOString(),
    );
  });
});
