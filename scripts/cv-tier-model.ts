/**
 * Cross-validation of the routing engine's tier model (issue 16). Training data: the written tier
 * examples, the categories, the blind-written corpus (`--corpus-file`, default the shipped one) and
 * the dev halves of `--train-sets` (default a,b: what the shipped model trains on). Every routed
 * request is routed by an engine whose tier model never saw it:
 *
 * - rows are grouped first — rows sharing a system prompt, or a line of 40+ characters of a pasted
 *   document (the corpus writers reuse each document in two or three rows), are one group — and a
 *   group's rows share a fold (by a hash of the group), so no fold trains on the document it is
 *   tested on;
 * - `--by-writer`: a corpus row's fold is its writer (w1 → 0 …; with `--folds 8`: leave one writer
 *   out, the test of transfer to an author the model never saw);
 * - `--by-set`: a dev row's fold is its set (a → 0 …; with `--folds 5` and `--train-sets a,b,c,d,e`:
 *   leave one set out);
 * - the dev halves of `--sets` that are not training data are out of sample for every fold (each
 *   routed once, by the model of its fold).
 *
 * The original evaluation files are routed once by a model trained on everything (never training
 * data). Only dev halves of sets A–F are read: their lines are filtered on the id before parsing
 * (the sealed holdouts are never read); set F's dev half is out of sample only, set G and later
 * sets are refused.
 *
 *   node -r ./scripts/ts-register.cjs scripts/cv-tier-model.ts [--folds 5] [--verbose]
 *     [--sets a,b,c,d,e[,f]] [--train-sets a,b] [--by-writer] [--by-set]
 *     [--corpus-file FILE] [--corpus-raw DIR]   route the held-out corpus rows (requests from DIR/w<N>/train-w<N>.jsonl)
 *     [--no-corpus] [--corpus-weight W] [--dev-weight W]
 *     [--epochs N] [--lr X] [--l2 X]
 *     [--neighbour X] [--under-penalty X]
 *     [--floor-risk X] [--floor-conf X] [--cap-risk X] [--cap-conf X] [--floor-as-needed 0|1] [--floor-peak X]
 *
 * `--verbose` lists the misses of the dev halves and the corpus, never a holdout prompt.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { compareTiers, isTier } from '../src/common/tiers';
import { CORPUS_FILE, corpusTierExamples } from '../src/modules/routing/data/tier-corpus';
import { ClassifierRegistry, shippedTierExamples } from '../src/modules/routing/engine/classifier-registry';
import { TIER_MODEL_BOUNDS } from '../src/modules/routing/engine/combine';
import type { EvalReport, LabelledRequest } from '../src/modules/routing/engine/evaluation';
import { RoutingEngine } from '../src/modules/routing/engine/routing-engine';
import { TIER_TRAINING, type TierExample } from '../src/modules/routing/engine/tier-model';
import type { RoutingInput } from '../src/modules/routing/router.interface';
import { bandOf, dryRunHarness, evaluateSet, loadOldSets } from '../test/support/routing-eval';
import { devRequests, tierExampleOf } from './build-tier-examples';

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
const corpusFile = argument('--corpus-file') ?? CORPUS_FILE;
/** The sets whose dev halves may be training data here. */
const READABLE = ['a', 'b', 'c', 'd', 'e'];
/**
 * Set F's dev half may be routed out of sample (eighth round), never trained on; its holdout is
 * never read (dev lines are filtered on the id first). Set G and later sets are judges: refused.
 */
const OUT_OF_SAMPLE_ONLY = ['f'];
const setsArgument = (name: string, fallback: string, readable: readonly string[]): string[] => {
  const sets = (argument(name) ?? fallback).split(',').filter(Boolean);
  for (const set of sets)
    if (!readable.includes(set)) throw new Error(`${name}: set ${set} is not readable here`);
  return sets;
};
const SETS = setsArgument('--sets', 'a,b,c,d,e', [...READABLE, ...OUT_OF_SAMPLE_ONLY]);
const TRAIN_SETS = setsArgument('--train-sets', 'a,b', READABLE);
const byWriter = process.argv.includes('--by-writer');
const bySet = process.argv.includes('--by-set');

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

const isCorpus = (id: string | undefined): boolean => id !== undefined && /^w\d+\//.test(id);
const setOf = (id: string): string => id.split('-')[0] as string;
const hashFold = (key: string): number =>
  (createHash('sha256').update(`prism-cv-v1:${key}`).digest()[0] as number) % FOLDS;

/** Union-find over rows: rows sharing a system prompt or a long line of a document are one group. */
function groupsOf(rows: readonly (TierExample & { id: string })[]): Map<string, string> {
  const parent = rows.map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[index] !== root) {
      const next = parent[index] as number;
      parent[index] = root;
      index = next;
    }
    return root;
  };
  const owner = new Map<string, number>();
  const link = (key: string, index: number): void => {
    const other = owner.get(key);
    if (other === undefined) owner.set(key, index);
    else parent[find(index)] = find(other);
  };
  rows.forEach((row, index) => {
    if (row.system) link(`s\u0000${row.system}`, index);
    for (const text of [row.lastUser, row.previousUser ?? ''])
      for (const line of text.split('\n')) {
        const trimmed = line.trim();
        if (trimmed.length >= 40) link(`l\u0000${trimmed}`, index);
      }
  });
  const groups = new Map<string, string>();
  rows.forEach((row, index) => {
    const root = rows[find(index)] as { id: string };
    groups.set(row.id, root.id);
  });
  return groups;
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

