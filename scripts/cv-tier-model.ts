/**
 * k-fold cross-validation of the routing engine (issue 16). The tier model's shipped examples that
 * carry an id — the blind sets' DEV halves (sets A and B) and the blind-written training corpus —
 * are split into folds by a hash of the id; each fold's requests are routed by an engine whose tier
 * model was trained without them (with the written examples, the categories and the other folds).
 * Sets C and D's dev halves are not training data: each of their requests is routed by the model of
 * its fold, an out-of-sample check. The original evaluation files are routed once by a model
 * trained on everything (they are never training data either). The sealed holdouts, and any set
 * other than A–D, are neither read nor routed here.
 *
 *   node -r ./scripts/ts-register.cjs scripts/cv-tier-model.ts [--folds 5] [--verbose]
 *     [--corpus-raw DIR]      also route the held-out corpus rows (full requests from DIR/w<N>/train-w<N>.jsonl)
 *     [--by-writer]           fold the corpus by writer (with --folds 4: leave one writer out)
 *     [--no-corpus] [--corpus-weight W] [--dev-weight W]
 *     [--epochs N] [--lr X] [--l2 X] [--neighbour X] [--under-penalty X]
 *     [--floor-risk X] [--floor-conf X] [--cap-risk X] [--cap-conf X]
 *
 * `--verbose` lists the misses of the dev halves and the corpus, never a holdout prompt.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { compareTiers, isTier } from '../src/common/tiers';
import { corpusTierExamples } from '../src/modules/routing/data/tier-corpus';
import { ClassifierRegistry, shippedTierExamples } from '../src/modules/routing/engine/classifier-registry';
import { TIER_MODEL_BOUNDS } from '../src/modules/routing/engine/combine';
import type { EvalReport, LabelledRequest } from '../src/modules/routing/engine/evaluation';
import { RoutingEngine } from '../src/modules/routing/engine/routing-engine';
import { TIER_TRAINING, type TierExample } from '../src/modules/routing/engine/tier-model';
import type { RoutingInput } from '../src/modules/routing/router.interface';
import { bandOf, dryRunHarness, evaluateSet, loadBlindSets, loadOldSets } from '../test/support/routing-eval';

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const numberArgument = (name: string): number | undefined => {
  const value = argument(name);
  return value === undefined ? undefined : Number(value);
};
const FOLDS = Number(argument('--folds') ?? 5);
const verbose = process.argv.includes('--verbose');
const withCorpus = !process.argv.includes('--no-corpus');
const corpusWeight = numberArgument('--corpus-weight');
const devWeight = numberArgument('--dev-weight');
const corpusRaw = argument('--corpus-raw');
const SETS = (argument('--sets') ?? 'a,b,c,d').split(',').map((set) => `set-${set}`);

const settings: [Record<string, number>, string, string][] = [
  [TIER_TRAINING, 'epochs', '--epochs'],
  [TIER_TRAINING, 'learningRate', '--lr'],
  [TIER_TRAINING, 'l2', '--l2'],
  [TIER_TRAINING, 'neighbourMass', '--neighbour'],
  [TIER_TRAINING, 'underPenalty', '--under-penalty'],
  [TIER_MODEL_BOUNDS, 'floorRisk', '--floor-risk'],
  [TIER_MODEL_BOUNDS, 'floorBelowConfidence', '--floor-conf'],
  [TIER_MODEL_BOUNDS, 'capRisk', '--cap-risk'],
  [TIER_MODEL_BOUNDS, 'capBelowConfidence', '--cap-conf'],
  [TIER_MODEL_BOUNDS, 'floorOnlyAsNeeded', '--floor-as-needed'],
  [TIER_MODEL_BOUNDS, 'floorMinPeak', '--floor-peak'],
];
for (const [target, key, flag] of settings) {
  const value = numberArgument(flag);
  if (value !== undefined) target[key] = value;
}

/**
 * `--by-writer`: a corpus row's fold is its writer (w1 → fold 0 …), so each writer's rows are
 * predicted by a model that never saw that writer: the test of transfer to a new author (and, as
 * the writers wrote different languages, a pessimistic one). Other rows fold by hash.
 */
