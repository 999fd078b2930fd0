/**
 * k-fold cross-validation of the routing engine on the blind sets' DEV halves (issue 16): each fold's
 * dev prompts are routed by an engine whose tier model was trained without them (with the written
 * examples, the categories and the other folds). This is the honest dev figure that changes to the
 * engine and its training data are judged by; the sealed holdouts are neither read nor routed here.
 *
 *   node -r ./scripts/ts-register.cjs scripts/cv-tier-model.ts [--folds 5] [--verbose]
 */
import { createHash } from 'node:crypto';

import { compareTiers } from '../src/common/tiers';
import { ClassifierRegistry, shippedTierExamples } from '../src/modules/routing/engine/classifier-registry';
import type { EvalReport, LabelledRequest } from '../src/modules/routing/engine/evaluation';
import { RoutingEngine } from '../src/modules/routing/engine/routing-engine';
import type { TierExample } from '../src/modules/routing/engine/tier-model';
import { dryRunHarness, evaluateSet, loadBlindSets } from '../test/support/routing-eval';

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const FOLDS = Number(argument('--folds') ?? 5);
const verbose = process.argv.includes('--verbose');

function foldOf(id: string): number {
  return (createHash('sha256').update(`prism-cv-v1:${id}`).digest()[0] as number) % FOLDS;
}

interface Tally {
  cases: number;
  band: number;
  under: number;
  over: number;
  cost: number;
  top: number;
}

const empty = (): Tally => ({ cases: 0, band: 0, under: 0, over: 0, cost: 0, top: 0 });

function add(tally: Tally, report: EvalReport): void {
  tally.cases += report.cases;
  tally.band += Math.round(report.tierBandAccuracy * report.cases);
  tally.under += Math.round(report.underRoutingRate * report.cases);
  tally.over += Math.round(report.overRoutingRate * report.cases);
  tally.cost += report.estimatedCostUsd;
  tally.top += report.topTierCostUsd;
}

const pct = (part: number, whole: number): string => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;

async function main(): Promise<void> {
  // Dev halves only: the holdouts are never routed by this script.
  const devSets = loadBlindSets().filter((set) => !set.sealed);
  const shipped = shippedTierExamples() as readonly (TierExample & { id?: string })[];
  const tallies = new Map(devSets.map((set) => [set.name, empty()]));
  const all = empty();
  const misses: string[] = [];
  for (let fold = 0; fold < FOLDS; fold += 1) {
    const heldOut = (id: string | undefined): boolean => id !== undefined && foldOf(id) === fold;
    const tierExamples = shipped.filter((example) => !heldOut(example.id));
    const harness = dryRunHarness(new RoutingEngine({ registry: new ClassifierRegistry({ tierExamples }) }));
    for (const set of devSets) {
      const cases: LabelledRequest[] = set.cases.filter((entry) => heldOut(entry.id));
      const report = await evaluateSet(harness, { name: set.name, sealed: false, cases });
      add(tallies.get(set.name) as Tally, report);
      add(all, report);
      if (verbose) {
        for (const miss of report.tierMisses) {
          const direction =
            compareTiers(miss.tier, miss.expectedTiers.split('..')[0] as never) < 0 ? 'UNDER' : 'over';
          misses.push(
            `${direction} [${miss.tier} ∉ ${miss.expectedTiers}] ${miss.category} ${miss.overrides.join(',')} :: ${miss.prompt}`,
          );
        }
      }
    }
  }
  console.log(`${FOLDS}-fold cross-validation on the dev halves (tier model trained without each fold)`);
  for (const [name, tally] of [...tallies, ['dev all', all] as const]) {
    console.log(
      `${name.padEnd(12)} n=${String(tally.cases).padStart(4)}  band ${pct(tally.band, tally.cases).padStart(7)}  under ${pct(tally.under, tally.cases).padStart(6)} (${tally.under})  over ${pct(tally.over, tally.cases).padStart(6)}  cost ${pct(tally.cost, tally.top)}`,
    );
  }
  if (verbose) console.log(`\n${misses.sort().join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
