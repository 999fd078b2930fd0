/**
 * Offline routing evaluation: runs every labelled set through the production engine path (the
 * admin dry run, EngineRouter.decide, no LLM classifier) for a tenant with a model in every tier,
 * and prints per set tier-band accuracy, under- and over-routing, cost against always using the top
 * tier and decision latency. Exits with status 1 when a target is missed.
 *
 *   npm run eval:routing              summary
 *   npm run eval:routing -- --verbose also list the misses of the open sets (never a holdout's)
 *   npm run eval:routing -- --dev     tuning runs: the original files and the blind sets' dev halves
 *                                     only (no holdout routed, counted or printed; no target check),
 *                                     without set G (the judge of its wave) unless --with-g-dev
 */
import { BUILT_IN_CATEGORIES } from '../src/modules/routing/data/categories.data';
import { buildLongConversation, type EvalReport } from '../src/modules/routing/engine/evaluation';
import {
  dryRunHarness,
  evaluateSet,
  loadBlindSets,
  loadOldSets,
  type EvalSet,
} from '../test/support/routing-eval';
import { BLIND_TARGETS, OLD_SET_FLOORS, checkTargets } from '../test/support/routing-targets';

const percent = (value: number): string => (Number.isNaN(value) ? '   —  ' : `${(value * 100).toFixed(1)} %`);

function row(name: string, report: EvalReport): string {
  return [
    name.padEnd(22),
    String(report.cases).padStart(4),
    percent(report.tierBandAccuracy).padStart(8),
    percent(report.underRoutingRate).padStart(8),
    percent(report.overRoutingRate).padStart(8),
    percent(report.categoryAccuracy).padStart(8),
    percent(report.costRatio).padStart(8),
    `${report.latencyMs.p50.toFixed(2)}/${report.latencyMs.p99.toFixed(2)}`.padStart(12),
  ].join(' ');
}

async function main(): Promise<void> {
  const verbose = process.argv.includes('--verbose');
  const dev = process.argv.includes('--dev');
  const harness = dryRunHarness();
  const oldSets = loadOldSets();
  // --dev: what a tuner may see. Holdouts are dropped at load; set G's files are not opened.
  const blindSets = dev
    ? loadBlindSets({ devOnly: true, skip: process.argv.includes('--with-g-dev') ? [] : ['set-g'] })
    : loadBlindSets();
  const oldAll: EvalSet = {
    name: 'old: all files',
    sealed: false,
    cases: oldSets.flatMap((set) => set.cases),
  };
  const sets = [...oldSets, oldAll, ...blindSets];

  // Warm-up: JIT and caches, as in a running gateway.
  for (const set of sets) await evaluateSet(harness, set);
  const reports = new Map<string, EvalReport>();
  for (const set of sets) reports.set(set.name, await evaluateSet(harness, set));

  const long = buildLongConversation(100_000);
  const longTimes: number[] = [];
  for (let run = 0; run < 30; run += 1) {
    const started = performance.now();
    await harness.router.route(long, harness.context);
    longTimes.push(performance.now() - started);
  }
  longTimes.sort((a, b) => a - b);
  const stats = harness.engine.prepare(BUILT_IN_CATEGORIES);

  const lines = [
    `Routing evaluation (admin dry-run path, one model per tier): ${BUILT_IN_CATEGORIES.length} categories, ${stats.examples} training examples`,
    `  local classifier: trained in ${stats.trainingMs.toFixed(0)} ms, leave-one-out accuracy ${percent(stats.crossValidationAccuracy)}`,
    '',
    `${'set'.padEnd(22)} ${'n'.padStart(4)} ${'band'.padStart(8)} ${'under'.padStart(8)} ${'over'.padStart(8)} ${'category'.padStart(8)} ${'cost'.padStart(8)} ${'p50/p99 ms'.padStart(12)}`,
  ];
  for (const set of sets) lines.push(row(set.name, reports.get(set.name) as EvalReport));
  lines.push(
    '',
    `100k-token conversation: p50 ${(longTimes[15] as number).toFixed(2)} ms, max ${(longTimes[29] as number).toFixed(2)} ms`,
    'band = tier within the label band (label ±1; critical: high…critical); cost = estimated spend / always the top tier',
  );
  console.log(lines.join('\n'));

  if (verbose) {
    for (const set of sets.filter((entry) => !entry.sealed && entry.name !== oldAll.name)) {
      const report = reports.get(set.name) as EvalReport;
      if (report.tierMisses.length === 0) continue;
      console.log(`\nTier misses in ${set.name}:`);
      for (const miss of report.tierMisses) {
        console.log(
          `  [${miss.tier} ∉ ${miss.expectedTiers}] ${miss.expectedCategory ?? ''} → ${miss.category} (${miss.confidence.toFixed(2)}) ${miss.overrides.join(',')} :: ${miss.prompt}`,
        );
      }
    }
  }

  if (dev) {
    console.log(
      '\n--dev: no holdout routed; only the old-file floors are checked (set G left out unless --with-g-dev)',
    );
  }
  // With --dev only the old-file floors are checked: no verdict names a blind set.
  const failures = checkTargets((name) => reports.get(name), dev ? [] : blindSets.map((set) => set.name));
  if (failures.length > 0) {
    console.error(`\nTargets missed:\n  ${failures.join('\n  ')}`);
    console.error(
      `(targets: ${JSON.stringify(BLIND_TARGETS)}; old-file floors: ${JSON.stringify(OLD_SET_FLOORS)})`,
    );
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
