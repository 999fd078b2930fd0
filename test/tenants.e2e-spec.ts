import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { startTestApp } from './support/app';
import { bearer, createUser, setupFirstAdmin } from './support/auth';

describe('admin/tenants', () => {
  let app: NestFastifyApplication;
  let admin: { authorization: string };
  let maintainer: { authorization: string };
  let auditor: { authorization: string };
  let finops: { authorization: string };

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
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
    maintainer = bearer((await createUser(app, 'maintainer')).token);
    auditor = bearer((await createUser(app, 'auditor')).token);
    finops = bearer((await createUser(app, 'finops')).token);
  });
  afterAll(async () => {
    await app.close();
  });

  it('lists the seeded default tenant, which has no key', async () => {
    const res = await call('GET', 'tenants', admin);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const def = body.items.find((t: { slug: string }) => t.slug === 'default');
    expect(def).toMatchObject({ isDefault: true, endpointPath: '/api/v1', activeKeyCount: 0 });
    const keys = await call('GET', `tenants/${def.id}/keys`, admin);
    expect(keys.json()).toEqual([]);
  });

  it('creates a tenant with defaults and nested settings, reads it by id and slug', async () => {
    const res = await call('POST', 'tenants', maintainer, {
      slug: 'acme',
      name: 'Acme Corp',
      budgets: { monthlyUsd: 500 },
      rateLimit: { requestsPerMinute: 60 },
      routing: { strictness: 'smart', overrides: { toolCallMinTier: 'advanced' } },
      aliases: [{ alias: 'fast', model: 'gpt-4o-mini' }],
      loadBalancing: { strategy: 'least-busy' },
      quotas: [{ type: 'requests_daily', limit: 1000, enforcement: 'soft_warning' }],
    });
    expect(res.statusCode).toBe(201);
    const tenant = res.json();
    expect(tenant).toMatchObject({
      slug: 'acme',
      active: true,
      isDefault: false,
      endpointPath: '/api/acme/v1',
      budgets: { monthlyUsd: 500, dailyUsd: 0, enforcement: 'hard_block' },
      rateLimit: { requestsPerMinute: 60, tokensPerMinute: 0 },
      routing: {
        enabled: true,
        strictness: 'smart',
        optOutToken: '--model-prism-accept-model',
        overrides: { toolCallMinTier: 'advanced' },
      },
      loadBalancing: { strategy: 'least-busy', weights: [] },
      modelAccess: { mode: 'all', list: [] },
      budgetGuard: { thresholdPct: 80, blockedTiers: ['high', 'ultra', 'critical'] },
    });
    expect(tenant).not.toHaveProperty('apiKey');
    expect((await call('GET', `tenants/${tenant.id}`, auditor)).json().slug).toBe('acme');
    expect((await call('GET', 'tenants/acme', finops)).json().id).toBe(tenant.id);
  });

  it('merges nested objects on update and keeps the rest', async () => {
    const res = await call('PATCH', 'tenants/acme', admin, {
      routing: { enabled: false },
      budgets: { dailyUsd: 20 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      routing: { enabled: false, strictness: 'smart', overrides: { toolCallMinTier: 'advanced' } },
      budgets: { dailyUsd: 20, monthlyUsd: 500 },
    });
  });

  it('accepts an empty update', async () => {
    const res = await call('PATCH', 'tenants/acme', admin, {});
    expect(res.statusCode).toBe(200);
    expect(res.json().budgets.monthlyUsd).toBe(500);
  });

  it('searches and paginates server-side', async () => {
    for (const slug of ['team-a', 'team-b', 'team-c']) {
      expect((await call('POST', 'tenants', admin, { slug, name: `Team ${slug}` })).statusCode).toBe(201);
    }
    const page = (await call('GET', 'tenants?search=team&pageSize=2&page=2', admin)).json();
    expect(page).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page.items).toHaveLength(1);
  });

  it.each(['prism', 'v1', 'api', 'admin', 'health', 'metrics', 'docs'])(
    'refuses the reserved slug %s',
    async (slug) => {
      const res = await call('POST', 'tenants', admin, { slug, name: 'x' });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain('reserved');
    },
  );

  it('rejects bad input with clear 4xx errors', async () => {
    const cases: [object, number, string][] = [
      [{ slug: 'Bad Slug', name: 'x' }, 400, 'slug'],
      [{ slug: 'ok-slug', name: 'x', unknownField: 1 }, 400, 'unknownField'],
      [{ slug: 'ok-slug', name: 'x', routing: { strictness: 'sometimes' } }, 400, 'strictness'],
      [{ slug: 'ok-slug', name: 'x', budgets: { dailyUsd: -1 } }, 400, 'dailyUsd'],
      [{ slug: 'ok-slug', name: 'x', providerIds: ['64b000000000000000000000'] }, 400, 'Unknown provider'],
      [
        {
          slug: 'ok-slug',
          name: 'x',
          aliases: [
            { alias: 'a', model: 'm' },
            { alias: 'a', model: 'n' },
          ],
        },
        400,
        'twice',
      ],
      [{ slug: 'ok-slug', name: 'x', loadBalancing: { strategy: 'random' } }, 400, 'strategy'],
      [{ slug: 'acme', name: 'dup' }, 409, 'already exists'],
    ];
    for (const [payload, status, text] of cases) {
      const res = await call('POST', 'tenants', admin, payload);
      expect({ status: res.statusCode, text: res.json().message.includes(text) }).toEqual({
        status,
        text: true,
      });
    }
  });

  it('answers 404 for unknown tenants', async () => {
    expect((await call('GET', 'tenants/nope', admin)).statusCode).toBe(404);
    expect((await call('PATCH', 'tenants/nope', admin, { name: 'x' })).statusCode).toBe(404);
    expect((await call('DELETE', 'tenants/64b000000000000000000000', admin)).statusCode).toBe(404);
  });

  it('denies writes to read-only roles and everything to tenant roles and anonymous callers', async () => {
    expect((await call('POST', 'tenants', auditor, { slug: 'x1', name: 'x' })).statusCode).toBe(403);
    expect((await call('PATCH', 'tenants/acme', finops, { name: 'x' })).statusCode).toBe(403);
    expect((await call('DELETE', 'tenants/acme', auditor)).statusCode).toBe(403);
    const acme = (await call('GET', 'tenants/acme', admin)).json();
    const tenantAdmin = bearer((await createUser(app, 'tenant-admin', { tenantIds: [acme.id] })).token);
    expect((await call('GET', 'tenants', tenantAdmin)).statusCode).toBe(403);
    expect((await call('GET', 'tenants', {})).statusCode).toBe(401);
  });

  it('refuses to delete the default tenant; deletes others with their keys', async () => {
    expect((await call('DELETE', 'tenants/default', admin)).statusCode).toBe(409);
    const key = await call('POST', 'tenants/team-c/keys', admin, { label: 'x' });
    expect(key.statusCode).toBe(201);
    expect((await call('DELETE', 'tenants/team-c', admin)).statusCode).toBe(204);
    expect((await call('GET', 'tenants/team-c', admin)).statusCode).toBe(404);
  });

  it('generates client configs for every tool with a key placeholder', async () => {
    for (const tool of [
      'continue',
      'cursor',
      'claude-code',
      'opencode',
      'open-webui',
      'openai-python',
      'openai-node',
    ]) {
      const res = await call(
        'GET',
        `tenants/acme/client-config/${tool}?baseUrl=https://llm.example.com`,
        auditor,
      );
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.endpoint).toBe('https://llm.example.com/api/acme/v1');
      expect(body.content).toContain('<YOUR_API_KEY>');
    }
    const claude = (await call('GET', 'tenants/acme/client-config/claude-code', admin, undefined)).json();
    expect(claude.content).toMatch(/ANTHROPIC_BASE_URL='http:\/\/localhost(:80)?\/api\/acme'/);
    const opencode = JSON.parse(
      (await call('GET', 'tenants/acme/client-config/opencode', admin)).json().content,
    );
    expect(opencode.model).toBe('model-prism/auto');
    expect((await call('GET', 'tenants/acme/client-config/vim', admin)).statusCode).toBe(400);
    expect((await call('GET', 'tenants/acme/client-config/continue?baseUrl=notaurl', admin)).statusCode).toBe(
      400,
    );
  });
});
