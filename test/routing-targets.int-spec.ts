/**
 * Routing gate (issue 16): every evaluation set runs through the admin dry-run path
 * (EngineRouter.decide, one model per tier, no LLM classifier). The blind dev set and the sealed
 * holdout must meet BLIND_FLOORS (per metric the target where a set has reached it, else the best
 * number reached); the original files must stay within one point of their numbers before the blind tuning.
 * Only aggregate numbers of the holdout are ever computed or printed.
 */
import { dryRunHarness, evaluateSet, loadBlindSets, loadOldSets } from './support/routing-eval';
import { BLIND_FLOORS, BLIND_TARGETS, OLD_SET_FLOORS } from './support/routing-targets';

describe('routing evaluation gate', () => {
  const harness = dryRunHarness();
  const oldSets = loadOldSets();
  const blindSets = loadBlindSets();

  beforeAll(async () => {
    for (const set of blindSets) await evaluateSet(harness, set); // warm-up (JIT, caches)
  });

  it('has the blind dev sets and holdouts of sets A to G', () => {
    const names = blindSets.map((set) => set.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'set-a dev',
        'set-a holdout',
        'set-b dev',
        'set-b holdout',
        'set-c dev',
        'set-c holdout',
        'set-d dev',
        'set-d holdout',
        'set-e dev',
        'set-e holdout',
        'set-f dev',
        'set-f holdout',
        'set-g dev',
        'set-g holdout',
      ]),
    );
    expect(blindSets.find((set) => set.name === 'set-c holdout')?.cases.length).toBe(99);
    expect(blindSets.find((set) => set.name === 'set-d holdout')?.cases.length).toBe(88);
    expect(blindSets.find((set) => set.name === 'set-e holdout')?.cases.length).toBe(97);
    expect(blindSets.find((set) => set.name === 'set-f holdout')?.cases.length).toBe(117);
    expect(blindSets.find((set) => set.name === 'set-g holdout')?.cases.length).toBe(127);
    expect(blindSets.find((set) => set.name === 'set-a dev')?.cases.length).toBeGreaterThanOrEqual(250);
  });

  it.each(Object.keys(BLIND_FLOORS))('%s meets its floor', async (name) => {
    const set = blindSets.find((entry) => entry.name === name);
    if (!set) throw new Error(`missing set ${name}`);
    const floor = BLIND_FLOORS[name] as (typeof BLIND_FLOORS)[string];
    const report = await evaluateSet(harness, set);
    // Aggregates only: a failure message must never show a holdout prompt.
    expect({ name, tierBand: report.tierBandAccuracy >= floor.tierBand }).toEqual({ name, tierBand: true });
    expect({ name, under: report.underRoutingRate <= floor.underRouting }).toEqual({ name, under: true });
    expect({ name, cost: report.costRatio <= floor.costRatio }).toEqual({ name, cost: true });
    // Generous for a busy CI box; `npm run eval:routing` reports the real p50/p99.
    expect(report.latencyMs.p50).toBeLessThan(BLIND_TARGETS.p50Ms * 10);
  });

  it('keeps every original evaluation file within one point of its earlier accuracy', async () => {
    const all = { name: 'old: all files', sealed: false, cases: oldSets.flatMap((set) => set.cases) };
    for (const set of [...oldSets, all]) {
      const floor = OLD_SET_FLOORS[set.name];
      if (floor === undefined) continue;
      const report = await evaluateSet(harness, set);
      const reached = Math.round(report.tierBandAccuracy * 1000) / 10;
      expect({ set: set.name, atFloor: report.tierBandAccuracy >= floor, reached }).toEqual({
        set: set.name,
        atFloor: true,
        reached,
      });
    }
  });
});
