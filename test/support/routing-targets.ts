/**
 * Routing targets (issue 16 item 5), shared by `npm run eval:routing` and the CI gate.
 * Blind sets: tier-band ≥ 92 %, under-routing ≤ 2 %, cost ≤ 25 % of always-top-tier, p50 < 1 ms.
 * The original files must stay within one point of their numbers before the blind-set tuning.
 */
import type { EvalReport } from '../../src/modules/routing/engine/evaluation';

export const BLIND_TARGETS = { tierBand: 0.92, underRouting: 0.02, costRatio: 0.25, p50Ms: 1 };

/** Tier-band accuracy of the original files before any blind-set tuning (commit abfd8f3), minus one point. */
export const OLD_SET_FLOORS: Record<string, number> = {
  '01-everyday': 0.896,
  '02-routine': 0.954,
  '03-professional': 0.961,
  '04-expert': 0.99,
  '05-holdout': 0.901,
  '06-followups': 0.99,
  'old: all files': 0.944,
};

type BlindFloor = { tierBand: number; underRouting: number; costRatio: number };

/**
 * The best numbers each blind set has reached so far (per metric; the comments say when and how).
 * They are a record, not the gate: see BLIND_FLOORS.
 */
export const BLIND_REACHED: Record<string, BlindFloor> = {
  // With the tier model (issue 16 item 3), against the settled labels. The dev halves are part of
  // its training data, so their numbers are optimistic (5-fold cross-validation on them:
  // scripts/cv-tier-model.ts, docs/routing.md); the holdouts were never used. Before the tier model:
  // A dev 0.896/0.008, A holdout 0.823/0.061, B dev 0.866/0.048, B holdout 0.882/0.036; with its
  // first version: A dev 0.935/0.004, A holdout 0.847/0.037, B dev 0.929/0.008, B holdout 0.917/0.012.
  // Third round (task cues, docs/routing.md): A dev 271/281 in band, none under; holdout 143/164,
  // 5 under (before: 264/281 and 142/164). Fourth round (critical-domain lexicon, multilingual
  // category examples): A dev 273/281, none under; holdout 152/164, 3 under. Fifth round: A dev
  // 274/281, none under; holdout unchanged.
  'set-a dev': { tierBand: 0.975, underRouting: 0, costRatio: 0.25 },
  // Sixth round (the tier model trained on the blind-written corpus): holdout 154/164, none under.
  'set-a holdout': { tierBand: 0.939, underRouting: 0, costRatio: 0.25 },
  // B: dev 125/127 in band, none under (before: 123/127); holdout 82/85, 1 under (before 79/85).
  'set-b dev': { tierBand: 0.984, underRouting: 0, costRatio: 0.25 },
  'set-b holdout': { tierBand: 0.964, underRouting: 0.012, costRatio: 0.25 },
  // Set C (a third blind author, 260 prompts, issue 16): the numbers of the engine that had never
  // seen it (commit d3c7885), before any use of its dev half: dev 144/161 in band, 9 under;
  // holdout 97/99, none under. Raised only, never lowered. After hyphenated and camel-cased cue
  // phrases (read after its dev misses): dev 147/161, 6 under; holdout unchanged. Fifth round
  // (incidents without incident words, follow-ups keep their critical situation; tuned on its dev
  // misses): dev 152/161, 1 under; holdout unchanged. Then easy edits in other words (polite
  // questions, clitic imperatives, tables, shortening, chat-title compounds): dev 159/161, 1 under;
  // holdout 98/99, none under.
  'set-c dev': { tierBand: 0.987, underRouting: 0.007, costRatio: 0.25 },
  'set-c holdout': { tierBand: 0.989, underRouting: 0, costRatio: 0.25 },
  // Set D (a fourth blind author, 240 prompts, issue 16): the numbers of the engines that had never
  // seen it (session start ebeca61 and commit b523756, the same), before any use of its dev half: dev 130/152 in band, 11 under, 11
  // over; holdout 78/88 in band, 5 under, 5 over. Raised only, never lowered. Fifth round, tuned
  // on its dev misses by kind: dev 141/152, 6 under, then 144/152, 3 under (both targets met),
  // then 146/152, 3 under;
  // holdout unchanged.
  'set-d dev': { tierBand: 0.96, underRouting: 0.02, costRatio: 0.25 },
  // Sixth round (the tier model trained on the blind-written corpus): holdout 83/88, 1 under.
  'set-d holdout': { tierBand: 0.943, underRouting: 0.012, costRatio: 0.25 },
  // Set E (a fifth blind author, 240 prompts, issue 16, sixth round): the numbers of the engine
  // that had never seen it (session start 82d8c38, measured by the lead before any change of the
  // round): dev 125/143 in band, 5 under, 13 over; holdout 86/97 in band, 5 under, 6 over.
  // Raised only, never lowered.
  // Sixth round (the tier model trained on the blind-written corpus, one reading by the lead):
  // dev 127/143, 1 under; holdout 88/97, 3 under.
  'set-e dev': { tierBand: 0.888, underRouting: 0.007, costRatio: 0.25 },
  'set-e holdout': { tierBand: 0.907, underRouting: 0.031, costRatio: 0.25 },
  // Set F (a sixth blind author, 300 prompts, issue 16, seventh round): the numbers of the engine
  // that had never seen it (session start 2ec280b, measured by the lead before any change of the
  // round): dev 168/183 in band, 1 under, 14 over; holdout 101/117 in band, 5 under, 11 over.
  // Raised only, never lowered.
  'set-f dev': { tierBand: 0.918, underRouting: 0.006, costRatio: 0.25 },
  'set-f holdout': { tierBand: 0.863, underRouting: 0.043, costRatio: 0.25 },
  // Set G (a seventh blind author, 300 prompts, issue 16, eighth round): the numbers of the engine
  // that had never seen it (session start 0493805, measured by the lead before any change of the
  // round reached the engine): dev 160/173 in band, 4 under, 9 over; holdout 121/127 in band,
  // 2 under, 4 over. Raised only, never lowered.
  'set-g dev': { tierBand: 0.924, underRouting: 0.024, costRatio: 0.25 },
  'set-g holdout': { tierBand: 0.952, underRouting: 0.016, costRatio: 0.25 },
};