const byWriter = process.argv.includes('--by-writer');

function foldOf(id: string): number {
  const writer = /^w(\d+)\//.exec(id)?.[1];
  if (byWriter && writer !== undefined) return (Number(writer) - 1) % FOLDS;
  return (createHash('sha256').update(`prism-cv-v1:${id}`).digest()[0] as number) % FOLDS;
}

const isCorpus = (id: string | undefined): boolean => id !== undefined && /^w\d+\//.test(id);

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

function line(name: string, tally: Tally): string {
  return `${name.padEnd(18)} n=${String(tally.cases).padStart(5)}  band ${pct(tally.band, tally.cases).padStart(7)}  under ${pct(tally.under, tally.cases).padStart(6)} (${tally.under})  over ${pct(tally.over, tally.cases).padStart(6)}  cost ${pct(tally.cost, tally.top)}`;
}

/** The corpus rows as full requests (from the writers' files), for routing the held-out ones. */
function loadCorpusRequests(dir: string, ids: ReadonlySet<string>): LabelledRequest[] {
  const requests: LabelledRequest[] = [];
  for (const writer of readdirSync(dir).filter((name) => /^w\d+$/.test(name))) {
    const file = join(dir, writer, `train-${writer}.jsonl`);
    if (!existsSync(file)) continue;
    for (const [index, text] of readFileSync(file, 'utf8').split('\n').entries()) {
      if (!text.trim()) continue;
      const row = JSON.parse(text) as {
        id?: string;
        messages: RoutingInput['messages'];
        tools?: unknown[];
        tier: unknown;
      };
      // The same id as the build script's (a line without an id is named by its line number).
      const id = `${writer}/${typeof row.id === 'string' ? row.id : `line-${index + 1}`}`;
      if (!ids.has(id) || !isTier(row.tier)) continue;
      const band = bandOf(row.tier);
      requests.push({
        id,
        input: { model: 'auto', messages: row.messages, ...(row.tools ? { tools: row.tools } : {}) },
        expectedTierMin: band.min,
        expectedTierMax: band.max,
      });
    }
  }
  return requests;
}

function missLine(miss: EvalReport['tierMisses'][number]): string {
  const direction =
    compareTiers(miss.tier, miss.expectedTiers.split('..')[0] as never) < 0 ? 'UNDER' : 'over';
  return `${direction} [${miss.tier} ∉ ${miss.expectedTiers}] ${miss.category} ${miss.overrides.join(',')} :: ${miss.prompt}`;
}

