/**
 * Routing regression gate: the labelled evaluation set must keep meeting the targets. Reads the
 * fixtures from test/fixtures/routing-eval (local files, no network). `npm run eval:routing` prints
 * the same numbers in detail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { BUILT_IN_CATEGORIES } from '../data/categories.data';
import { DEFAULT_RULE_SET } from '../data/default-rule-set.data';
import type { ModelCandidate, RoutingContext } from '../router.interface';
import { caseToInput, evaluateRouting, isEvalCase, type EvalCase } from './evaluation';
import { RoutingEngine } from './routing-engine';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'routing-eval');

function load(): { cases: EvalCase[]; models: ModelCandidate[] } {
  const cases: EvalCase[] = [];
  for (const file of readdirSync(FIXTURES).filter(
    (name) => name.endsWith('.json') && name !== 'models.json',
  )) {
    const entries = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as unknown[];
    for (const entry of entries) {
      if (!isEvalCase(entry)) throw new Error(`invalid case in ${file}: ${JSON.stringify(entry)}`);
      cases.push(entry);
    }
  }
  const models = JSON.parse(readFileSync(join(FIXTURES, 'models.json'), 'utf8')) as ModelCandidate[];
  return { cases, models };
}

describe('routing evaluation set', () => {
  const { cases, models } = load();
  const context: RoutingContext = { ruleSet: DEFAULT_RULE_SET, categories: BUILT_IN_CATEGORIES, models };

  it('has at least 200 labelled prompts over known categories, none copied from the examples', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const keys = new Set(BUILT_IN_CATEGORIES.map((category) => category.key));
    const examples = new Set(
      BUILT_IN_CATEGORIES.flatMap((category) =>
        category.examples.map((example) => example.trim().toLowerCase()),
      ),
    );
    for (const evalCase of cases) {
      expect(keys.has(evalCase.expectedCategory)).toBe(true);
      expect(examples.has(evalCase.prompt.trim().toLowerCase())).toBe(false);
    }
    expect(new Set(cases.map((evalCase) => evalCase.expectedCategory)).size).toBe(keys.size);
  });

  it('meets the accuracy, under-routing and latency targets without an LLM', async () => {
    const engine = new RoutingEngine();
    engine.prepare(BUILT_IN_CATEGORIES);
    await engine.route(caseToInput(cases[0] as EvalCase), context);
    const report = await evaluateRouting(engine, cases, context);
    expect(report.tierBandAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.underRoutingRate).toBeLessThanOrEqual(0.03);
    expect(report.categoryAccuracy).toBeGreaterThanOrEqual(0.7);
    expect(report.costRatio).toBeLessThan(0.5);
    // Generous for a busy CI box; the real numbers (well under 1 ms) are in docs/routing.md.
    expect(report.latencyMs.p50).toBeLessThan(10);
  });
});
