import { Types } from 'mongoose';

import type { ConfigChangeBus } from '../../config-sync/config-change.bus';
import { BUILT_IN_CATEGORIES, DEFAULT_RULE_SET } from '../data';
import { builtInDocument } from '../persistence/category-mapping';
import type { RoutingCategoriesRepository } from '../persistence/routing-categories.repository';
import type { RoutingCategoryRecord } from '../persistence/routing-category.schema';
import type { RoutingRuleSetRecord } from '../persistence/routing-rule-set.schema';
import { ruleSetFields, type RoutingRuleSetsRepository } from '../persistence/routing-rule-sets.repository';
import type { RoutingSeeder } from '../persistence/routing-seeder';
import { ROUTING_CONFIG_SCOPE, RoutingCatalog } from './routing-catalog';

const categories: RoutingCategoryRecord[] = BUILT_IN_CATEGORIES.slice(0, 6).map((category) => ({
  ...builtInDocument(category),
  _id: new Types.ObjectId(),
  createdAt: new Date(),
  updatedAt: new Date(),
}));

function ruleSetRecord(scope: string, tenantId: string | null, name: string): RoutingRuleSetRecord {
  return {
    ...ruleSetFields({ ...DEFAULT_RULE_SET, name }),
    keywordRules: [...DEFAULT_RULE_SET.keywordRules],
    systemPromptRoles: [...DEFAULT_RULE_SET.systemPromptRoles],
    _id: new Types.ObjectId(),
    scope,
    tenantId,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
}

function setup(ruleSets: RoutingRuleSetRecord[]) {
  let listener: (() => Promise<void> | void) | undefined;
  const findAll = jest.fn(async () => categories);
  const bus = {
    subscribe: (scopes: string[], fn: () => Promise<void>) => {
      expect(scopes).toEqual([ROUTING_CONFIG_SCOPE]);
      listener = fn;
      return () => (listener = undefined);
    },
  } as unknown as ConfigChangeBus;
  const seed = jest.fn(async () => undefined);
  const catalog = new RoutingCatalog(
    { findAll } as unknown as RoutingCategoriesRepository,
    { findAll: async () => ruleSets } as unknown as RoutingRuleSetsRepository,
    { seed } as unknown as RoutingSeeder,
    bus,
  );
  return { catalog, findAll, seed, fire: () => listener?.() };
}

describe('RoutingCatalog', () => {
  // Each boot trains in a child process, which loads the engine from TypeScript here (seconds under load).
  jest.setTimeout(30_000);

  const tenant = (
    id: string,
    routing: { ruleSetId?: string | null; costMode?: 'economy' | 'quality' | null } = {},
  ) => ({
    id,
    routing: { ruleSetId: routing.ruleSetId ?? null, costMode: routing.costMode ?? null },
  });

  it('seeds, loads and resolves: tenant override, then the named rule set, then the default', async () => {
    const named = ruleSetRecord('tenant:t2', 't2', 'Named');
    const { catalog, seed } = setup([
      ruleSetRecord('default', null, 'Stored default'),
      ruleSetRecord('tenant:t1', 't1', 'T1 rules'),
      named,
    ]);
    await catalog.onApplicationBootstrap();
    expect(seed).toHaveBeenCalledTimes(1);
    expect(catalog.categories().map((c) => c.key)).toEqual(categories.map((c) => c.key));
    expect(catalog.ruleSetFor(tenant('t1')).name).toBe('T1 rules');
    expect(catalog.ruleSetFor(tenant('t9', { ruleSetId: String(named._id) })).name).toBe('Named');
    expect(catalog.ruleSetFor(tenant('t9')).name).toBe('Stored default');
    expect(catalog.version).toBe(1);
  });

  it("applies the tenant's cost mode as a cached variant", async () => {
    const { catalog } = setup([ruleSetRecord('default', null, 'Default')]);
    await catalog.onApplicationBootstrap();
    const economy = catalog.ruleSetFor(tenant('t1', { costMode: 'economy' }));
    expect(economy).toMatchObject({ name: 'Default', costMode: 'economy' });
    expect(catalog.ruleSetFor(tenant('t2', { costMode: 'economy' }))).toBe(economy);
    expect(catalog.ruleSetFor(tenant('t3', { costMode: 'balanced' as 'economy' }))).toBe(
      catalog.defaultRuleSet(),
    );
  });

  it('ignores an invalid stored rule set and keeps the shipped default when none is stored', async () => {
    const broken = ruleSetRecord('tenant:t1', 't1', 'Broken');
    broken.tierBoost = 9;
    const { catalog } = setup([broken]);
    await catalog.onApplicationBootstrap();
    expect(catalog.ruleSetFor(tenant('t1'))).toBe(DEFAULT_RULE_SET);
  });

  it('reloads on the routing scope; changes during a reload trigger one more pass', async () => {
    const { catalog, findAll, fire } = setup([]);
    await catalog.onApplicationBootstrap();
    findAll.mockClear();
    const first = fire();
    const second = catalog.reload();
    const third = catalog.reload();
    await Promise.all([first, second, third]);
    expect(findAll).toHaveBeenCalledTimes(2);
    expect(catalog.version).toBe(3);
  });

  it('trains the classifier (in a training process) before the new snapshot is visible', async () => {
    const { catalog } = setup([]);
    const background = jest.spyOn(catalog.engine, 'prepareInBackground');
    const inline = jest.spyOn(catalog.engine, 'prepare');
    await catalog.onApplicationBootstrap();
    expect(background).toHaveBeenCalledWith(catalog.categories(), catalog.trainingExamples());
    expect(inline).not.toHaveBeenCalled();
  });

  it('trains in-process when the worker fails, so the snapshot always has its models', async () => {
    const { catalog } = setup([]);
    jest.spyOn(catalog.engine, 'prepareInBackground').mockRejectedValue(new Error('no worker'));
    const inline = jest.spyOn(catalog.engine, 'prepare');
    await catalog.onApplicationBootstrap();
    expect(inline).toHaveBeenCalledWith(catalog.categories(), catalog.trainingExamples());
  });
});
