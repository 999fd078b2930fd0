/**
 * The routing evaluation sets and the path they run through, shared by `npm run eval:routing` and
 * the CI gate (test/routing-targets.int-spec.ts).
 *
 * - The original labelled files (test/fixtures/routing-eval/*.json): explicit tier bands.
 * - The blind sets (test/fixtures/routing-blind/set-*.jsonl): OpenAI requests labelled with one
 *   tier each; the band is that tier ±1 (critical: high…critical), the same definition as the
 *   original files (docs/routing.md). Settled labels (a `*settled*` file in that folder) win over
 *   each line's `tier`. Every blind set is split into `dev` and `holdout` by split.json (or, for
 *   ids it does not list, by its hash rule). The holdout is only ever reported in aggregate.
 *
 * Every request goes through EngineRouter.decide as an admin dry run for a tenant that has a model
 * in every tier (test/fixtures/routing-eval/models.json), so no decision is cut by a tier walk.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { isTier, shiftTier, type Tier } from '../../src/common/tiers';
import type { ModelView } from '../../src/modules/providers/provider.types';
import { BUILT_IN_CATEGORIES } from '../../src/modules/routing/data/categories.data';
import { DEFAULT_RULE_SET } from '../../src/modules/routing/data/default-rule-set.data';
import {
  caseToInput,
  evaluateRequests,
  isEvalCase,
  type EvalReport,
  type LabelledRequest,
} from '../../src/modules/routing/engine/evaluation';
import { RoutingEngine } from '../../src/modules/routing/engine/routing-engine';
import type {
  ModelCandidate,
  Router,
  RoutingContext,
  RoutingInput,
} from '../../src/modules/routing/router.interface';
import { EngineRouter } from '../../src/modules/routing/router/engine-router';
import type { TenantModels } from '../../src/modules/routing/router/tenant-models';
import { defaultTenantSettings } from '../../src/modules/tenants/tenant-defaults';
import type { TenantView } from '../../src/modules/tenants/tenant.types';

const ROOT = join(__dirname, '..', 'fixtures');
export const OLD_FIXTURES = join(ROOT, 'routing-eval');
export const BLIND_FIXTURES = join(ROOT, 'routing-blind');

export interface EvalSet {
  name: string;
  /** Holdout sets are reported in aggregate only: never print their prompts or misses. */
  sealed: boolean;
  cases: LabelledRequest[];
}

/** The tier band of a single tier label (docs/routing.md: label ±1, critical: high…critical). */
export function bandOf(tier: Tier): { min: Tier; max: Tier } {
  if (tier === 'critical') return { min: 'high', max: 'critical' };
  return { min: shiftTier(tier, -1), max: shiftTier(tier, 1) };
}

export function loadModels(): ModelCandidate[] {
  return JSON.parse(readFileSync(join(OLD_FIXTURES, 'models.json'), 'utf8')) as ModelCandidate[];
}

/** The original evaluation files, one set per file. */
export function loadOldSets(): EvalSet[] {
  return readdirSync(OLD_FIXTURES)
    .filter((name) => name.endsWith('.json') && name !== 'models.json')
    .sort()
    .map((file) => {
      const entries = JSON.parse(readFileSync(join(OLD_FIXTURES, file), 'utf8')) as unknown[];
      const cases = entries.map((entry, index): LabelledRequest => {
        if (!isEvalCase(entry)) throw new Error(`${file}[${index}] is not a valid evaluation case`);
        return {
          input: caseToInput(entry),
          expectedCategory: entry.expectedCategory,
          expectedTierMin: entry.expectedTierMin,
          expectedTierMax: entry.expectedTierMax,
        };
      });
      return { name: file.replace(/\.json$/, ''), sealed: false, cases };
    });
}

interface BlindLine {
  id: string;
  messages: RoutingInput['messages'];
  tools?: readonly unknown[];
  tier: string;
}

/** Settled labels by id, from any `*settled*` JSON/JSONL file (map, array or lines of {id, tier}). */
function loadSettledLabels(skip: readonly string[] = []): Map<string, Tier> {
  const labels = new Map<string, Tier>();
  const files = existsSync(BLIND_FIXTURES)
    ? readdirSync(BLIND_FIXTURES).filter(
        (name) =>
          /settled/i.test(name) && /\.jsonl?$/.test(name) && !skip.some((set) => name.startsWith(`${set}.`)),
      )
    : [];
  for (const file of files.sort()) {
    const text = readFileSync(join(BLIND_FIXTURES, file), 'utf8');
    const entries: unknown[] = file.endsWith('.jsonl')
      ? text
          .split('\n')
          .filter((line) => line.trim())
          .map((line) => JSON.parse(line) as unknown)
      : ((): unknown[] => {
          const parsed = JSON.parse(text) as unknown;
          if (Array.isArray(parsed)) return parsed;
          const record = parsed as Record<string, unknown>;
          const inner = record.labels ?? record.settled ?? record;
          if (Array.isArray(inner)) return inner;
          return Object.entries(inner as Record<string, unknown>).map(([id, tier]) => ({ id, tier }));
        })();
    for (const entry of entries) {
      const row = entry as Record<string, unknown>;
      const tier = row.settled ?? row.tier ?? row.label;
      if (typeof row.id === 'string' && isTier(tier)) labels.set(row.id, tier);
    }
  }
  return labels;
}

interface Split {
  dev: Set<string>;
  holdout: Set<string>;
}

function loadSplit(): Split {
  const raw = JSON.parse(readFileSync(join(BLIND_FIXTURES, 'split.json'), 'utf8')) as {
    dev: string[];
    holdout: string[];
  };
  return { dev: new Set(raw.dev), holdout: new Set(raw.holdout) };
}