function line(name: string, tally: Tally): string {
  return `${name.padEnd(18)} n=${String(tally.cases).padStart(5)}  band ${pct(tally.band, tally.cases).padStart(7)} (${tally.band})  under ${pct(tally.under, tally.cases).padStart(6)} (${tally.under})  over ${pct(tally.over, tally.cases).padStart(6)}  cost ${pct(tally.cost, tally.top)}`;
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
  const devSets = SETS.map((set) => {
    const rows = devRequests(set);
    return {
      set,
      name: `set-${set} dev`,
      training: TRAIN_SETS.includes(set),
      rows,
      cases: rows.map((row): LabelledRequest => ({
        id: row.id,
        input: { model: 'auto', messages: row.messages, ...(row.tools ? { tools: row.tools } : {}) },
        ...(() => {
          const band = bandOf(row.tier);
          return { expectedTierMin: band.min, expectedTierMax: band.max };
        })(),
      })),
    };
  });
  // Written examples only (no id) from the shipped ones; the dev halves and the corpus come from
  // the options, so the shipped tier-examples.dev.json does not decide what is training data.
  const written = (shippedTierExamples() as readonly (TierExample & { id?: string })[]).filter(
    (example) => example.id === undefined,
  );
  const devTraining = devSets
    .filter((set) => set.training)
    .flatMap((set) =>
      set.rows.map((row) => ({
        id: row.id,
        ...tierExampleOf(row, row.tier),
        ...(devWeight !== undefined ? { weight: devWeight } : {}),
      })),
    );
  const corpus = withCorpus ? corpusTierExamples(corpusWeight ?? 1, corpusFile) : [];
  const labelled = [...devTraining, ...corpus];
  const groups = groupsOf(labelled);
  const foldOf = (id: string): number => {
    const writer = /^w(\d+)\//.exec(id)?.[1];
    if (byWriter && writer !== undefined) return (Number(writer) - 1) % FOLDS;
    if (bySet && !isCorpus(id)) return Math.max(0, READABLE.indexOf(setOf(id))) % FOLDS;
    return hashFold(groups.get(id) ?? id);
  };
  const groupCount = new Set(groups.values()).size;
  // Routed corpus rows: all of the file's, also with --no-corpus (then by models that never saw any).
  const corpusRequests = corpusRaw
    ? loadCorpusRequests(corpusRaw, new Set(corpusTierExamples(1, corpusFile).map((example) => example.id)))
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
    const tierExamples = [...written, ...labelled.filter((example) => !heldOut(example.id))];
    const engine = new RoutingEngine({ registry: new ClassifierRegistry({ tierExamples }) });
    const harness = dryRunHarness(engine);
    trainingMs.push(harness.engine.prepare(harness.context.categories).tierModel.trainingMs);
    const routed: { name: string; totals: string[]; cases: LabelledRequest[] }[] = devSets.map((set) => ({
      name: set.name,
      // Set F's dev half stays out of the A–E totals (comparable with earlier rounds' tables).
      totals: OUT_OF_SAMPLE_ONLY.includes(set.set)
        ? []
        : [set.training ? 'dev, trained (CV)' : 'dev, out of sample', 'dev A-E'],
      // A training set's rows are routed in their own fold; the others once, by their hash fold.
      cases: set.cases.filter((entry) => heldOut(entry.id)),
    }));
    const byWriterCases = new Map<string, LabelledRequest[]>();
    for (const entry of corpusRequests.filter((request) => heldOut(request.id)))
      byWriterCases.set(writerOf(entry.id), [...(byWriterCases.get(writerOf(entry.id)) ?? []), entry]);
    for (const [writer, cases] of byWriterCases)
      routed.push({ name: `corpus ${writer}`, totals: ['corpus all'], cases });
    for (const group of routed) {
      if (group.cases.length === 0) continue;
      const report = await evaluateSet(harness, { name: group.name, sealed: false, cases: group.cases });
      for (const name of [group.name, ...group.totals]) add(tally(name), report);
      if (verbose) misses.push(...report.tierMisses.map((miss) => `${group.name}: ${missLine(miss)}`));
    }
  }
  // The original files: never training data, routed by a model trained on every labelled example.
  const full = dryRunHarness(
    new RoutingEngine({ registry: new ClassifierRegistry({ tierExamples: [...written, ...labelled] }) }),
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
  const stats = full.engine.prepare(full.context.categories).tierModel;
  console.log(
    `${FOLDS}-fold cross-validation${byWriter ? ' (corpus by writer)' : ''}${bySet ? ' (dev by set)' : ''}: ` +
      `${labelled.length} labelled examples in ${groupCount} groups (${corpus.length} corpus, dev ${TRAIN_SETS.join('')}), ` +
      `full model ${stats.examples} examples, ${stats.features} features, ${stats.trainingMs.toFixed(0)} ms;` +
      ` training ${Math.min(...trainingMs).toFixed(0)}–${Math.max(...trainingMs).toFixed(0)} ms a fold`,
  );
  console.log(
    `settings ${JSON.stringify({ ...TIER_TRAINING, ...TIER_MODEL_BOUNDS, corpusWeight, devWeight, corpusFile })}`,
  );
  const order = [
    ...devSets.map((set) => set.name),
    'dev, trained (CV)',
    'dev, out of sample',
    'dev A-E',
    ...[...tallies.keys()].filter((name) => name.startsWith('corpus w')).sort(),
    'corpus all',
  ];
  for (const name of order) if (tallies.has(name)) console.log(line(name, tallies.get(name) as Tally));
  for (const [name, entry] of oldTallies) console.log(line(name, entry));
  console.log(line('old: all files', oldAll));
  if (verbose) console.log(`\n${misses.sort().join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
