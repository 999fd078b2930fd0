import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { RoutingCatalog } from '../src/modules/routing/catalog/routing-catalog';
import { BUILT_IN_CATEGORIES, DEFAULT_RULE_SET } from '../src/modules/routing/data';
import { startTestApp } from './support/app';
import { bearer, createUser, setupFirstAdmin } from './support/auth';
import {
  publishConfig,
  seedProvider,
  seedTenant,
  type SeededProvider,
  type SeededTenant,
} from './support/gateway';
import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';

type Headers = { authorization: string };
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

const SMALL_TALK = 'Hi, how are you today?';
/** Pods learn about each other's changes by polling on FerretDB; keep it quick for the test. */
const FAST_SYNC = { CONFIG_POLL_INTERVAL_MS: '300' };

// Every change retrains the local classifier on each pod before the admin call returns; CI machines are slow.
jest.setTimeout(120_000);

describe('admin/categories and admin/routing/rule-sets', () => {
  let app: NestFastifyApplication;
  let second: NestFastifyApplication | undefined;
  let mock: MockUpstream;
  let admin: Headers;
  let auditor: Headers;
  let finops: Headers;
  let provider: SeededProvider;
  let tenant: SeededTenant;
  let other: SeededTenant;

  const call = (
    target: NestFastifyApplication,
    method: Method,
    url: string,
    headers: Headers,
    payload?: object,
  ) => target.inject({ method, url: `/api/prism/admin/${url}`, headers, payload });
  const api = (method: Method, url: string, payload?: object, headers: Headers = admin) =>
    call(app, method, url, headers, payload);

  const chat = async (key: string, content: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${key}` },
      payload: { model: 'auto', messages: [{ role: 'user', content }] },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ auto_routing: { category: string; model_id: string } }>();
    return { model: mock.requests.at(-1)?.body.model as string, routing: body.auto_routing };
  };

  beforeAll(async () => {
    mock = await startMockUpstream();
    app = await startTestApp(FAST_SYNC);
    admin = bearer((await setupFirstAdmin(app)).token);
    auditor = bearer((await createUser(app, 'auditor')).token);
    finops = bearer((await createUser(app, 'finops')).token);
    provider = await seedProvider(app, mock.url, [
      { id: 'mini', tier: 'minimal', inputPer1M: 0.1, outputPer1M: 0.4 },
      { id: 'mid', tier: 'medium', inputPer1M: 1, outputPer1M: 4 },
      { id: 'top', tier: 'high', inputPer1M: 5, outputPer1M: 20 },
      { id: 'special', tier: 'advanced', inputPer1M: 3, outputPer1M: 12 },
    ]);
    tenant = await seedTenant(app, [provider.id]);
    other = await seedTenant(app, [provider.id]);
    await publishConfig(app);
  });
  afterAll(async () => {
    await second?.close();
    await app?.close();
    await mock?.close();
  });
  beforeEach(() => {
    mock.reset();
    mock.script({ reply: replies.text('ok') });
  });

  describe('categories', () => {
    it('seeds every built-in once, sorted by tier with tier groups, and filters', async () => {
      const res = await api('GET', 'categories');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.total).toBe(BUILT_IN_CATEGORIES.length);
      expect(body.items.every((c: { builtIn: boolean }) => c.builtIn)).toBe(true);
      expect(body.items[0].tier).toBe('micro');
      expect(body.tiers[0]).toMatchObject({ tier: 'micro' });
      const grouped = body.tiers.flatMap((g: { keys: string[] }) => g.keys);
      expect(grouped).toEqual(body.items.map((c: { key: string }) => c.key));

      const micro = (await api('GET', 'categories?tier=micro')).json();
      expect(micro.total).toBeGreaterThan(0);
      expect(micro.items.every((c: { tier: string }) => c.tier === 'micro')).toBe(true);
      const search = (await api('GET', 'categories?search=autocomplete&builtIn=true')).json();
      expect(search.items.map((c: { key: string }) => c.key)).toContain('code_autocomplete');
      expect((await api('GET', 'categories?tier=giant')).statusCode).toBe(400);
      expect((await api('GET', 'categories?builtIn=maybe')).statusCode).toBe(400);
    });

    it('reads one category and answers 404 for an unknown key', async () => {
      const res = await api('GET', 'categories/code_autocomplete');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        key: 'code_autocomplete',
        tier: 'micro',
        builtIn: true,
        enabled: true,
      });
      expect((await api('GET', 'categories/nope')).statusCode).toBe(404);
    });

    it('creates, updates, extends and deletes a custom category; protects built-ins', async () => {
      const created = await api('POST', 'categories', {
        key: 'poetry_critique',
        name: 'Poetry critique',
        description: 'Feedback on poems',
        tier: 'low',
        examples: ['Critique my sonnet', 'Bewerte mein Gedicht'],
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ key: 'poetry_critique', builtIn: false, enabled: true });

      expect(
        (await api('POST', 'categories', { key: 'poetry_critique', name: 'x', tier: 'low' })).statusCode,
      ).toBe(409);
      const builtInKey = await api('POST', 'categories', {
        key: 'code_autocomplete',
        name: 'x',
        tier: 'low',
      });
      expect(builtInKey.statusCode).toBe(409);
      const bad = await api('POST', 'categories', { key: 'Bad Key', name: '', tier: 'huge', extra: 1 });
      expect(bad.statusCode).toBe(400);
      const fields = bad.json().details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['key', 'name', 'tier', 'extra']));

      const updated = await api('PATCH', 'categories/poetry_critique', {
        tier: 'medium',
        defaultModel: 'mid',
      });
      expect(updated.statusCode).toBe(200);
      expect(updated.json()).toMatchObject({ tier: 'medium', defaultModel: 'mid' });
      expect((await api('PATCH', 'categories/poetry_critique', { key: 'renamed' })).statusCode).toBe(400);

      const examples = await api('POST', 'categories/poetry_critique/examples', {
        examples: ['Is my haiku any good?', 'critique my sonnet', 'Is my haiku any good?'],
      });
      expect(examples.statusCode).toBe(200);
      expect(examples.json().addedExamples).toEqual(['Is my haiku any good?']);
      expect((await api('POST', 'categories/poetry_critique/examples', { examples: [] })).statusCode).toBe(
        400,
      );

      // The catalog picked the change up: the admin example is training data for the classifier.
      const catalog = app.get(RoutingCatalog);
      expect(catalog.trainingExamples()).toContainEqual({
        text: 'Is my haiku any good?',
        category: 'poetry_critique',
      });

      expect((await api('DELETE', 'categories/code_autocomplete')).statusCode).toBe(409);
      expect((await api('DELETE', 'categories/poetry_critique')).statusCode).toBe(204);
      expect((await api('GET', 'categories/poetry_critique')).statusCode).toBe(404);
      expect((await api('DELETE', 'categories/poetry_critique')).statusCode).toBe(404);
      expect(catalog.categories().some((c) => c.key === 'poetry_critique')).toBe(false);
    });

    it('audits category mutations', async () => {
      const res = await api('GET', 'audit?action=category.*');
      expect(res.statusCode).toBe(200);
      const actions = res.json().items.map((e: { action: string }) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'category.create',
          'category.update',
          'category.examples.add',
          'category.delete',
        ]),
      );
    });

    it('lets readers read and refuses writes to roles without routing.write', async () => {
      expect((await api('GET', 'categories', undefined, auditor)).statusCode).toBe(200);
      expect((await api('GET', 'categories/presets', undefined, finops)).statusCode).toBe(200);
      expect((await api('GET', 'routing/rule-sets', undefined, finops)).statusCode).toBe(200);
      expect((await api('POST', 'categories/restore-built-ins', undefined, auditor)).statusCode).toBe(403);
      expect(
        (await api('PATCH', 'categories/code_autocomplete', { enabled: false }, finops)).statusCode,
      ).toBe(403);
      expect((await api('PUT', 'routing/rule-sets/default', DEFAULT_RULE_SET, auditor)).statusCode).toBe(403);
    });

    it('keeps admin edits across a restart and lets an explicit restore put built-ins back', async () => {
      const target = BUILT_IN_CATEGORIES[1]!;
      const disabled = BUILT_IN_CATEGORIES[2]!;
      await api('PATCH', `categories/${target.key}`, {
        name: 'Renamed by an admin',
        examples: ['only this example'],
        defaultModel: `${provider.slug}/mid`,
      });
      await api('POST', `categories/${target.key}/examples`, { examples: ['an added example'] });
      await api('PATCH', `categories/${disabled.key}`, { enabled: false });
      await api('POST', 'categories', { key: 'custom_kept', name: 'Custom kept', tier: 'low' });

      // A second pod on the same database boots (and runs the seeder) while the first is running.
      second = await startTestApp(FAST_SYNC);
      const read = (key: string) => call(second!, 'GET', `categories/${key}`, admin);
      expect((await read(target.key)).json()).toMatchObject({
        name: 'Renamed by an admin',
        examples: ['only this example'],
      });
      expect((await read(disabled.key)).json()).toMatchObject({ enabled: false });
      const all = (await call(second, 'GET', 'categories', admin)).json();
      expect(all.total).toBe(BUILT_IN_CATEGORIES.length + 1);
      expect(
        second
          .get(RoutingCatalog)
          .categories()
          .find((c) => c.key === disabled.key)?.enabled,
      ).toBe(false);

      const restored = await call(second, 'POST', 'categories/restore-built-ins', admin);
      expect(restored.statusCode).toBe(200);
      expect(restored.json().total).toBe(BUILT_IN_CATEGORIES.length + 1);
      const after = (await read(target.key)).json();
      expect(after).toMatchObject({
        name: target.name,
        examples: [...target.examples],
        // Model choices and admin-added examples are not part of the shipped definition.
        defaultModel: `${provider.slug}/mid`,
        addedExamples: ['an added example'],
      });
      expect((await read(disabled.key)).json()).toMatchObject({ enabled: true });
      expect((await read('custom_kept')).statusCode).toBe(200);

      // The first pod learns about the second pod's change through config-sync.
      await waitFor(
        () =>
          app
            .get(RoutingCatalog)
            .categories()
            .find((c) => c.key === disabled.key)?.enabled === true,
      );

      await second.close();
      second = undefined;
      await api('PATCH', `categories/${target.key}`, { defaultModel: null, fallbackModel: null });
      await api('DELETE', 'categories/custom_kept');
    });
  });

  describe('presets', () => {
    it('lists the preset profiles', async () => {
      const res = await api('GET', 'categories/presets');
      expect(res.statusCode).toBe(200);
      const keys = res.json().map((p: { key: string }) => p.key);
      expect(keys).toEqual(
        expect.arrayContaining([
          'software_development',
          'customer_support',
          'research',
          'creative',
          'data_operations',
          'agentic',
          'all',
        ]),
      );
    });

    it("assigns default models from the provider's visible models, pinned to the provider", async () => {
      const res = await api('POST', 'categories/presets/software_development/apply', {
        providerId: provider.slug,
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ preset: 'software_development', providerId: provider.id });
      expect(body.updated).toBeGreaterThan(0);
      const applied = body.assignments.filter((a: { applied: boolean }) => a.applied);
      for (const assignment of applied) {
        expect(assignment.defaultModel).toMatch(new RegExp(`^${provider.slug}/(mini|mid|top|special)$`));
      }
      const first = applied[0];
      const category = (await api('GET', `categories/${first.category}`)).json();
      expect(category.defaultModel).toBe(first.defaultModel);

      const kept = await api('POST', 'categories/presets/software_development/apply', {
        providerId: provider.id,
        keepExisting: true,
      });
      expect(kept.json().updated).toBe(0);

      expect(
        (await api('POST', 'categories/presets/nope/apply', { providerId: provider.id })).statusCode,
      ).toBe(404);
      const unknownProvider = await api('POST', 'categories/presets/all/apply', { providerId: 'nope' });
      expect(unknownProvider.statusCode).toBe(400);
      expect(unknownProvider.json().details).toMatchObject({ field: 'providerId' });
      expect((await api('POST', 'categories/presets/all/apply', {})).statusCode).toBe(400);

      // Undo, so the gateway tests below start from benchmark selection.
      await api('POST', 'categories/restore-built-ins');
      for (const assignment of applied) {
        await api('PATCH', `categories/${assignment.category}`, { defaultModel: null, fallbackModel: null });
      }
    });
  });

  describe('rule sets', () => {
    const ruleSet = (changes: Record<string, unknown> = {}) => ({
      ...JSON.parse(JSON.stringify(DEFAULT_RULE_SET)),
      name: 'Tenant rules',
      ...changes,
    });

    it('serves the seeded default and lists it first', async () => {
      const res = await api('GET', 'routing/rule-sets/default');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ scope: 'default', tenantId: null, name: DEFAULT_RULE_SET.name });
      const list = (await api('GET', 'routing/rule-sets')).json();
      expect(list.items[0]).toMatchObject({ scope: 'default' });
    });

    it('rejects invalid rule sets with field details', async () => {
      const unsafe = await api(
        'PUT',
        `routing/rule-sets/tenants/${tenant.slug}`,
        ruleSet({
          keywordRules: [
            {
              name: 'evil',
              keywords: ['(a+)+$'],
              regex: true,
              match: 'any',
              minMatches: 1,
              searchIn: 'user',
              tierMin: 'high',
              tierMax: 'low',
              category: 'no_such_category',
            },
          ],
        }),
      );
      expect(unsafe.statusCode).toBe(400);
      const fields = unsafe.json().details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining(['keywordRules[0].keywords[0]', 'keywordRules[0].category']),
      );
      expect(fields.some((f: string) => f.startsWith('keywordRules[0].tier'))).toBe(true);

      const shape = await api(
        'PUT',
        'routing/rule-sets/default',
        ruleSet({ tierBoost: 5, costMode: 'cheap', surprise: true, weights: { tokenCount: 2 } }),
      );
      expect(shape.statusCode).toBe(400);
      const shapeFields = shape.json().details.map((d: { field: string }) => d.field);
      expect(shapeFields).toEqual(
        expect.arrayContaining(['tierBoost', 'costMode', 'surprise', 'weights.tokenCount']),
      );

      const order = await api(
        'PUT',
        'routing/rule-sets/default',
        ruleSet({ tokenThresholds: { minimal: 5000, low: 100, medium: 8000, advanced: 15000, high: 50000 } }),
      );
      expect(order.statusCode).toBe(400);
      expect((await api('PUT', 'routing/rule-sets/tenants/nope', ruleSet())).statusCode).toBe(404);
    });

    it("routes a tenant's auto request by its own rules and category defaults, other tenants unchanged", async () => {
      const before = await chat(tenant.key, SMALL_TALK);
      expect(before.model).toBe('mini');

      // An edited category default model is followed by the gateway.
      const patched = await api('PATCH', `categories/${before.routing.category}`, {
        defaultModel: `${provider.slug}/mid`,
      });
      expect(patched.statusCode).toBe(200);
      expect((await chat(tenant.key, SMALL_TALK)).model).toBe('mid');
      await api('PATCH', `categories/${before.routing.category}`, { defaultModel: null });
      expect((await chat(tenant.key, SMALL_TALK)).model).toBe('mini');

      // A tenant override: a keyword rule sends "purple elephant" to a custom category with its own model.
      await api('POST', 'categories', {
        key: 'elephant_matters',
        name: 'Escalation desk',
        tier: 'advanced',
        defaultModel: `${provider.slug}/special`,
      });
      const put = await api(
        'PUT',
        `routing/rule-sets/tenants/${tenant.slug}`,
        ruleSet({
          keywordRules: [
            {
              name: 'Elephants',
              keywords: ['purple elephant'],
              match: 'any',
              minMatches: 1,
              searchIn: 'user',
              category: 'elephant_matters',
              confidence: 0.99,
            },
          ],
        }),
      );
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({ scope: 'tenant', tenantId: tenant.id, tenantSlug: tenant.slug });
      expect((await api('GET', `routing/rule-sets/tenants/${tenant.id}`)).json()).toMatchObject({
        scope: 'tenant',
        name: 'Tenant rules',
      });
      expect((await api('GET', `routing/rule-sets/tenants/${other.slug}`)).json()).toMatchObject({
        scope: 'default',
      });
      const list = (await api('GET', 'routing/rule-sets')).json();
      expect(list.items.map((r: { scope: string }) => r.scope)).toEqual(['default', 'tenant']);

      const prompt = 'Hi! Just one word about the purple elephant, please.';
      const routed = await chat(tenant.key, prompt);
      expect(routed.routing.category).toBe('elephant_matters');
      expect(routed.model).toBe('special');
      expect((await chat(other.key, prompt)).routing.category).not.toBe('elephant_matters');

      // A category a rule still names cannot be deleted (the rule would silently stop matching).
      const inUse = await api('DELETE', 'categories/elephant_matters');
      expect(inUse.statusCode).toBe(409);
      expect(inUse.json().details.usedBy).toEqual([
        { ruleSet: expect.stringContaining(tenant.id), rule: 'Elephants' },
      ]);

      // Removing the override puts the tenant back on the default rule set.
      expect((await api('DELETE', `routing/rule-sets/tenants/${tenant.slug}`)).statusCode).toBe(204);
      expect((await api('DELETE', `routing/rule-sets/tenants/${tenant.slug}`)).statusCode).toBe(404);
      expect((await chat(tenant.key, prompt)).routing.category).not.toBe('elephant_matters');
      expect((await api('DELETE', 'categories/elephant_matters')).statusCode).toBe(204);

      const audit = (await api('GET', 'audit?action=rule_set.*')).json();
      expect(audit.items.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining(['rule_set.create', 'rule_set.delete']),
      );
    });

    it("removes a tenant's override when the tenant is deleted", async () => {
      const doomed = await seedTenant(app, [provider.id]);
      expect(
        (await api('PUT', `routing/rule-sets/tenants/${doomed.slug}`, ruleSet({ name: 'Doomed rules' })))
          .statusCode,
      ).toBe(200);
      expect((await api('DELETE', `tenants/${doomed.id}`)).statusCode).toBe(204);
      const scopes = (await api('GET', 'routing/rule-sets'))
        .json()
        .items.map((r: { name: string }) => r.name);
      expect(scopes).not.toContain('Doomed rules');
      const audit = (await api('GET', 'audit?action=rule_set.delete')).json();
      expect(audit.items[0]).toMatchObject({ details: { reason: 'tenant_deleted' } });
    });

    it('replaces the global default', async () => {
      const res = await api(
        'PUT',
        'routing/rule-sets/default',
        ruleSet({ name: 'Edited default', tierBoost: 1 }),
      );
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ scope: 'default', name: 'Edited default', tierBoost: 1 });
      expect(app.get(RoutingCatalog).defaultRuleSet()).toMatchObject({
        name: 'Edited default',
        tierBoost: 1,
      });
      expect((await api('DELETE', 'routing/rule-sets/tenants/default')).statusCode).toBe(404);
      await api('PUT', 'routing/rule-sets/default', ruleSet({ name: DEFAULT_RULE_SET.name }));
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
