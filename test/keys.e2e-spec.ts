import { getConnectionToken } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Connection } from 'mongoose';

import { hashApiKey } from '../src/modules/tenants/api-key.util';
import { TenantDirectory } from '../src/modules/tenants/tenant-directory.service';
import { startTestApp } from './support/app';
import { bearer, createUser, setupFirstAdmin } from './support/auth';

describe('admin/tenants/:id/keys', () => {
  let app: NestFastifyApplication;
  let admin: { authorization: string };
  let auditor: { authorization: string };
  let finops: { authorization: string };
  let tenantId: string;
  const issued: string[] = [];

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    headers: object,
    payload?: object,
  ) =>
    app.inject({
      method,
      url: `/api/prism/admin/${url}`,
      headers: headers as Record<string, string>,
      payload,
    });

  beforeAll(async () => {
    app = await startTestApp();
    admin = bearer((await setupFirstAdmin(app)).token);
    auditor = bearer((await createUser(app, 'auditor')).token);
    finops = bearer((await createUser(app, 'finops')).token);
    tenantId = (
      await call('POST', 'tenants', admin, { slug: 'keys-co', name: 'Keys Co', keyLifetimeDays: 30 })
    ).json().id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('returns the plaintext key once, stores only its hash, and lists only the prefix afterwards', async () => {
    const res = await call('POST', `tenants/${tenantId}/keys`, admin, { label: 'ci' });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.apiKey).toMatch(/^omp-[0-9a-f]{64}$/);
    issued.push(created.apiKey);
    expect(created).toMatchObject({
      label: 'ci',
      enabled: true,
      expired: false,
      prefix: created.apiKey.slice(0, 12),
    });
    const days = (new Date(created.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    const list = await call('GET', `tenants/${tenantId}/keys`, auditor);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toHaveLength(1);
    expect(list.body).not.toContain(created.apiKey);
    expect(list.json()[0]).not.toHaveProperty('apiKey');
    expect((await call('GET', `tenants/${tenantId}`, admin)).body).not.toContain(created.apiKey);

    const db = app.get<Connection>(getConnectionToken());
    const stored = await db.collection('api_keys').findOne({ prefix: created.prefix });
    expect(stored?.hash).toBe(hashApiKey(created.apiKey));
    expect(JSON.stringify(stored)).not.toContain(created.apiKey);
    const audit = await db.collection('audit_events').find({}).toArray();
    expect(audit.some((e) => e.action === 'key.create')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(created.apiKey);
  });

  it('every generated key is different', async () => {
    const keys = new Set<string>();
    for (let i = 0; i < 5; i += 1)
      keys.add((await call('POST', `tenants/${tenantId}/keys`, admin, {})).json().apiKey);
    expect(keys.size).toBe(5);
    issued.push(...keys);
  });

  it('disables, enables, relabels and expires keys, and the gateway lookup follows at once', async () => {
    const directory = app.get(TenantDirectory);
    const created = (
      await call('POST', `tenants/${tenantId}/keys`, admin, { label: 'laptop', lifetimeDays: 0 })
    ).json();
    expect(created.expiresAt).toBeNull();
    expect((await directory.resolveApiKey(created.apiKey)).ok).toBe(true);

    const disabled = await call('POST', `tenants/${tenantId}/keys/${created.id}/disable`, admin);
    expect(disabled.json()).toMatchObject({ enabled: false });
    expect(await directory.resolveApiKey(created.apiKey)).toEqual({ ok: false, reason: 'key_disabled' });

    await call('POST', `tenants/${tenantId}/keys/${created.id}/enable`, admin);
    expect((await directory.resolveApiKey(created.apiKey)).ok).toBe(true);

    const soon = new Date(Date.now() + 60_000).toISOString();
    const patched = await call('PATCH', `tenants/${tenantId}/keys/${created.id}`, admin, {
      label: 'old laptop',
      expiresAt: soon,
    });
    expect(patched.json()).toMatchObject({ label: 'old laptop', expiresAt: soon });
    expect((await directory.resolveApiKey(created.apiKey, new Date(Date.now() + 120_000))).ok).toBe(false);
  });

  it('sets, validates and removes a per-key rate limit, and the gateway lookup carries it', async () => {
    const directory = app.get(TenantDirectory);
    const created = (
      await call('POST', `tenants/${tenantId}/keys`, admin, {
        label: 'limited',
        rateLimit: { requestsPerMinute: 30, tokensPerMinute: 0 },
      })
    ).json();
    expect(created.rateLimit).toEqual({ requestsPerMinute: 30, tokensPerMinute: 0 });
    const resolved = await directory.resolveApiKey(created.apiKey);
    expect(resolved.ok && resolved.key.rateLimit).toEqual({ requestsPerMinute: 30, tokensPerMinute: 0 });

    const bad = await call('PATCH', `tenants/${tenantId}/keys/${created.id}`, admin, {
      rateLimit: { requestsPerMinute: -1 },
    });
    expect(bad.statusCode).toBe(400);
    const unknown = await call('PATCH', `tenants/${tenantId}/keys/${created.id}`, admin, {
      rateLimit: { perHour: 5 },
    });
    expect(unknown.statusCode).toBe(400);

    const tokens = await call('PATCH', `tenants/${tenantId}/keys/${created.id}`, admin, {
      rateLimit: { requestsPerMinute: 0, tokensPerMinute: 5000 },
    });
    expect(tokens.json().rateLimit).toEqual({ requestsPerMinute: 0, tokensPerMinute: 5000 });
    const cleared = await call('PATCH', `tenants/${tenantId}/keys/${created.id}`, admin, { rateLimit: null });
    expect(cleared.json().rateLimit).toBeNull();
    const after = await directory.resolveApiKey(created.apiKey);
    expect(after.ok && after.key.rateLimit).toBeNull();
    const denied = await call('PATCH', `tenants/${tenantId}/keys/${created.id}`, finops, {
      rateLimit: { requestsPerMinute: 1 },
    });
    expect(denied.statusCode).toBe(403);
  });

  it('rotates a key: new secret once, old one stops working', async () => {
    const directory = app.get(TenantDirectory);
    const created = (await call('POST', `tenants/${tenantId}/keys`, admin, { label: 'rotating' })).json();
    const rotated = await call('POST', `tenants/${tenantId}/keys/${created.id}/rotate`, admin);
    expect(rotated.statusCode).toBe(200);
    const body = rotated.json();
    expect(body.id).toBe(created.id);
    expect(body.label).toBe('rotating');
    expect(body.apiKey).toMatch(/^omp-[0-9a-f]{64}$/);
    expect(body.apiKey).not.toBe(created.apiKey);
    expect(await directory.resolveApiKey(created.apiKey)).toEqual({ ok: false, reason: 'invalid_api_key' });
    expect((await directory.resolveApiKey(body.apiKey)).ok).toBe(true);
  });

  it('revokes a key for good', async () => {
    const created = (await call('POST', `tenants/${tenantId}/keys`, admin, {})).json();
    expect((await call('DELETE', `tenants/${tenantId}/keys/${created.id}`, admin)).statusCode).toBe(204);
    expect((await call('DELETE', `tenants/${tenantId}/keys/${created.id}`, admin)).statusCode).toBe(404);
    expect(await app.get(TenantDirectory).resolveApiKey(created.apiKey)).toEqual({
      ok: false,
      reason: 'invalid_api_key',
    });
  });

  it('applies the global maximum lifetime', async () => {
    expect((await call('PUT', 'key-policy', admin, { maxLifetimeDays: 7 })).json()).toEqual({
      maxLifetimeDays: 7,
    });
    expect((await call('GET', 'key-policy', auditor)).json()).toEqual({ maxLifetimeDays: 7 });
    const capped = (await call('POST', `tenants/${tenantId}/keys`, admin, {})).json();
    expect(new Date(capped.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
    expect((await call('POST', `tenants/${tenantId}/keys`, admin, { lifetimeDays: 0 })).statusCode).toBe(400);
    expect((await call('POST', `tenants/${tenantId}/keys`, admin, { lifetimeDays: 30 })).statusCode).toBe(
      400,
    );
    const far = new Date(Date.now() + 30 * 86_400_000).toISOString();
    expect((await call('POST', `tenants/${tenantId}/keys`, admin, { expiresAt: far })).statusCode).toBe(400);
    expect(
      (await call('PATCH', `tenants/${tenantId}/keys/${capped.id}`, admin, { expiresAt: null })).statusCode,
    ).toBe(400);
    expect((await call('PUT', 'key-policy', finops, { maxLifetimeDays: 0 })).statusCode).toBe(403);
    await call('PUT', 'key-policy', admin, { maxLifetimeDays: 0 });
  });

  it('rejects bad input and unknown keys or tenants', async () => {
    expect(
      (await call('POST', `tenants/${tenantId}/keys`, admin, { label: 'x'.repeat(101) })).statusCode,
    ).toBe(400);
    expect(
      (await call('POST', `tenants/${tenantId}/keys`, admin, { expiresAt: '2000-01-01T00:00:00Z' }))
        .statusCode,
    ).toBe(400);
    expect((await call('POST', `tenants/${tenantId}/keys`, admin, { apiKey: 'omp-custom' })).statusCode).toBe(
      400,
    );
    expect(
      (await call('PATCH', `tenants/${tenantId}/keys/64b000000000000000000000`, admin, { enabled: false }))
        .statusCode,
    ).toBe(404);
    expect((await call('POST', `tenants/${tenantId}/keys/not-an-id/rotate`, admin)).statusCode).toBe(404);
    expect((await call('GET', 'tenants/nope/keys', admin)).statusCode).toBe(404);
    expect((await call('PUT', 'key-policy', admin, { maxLifetimeDays: -1 })).statusCode).toBe(400);
  });

  it('keys of one tenant cannot be managed through another tenant', async () => {
    const other = (await call('POST', 'tenants', admin, { slug: 'other-co', name: 'Other' })).json();
    const key = (await call('POST', `tenants/${tenantId}/keys`, admin, {})).json();
    expect((await call('POST', `tenants/${other.id}/keys/${key.id}/disable`, admin)).statusCode).toBe(404);
    expect((await call('DELETE', `tenants/${other.id}/keys/${key.id}`, admin)).statusCode).toBe(404);
  });

  it('denies key writes to read-only roles', async () => {
    expect((await call('POST', `tenants/${tenantId}/keys`, auditor, {})).statusCode).toBe(403);
    expect((await call('GET', `tenants/${tenantId}/keys`, finops)).statusCode).toBe(403);
    const tenantAdmin = bearer((await createUser(app, 'tenant-admin', { tenantIds: [tenantId] })).token);
    expect((await call('POST', `tenants/${tenantId}/keys`, tenantAdmin, {})).statusCode).toBe(403);
  });
});
