/**
 * Offline routing evaluation: runs the labelled prompts in test/fixtures/routing-eval through the
 * production routing engine (no LLM classifier) and prints accuracy, under-routing, cost and
 * latency. Exits with status 1 when a target is missed.
 *
 *   npm run eval:routing              summary
 *   npm run eval:routing -- --verbose also list every miss
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { BUILT_IN_CATEGORIES } from '../src/modules/routing/data/categories.data';
import { DEFAULT_RULE_SET } from '../src/modules/routing/data/default-rule-set.data';
import {
  buildLongConversation,
  evaluateRouting,
  isEvalCase,
  type EvalCase,
} from '../src/modules/routing/engine/evaluation';
import { RoutingEngine } from '../src/modules/routing/engine/routing-engine';
import type { ModelCandidate, RoutingContext } from '../src/modules/routing/router.interface';

const FIXTURES = join(__dirname, '..', 'test', 'fixtures', 'routing-eval');
const TARGETS = { tierBandAccuracy: 0.9, underRoutingRate: 0.03, p50Ms: 1, longP50Ms: 5 };

function loadCases(): { file: string; cases: EvalCase[] }[] {
  return readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.json') && name !== 'models.json')
    .sort()
    .map((file) => {
      const entries = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as unknown[];
      const cases = entries.map((entry, index) => {
        if (!isEvalCase(entry)) throw new Error(`${file}[${index}] is not a valid evaluation case`);
        return entry;
      });
      return { file, cases };
    });
}

const percent = (value: number): string => `${(value * 100).toFixed(1)} %`;

async function main(): Promise<void> {
  const verbose = process.argv.includes('--verbose');
  const files = loadCases();
  const cases = files.flatMap((entry) => entry.cases);
  const models = JSON.parse(readFileSync(join(FIXTURES, 'models.json'), 'utf8')) as ModelCandidate[];
  const context: RoutingContext = { ruleSet: DEFAULT_RULE_SET, categories: BUILT_IN_CATEGORIES, models };
  const engine = new RoutingEngine();
  const stats = engine.prepare(BUILT_IN_CATEGORIES);

  await evaluateRouting(engine, cases, context); // warm-up: JIT and caches, as in a running gateway
  const report = await evaluateRouting(engine, cases, context);

  const long = buildLongConversation(100_000);
  const longTimes: number[] = [];
  let longTokens = 0;
  for (let run = 0; run < 30; run += 1) {
    const started = performance.now();
    const decision = await engine.route(long, context);
    longTimes.push(performance.now() - started);
    longTokens = decision.signals.tokens.total;
  }
  longTimes.sort((a, b) => a - b);
  const longP50 = longTimes[Math.floor(longTimes.length / 2)] as number;
  const longP99 = longTimes[longTimes.length - 1] as number;

  const lines = [
    `Routing evaluation: ${report.cases} labelled prompts, ${stats.categories} categories, ${stats.examples} examples`,
    `  local classifier: trained in ${stats.trainingMs.toFixed(0)} ms, leave-one-out accuracy on examples ${percent(stats.crossValidationAccuracy)}`,
    `  category accuracy     ${percent(report.categoryAccuracy)}`,
    `  tier-band accuracy    ${percent(report.tierBandAccuracy)}   (target ≥ ${percent(TARGETS.tierBandAccuracy)})`,
    `  under-routing         ${percent(report.underRoutingRate)}   (target ≤ ${percent(TARGETS.underRoutingRate)})`,
    `  over-routing          ${percent(report.overRoutingRate)}`,
    `  estimated cost        $${report.estimatedCostUsd.toFixed(4)} vs $${report.topTierCostUsd.toFixed(4)} always on ${report.topTierModel ?? 'n/a'} = ${percent(report.costRatio)}`,
    `  decision latency      p50 ${report.latencyMs.p50.toFixed(3)} ms, p99 ${report.latencyMs.p99.toFixed(3)} ms (target p50 < ${TARGETS.p50Ms} ms)`,
    `  100k-token request    ${longTokens} tokens: p50 ${longP50.toFixed(2)} ms, max ${longP99.toFixed(2)} ms (target p50 < ${TARGETS.longP50Ms} ms)`,
  ];
  lines.push('  per file (tier-band / under-routing / category):');
  for (const { file, cases: fileCases } of files) {
    const part = await evaluateRouting(engine, fileCases, context);
    lines.push(
      `    ${file.padEnd(22)} ${String(part.cases).padStart(3)} prompts  ${percent(part.tierBandAccuracy)} / ${percent(part.underRoutingRate)} / ${percent(part.categoryAccuracy)}`,
    );
  }
  console.log(lines.join('\n'));
  if (verbose) {
    console.log('\nTier misses:');
    for (const miss of report.tierMisses) {
      console.log(
        `  [${miss.tier} ∉ ${miss.expectedTiers}] ${miss.expectedCategory} → ${miss.category} (${miss.confidence.toFixed(2)}) ${miss.overrides.join(',')} :: ${miss.prompt}`,
      );
    }
    console.log('\nCategory misses:');
    for (const miss of report.categoryMisses) {
      console.log(
        `  ${miss.expectedCategory} → ${miss.category} (${miss.confidence.toFixed(2)}) :: ${miss.prompt}`,
      );
    }
  }
  const failed =
    report.tierBandAccuracy < TARGETS.tierBandAccuracy ||
    report.underRoutingRate > TARGETS.underRoutingRate ||
    report.latencyMs.p50 >= TARGETS.p50Ms ||
    longP50 >= TARGETS.longP50Ms;
  if (failed) {
    console.error('\nA routing target was missed.');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