/**
 * What the CI gate asserts on the blind sets, per metric: the target where the set has reached it,
 * else the number reached (a ratchet that only moves up). Decided in the eighth round (issue 16):
 * until then the floors of sets above the target were their exact counts (e.g. 82 of 85), so a model
 * that moved one older holdout prompt failed CI, and choosing a model meant choosing by holdout
 * pass/fail. A set above the target now only has to stay at the target.
 */
export const BLIND_FLOORS: Record<string, BlindFloor> = Object.fromEntries(
  Object.entries(BLIND_REACHED).map(([name, reached]) => [
    name,
    {
      tierBand: Math.min(reached.tierBand, BLIND_TARGETS.tierBand),
      underRouting: Math.max(reached.underRouting, BLIND_TARGETS.underRouting),
      costRatio: Math.max(reached.costRatio, BLIND_TARGETS.costRatio),
    },
  ]),
);

export function checkTargets(
  reportOf: (name: string) => EvalReport | undefined,
  blindSetNames: readonly string[],
): string[] {
  const failures: string[] = [];
  for (const name of blindSetNames) {
    const report = reportOf(name);
    if (!report) continue;
    if (report.tierBandAccuracy < BLIND_TARGETS.tierBand) failures.push(`${name}: tier-band`);
    if (report.underRoutingRate > BLIND_TARGETS.underRouting) failures.push(`${name}: under-routing`);
    if (report.costRatio > BLIND_TARGETS.costRatio) failures.push(`${name}: cost`);
    if (report.latencyMs.p50 >= BLIND_TARGETS.p50Ms) failures.push(`${name}: p50 latency`);
  }
  for (const [name, floor] of Object.entries(OLD_SET_FLOORS)) {
    const report = reportOf(name);
    if (report && report.tierBandAccuracy < floor) failures.push(`${name}: tier-band below floor`);
  }
  return failures;
}