async function main(): Promise<void> {
  // Dev halves of sets A–D only: the holdouts (and any later set) are never routed by this script.
  const devSets = loadBlindSets().filter(
    (set) => !set.sealed && SETS.includes(set.name.replace(/ dev$/, '')),
  );
  const shipped = (shippedTierExamples() as readonly (TierExample & { id?: string })[])
    .filter((example) => withCorpus || !isCorpus(example.id))
    .map((example) => {
      if (isCorpus(example.id) && corpusWeight !== undefined) return { ...example, weight: corpusWeight };
      if (example.id && !isCorpus(example.id) && devWeight !== undefined)
        return { ...example, weight: devWeight };
      return example;
    });
  const corpusIds = new Set(
    shipped.filter((example) => isCorpus(example.id)).map((example) => example.id as string),
  );
  // With --no-corpus the corpus rows are still routed (by models that never trained on any of them).
  const corpusRequests = corpusRaw
    ? loadCorpusRequests(corpusRaw, new Set(corpusTierExamples(1).map((example) => example.id)))
    : [];
  const writerOf = (id: string | undefined): string => (id ?? '').split('/')[0] as string;
  const tallies = new Map<string, Tally>();
  const tally = (name: string): Tally => {
    let entry = tallies.get(name);
    if (!entry) {
      entry = empty();
      tallies.set(name, entry);
    }
    return entry;
  };
  const misses: string[] = [];
  const trainingMs: number[] = [];
  for (let fold = 0; fold < FOLDS; fold += 1) {
    const heldOut = (id: string | undefined): boolean => id !== undefined && foldOf(id) === fold;
    const tierExamples = shipped.filter((example) => !heldOut(example.id));
    const engine = new RoutingEngine({ registry: new ClassifierRegistry({ tierExamples }) });
    const harness = dryRunHarness(engine);
    trainingMs.push(harness.engine.prepare(harness.context.categories).tierModel.trainingMs);
    const groups: { name: string; totals: string[]; cases: LabelledRequest[] }[] = devSets.map((set) => ({
      name: set.name,
      totals: [/set-[ab] /.test(set.name) ? 'dev A+B' : 'dev C+D', 'dev A-D'],
      cases: set.cases.filter((entry) => heldOut(entry.id)),
    }));
    const byWriter = new Map<string, LabelledRequest[]>();
    for (const entry of corpusRequests.filter((request) => heldOut(request.id)))
      byWriter.set(writerOf(entry.id), [...(byWriter.get(writerOf(entry.id)) ?? []), entry]);
    for (const [writer, cases] of byWriter)
      groups.push({ name: `corpus ${writer}`, totals: ['corpus all'], cases });
    for (const group of groups) {
      const report = await evaluateSet(harness, { name: group.name, sealed: false, cases: group.cases });
      for (const name of [group.name, ...group.totals]) add(tally(name), report);
      if (verbose) misses.push(...report.tierMisses.map((miss) => `${group.name}: ${missLine(miss)}`));
    }
  }
  // The original files: never training data, routed by a model trained on every shipped example.
  const full = dryRunHarness(
    new RoutingEngine({ registry: new ClassifierRegistry({ tierExamples: shipped }) }),
  );
  const oldAll = empty();
  const oldTallies: [string, Tally][] = [];
  for (const set of loadOldSets()) {
    const entry = empty();
    const report = await evaluateSet(full, set);
    add(entry, report);
    add(oldAll, report);
    oldTallies.push([set.name, entry]);
  }

  // The dev halves routed by that full model: what the CI gate's dev floors see (A and B are training data).
  const fullDev: [string, Tally][] = [];
  for (const set of devSets) {
    const entry = empty();
    const report = await evaluateSet(full, set);
    add(entry, report);
    fullDev.push([`${set.name} (full)`, entry]);
    if (verbose) misses.push(...report.tierMisses.map((miss) => `${set.name} (full): ${missLine(miss)}`));
  }
  const stats = full.engine.prepare(full.context.categories).tierModel;
  console.log(
    `${FOLDS}-fold cross-validation (tier model trained without each fold): ${shipped.length} shipped tier examples` +
      ` (${corpusIds.size} corpus), full model ${stats.examples} examples, ${stats.features} features;` +
      ` training ${Math.min(...trainingMs).toFixed(0)}–${Math.max(...trainingMs).toFixed(0)} ms a fold`,
  );
  console.log(
    `settings ${JSON.stringify({ ...TIER_TRAINING, ...TIER_MODEL_BOUNDS, corpusWeight, devWeight })}`,
  );
  const order = [
    ...devSets.map((set) => set.name),
    'dev A+B',
    'dev C+D',
    'dev A-D',
    ...[...tallies.keys()].filter((name) => name.startsWith('corpus w')).sort(),
    'corpus all',
  ];
  for (const name of order) if (tallies.has(name)) console.log(line(name, tallies.get(name) as Tally));
  for (const [name, entry] of [...fullDev, ...oldTallies]) console.log(line(name, entry));
  console.log(line('old: all files', oldAll));
  if (verbose) console.log(`\n${misses.sort().join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