/** The split rule of split.json, for ids it does not list (later sets). */
function isDevByRule(id: string): boolean {
  const first = createHash('sha256').update(`prism-split-v1:${id}`).digest()[0] as number;
  return first < 154;
}

export interface BlindSetOptions {
  /**
   * Dev halves only (tuning runs, `npm run eval:routing -- --dev`): a holdout line is dropped as
   * soon as its id is known, so no holdout request is kept, routed, counted or reported.
   */
  devOnly?: boolean;
  /** Set names (`set-g`) whose files are not opened at all. */
  skip?: readonly string[];
}

/** Every blind set file as a dev and a holdout set (only the dev set with `devOnly`). */
export function loadBlindSets(options: BlindSetOptions = {}): EvalSet[] {
  if (!existsSync(BLIND_FIXTURES)) return [];
  const split = loadSplit();
  const settled = loadSettledLabels(options.skip);
  const sets: EvalSet[] = [];
  for (const file of readdirSync(BLIND_FIXTURES)
    .filter((name) => /^set-[\w-]+\.jsonl$/.test(name))
    .sort()) {
    const name = file.replace(/\.jsonl$/, '');
    if (options.skip?.includes(name)) continue;
    const dev: LabelledRequest[] = [];
    const holdout: LabelledRequest[] = [];
    const lines = readFileSync(join(BLIND_FIXTURES, file), 'utf8').split('\n');
    for (const [index, line] of lines.entries()) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as BlindLine;
      const inDev = split.dev.has(row.id) || (!split.holdout.has(row.id) && isDevByRule(row.id));
      if (!inDev && options.devOnly) continue;
      const tier = settled.get(row.id) ?? row.tier;
      if (!isTier(tier) || !Array.isArray(row.messages)) {
        throw new Error(`${file} line ${index + 1} (${String(row.id)}) is not a valid labelled request`);
      }
      const band = bandOf(tier);
      const request: LabelledRequest = {
        id: row.id,
        input: { model: 'auto', messages: row.messages, ...(row.tools ? { tools: row.tools } : {}) },
        expectedTierMin: band.min,
        expectedTierMax: band.max,
      };
      (inDev ? dev : holdout).push(request);
    }
    sets.push({ name: `${name} dev`, sealed: false, cases: dev });
    if (!options.devOnly) sets.push({ name: `${name} holdout`, sealed: true, cases: holdout });
  }
  return sets;
}

function modelView(candidate: ModelCandidate): ModelView {
  return {
    id: `${candidate.providerId}:${candidate.id}`,
    providerId: candidate.providerId,
    providerSlug: candidate.providerSlug ?? 'eval',
    modelId: candidate.id,
    prefixedId: `${candidate.providerSlug ?? 'eval'}/${candidate.id}`,
    name: candidate.id,
    tier: candidate.tier,
    categories: [],
    contextWindow: candidate.contextWindow,
    maxOutputTokens: null,
    pricing: { inputPer1M: candidate.inputPricePer1M, outputPer1M: candidate.outputPricePer1M },
    capabilities: {
      vision: (candidate.capabilities ?? []).includes('vision'),
      tools: (candidate.capabilities ?? []).includes('tools'),
      fim: false,
      embeddings: false,
      reasoning: false,
    },
    benchmarks: {
      intelligence: candidate.benchmarks?.intelligence ?? null,
      coding: candidate.benchmarks?.coding ?? null,
      math: candidate.benchmarks?.math ?? null,
      speed: candidate.benchmarks?.speed ?? null,
    },
    visible: candidate.visible,
    priority: candidate.priority ?? 50,
    notes: '',
    apiType: 'chat',
    manualFields: [],
    source: 'manual',
    registryId: null,
    lastSeenAt: null,
  } as unknown as ModelView;
}

export interface DryRunHarness {
  router: Router;
  /** The engine context the router builds (used for the top-tier cost reference). */
  context: RoutingContext;
  engine: RoutingEngine;
}

/**
 * A Router that answers like the admin dry run: EngineRouter.decide for a default-settings tenant
 * whose allowed models are the evaluation catalogue, with the built-in categories and rule set.
 */
export function dryRunHarness(engine: RoutingEngine = new RoutingEngine()): DryRunHarness {
  const models = loadModels();
  const noExamples: readonly never[] = []; // one array: the classifier cache is keyed by identity
  const catalog = {
    engine,
    categories: () => BUILT_IN_CATEGORIES,
    trainingExamples: () => noExamples,
    ruleSetFor: () => DEFAULT_RULE_SET,
  };
  const engineRouter = new EngineRouter(
    catalog,
    {} as ConstructorParameters<typeof EngineRouter>[1],
    {} as ConstructorParameters<typeof EngineRouter>[2],
  );
  engineRouter.prepare();
  const tenant = {
    ...defaultTenantSettings(),
    id: 'eval-tenant',
    slug: 'eval',
    name: 'Evaluation',
    isDefault: false,
  } as unknown as TenantView;
  const index: TenantModels = { allowed: models.map(modelView) };
  const router: Router = {
    route: (input) =>
      engineRouter.decide(
        {
          tenant,
          body: input as unknown as Record<string, unknown>,
          userModel: null,
          models: index,
        },
        { dryRun: true },
      ),
  };
  const context: RoutingContext = {
    ruleSet: DEFAULT_RULE_SET,
    categories: BUILT_IN_CATEGORIES,
    models: engineRouter.candidatesFor(index),
  };
  return { router, context, engine };
}

export async function evaluateSet(harness: DryRunHarness, set: EvalSet): Promise<EvalReport> {
  return evaluateRequests(harness.router, set.cases, harness.context);
}
