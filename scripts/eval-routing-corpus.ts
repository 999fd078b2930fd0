/**
 * The blind-written training corpus (test/fixtures/routing-corpus/, one writer's label per row) as
 * an out-of-sample check of the routing stages: every row of the chosen writers runs through the
 * same admin dry run as `npm run eval:routing` (test/support/routing-eval.ts) and is reported by
 * kind, language and by the stage that set the final tier (from the decision's overrides: the last
 * override that changed the tier, else `lean_up` when the tier differs from the winning category's
 * own tier, else the decision's source). The shipped tier model trained on w1–w4 only, so w5–w12
 * are out of sample for it (docs/routing.md). Prints aggregates only, no prompt text, unless
 * --verbose (then the over-routed rows' first 120 characters).
 *
 *   node -r ./scripts/ts-register.cjs scripts/eval-routing-corpus.ts [--writers 5-12] [--verbose]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { compareTiers, isTier, type Tier } from '../src/common/tiers';
import { BUILT_IN_CATEGORIES } from '../src/modules/routing/data/categories.data';
import type { RoutingDecision, RoutingInput } from '../src/modules/routing/router.interface';
import { bandOf, dryRunHarness } from '../test/support/routing-eval';

const CORPUS = join(__dirname, '..', 'test', 'fixtures', 'routing-corpus');

interface Row {
  id: string;
  lang: string;
  kind: string;
  tier: Tier;
  messages: NonNullable<RoutingInput['messages']>;
}

function writerRange(): Set<number> {
  const index = process.argv.indexOf('--writers');
  const spec = index > 0 ? (process.argv[index + 1] ?? '5-12') : '5-12';
  const writers = new Set<number>();
  for (const part of spec.split(',')) {
    const [from, to] = part.split('-').map(Number) as [number, number | undefined];
    for (let w = from; w <= (to ?? from); w += 1) writers.add(w);
  }
  return writers;
}

function loadRows(writers: Set<number>): Row[] {
  const rows: Row[] = [];
  for (const dir of readdirSync(CORPUS).filter((name) => /^w\d+$/.test(name))) {
    if (!writers.has(Number(dir.slice(1)))) continue;
    for (const file of readdirSync(join(CORPUS, dir)).filter((name) => name.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(CORPUS, dir, file), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const row = JSON.parse(line) as Row;
        if (isTier(row.tier)) rows.push(row);
      }
    }
  }
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}

/** The stage that set the final tier (see the file comment). */
export function finalStage(decision: RoutingDecision): string {
  const categoryTier = BUILT_IN_CATEGORIES.find((c) => c.key === decision.category)?.tier;
  let stage: string | null = null;
  for (const record of decision.overrides) {
    if (record.from !== record.to && compareTiers(record.to, 'micro') >= 0) {
      stage =
        record.detail && record.code.startsWith('task_cue')
          ? `${record.code}:${record.detail.split(' ')[0]}`
          : record.code;
    }
  }
  const first = decision.overrides.find((record) => record.from !== record.to);
  const base = first ? first.from : decision.tier;
  if (stage && decision.overrides.some((r) => r.to === decision.tier && r.from !== r.to)) return stage;
  if (categoryTier && base !== categoryTier) return `lean_up_or_cue_category`;
  return `category:${decision.source}`;
}

interface Tally {
  n: number;
  band: number;
  under: number;
  over: number;
}

const tally = (): Tally => ({ n: 0, band: 0, under: 0, over: 0 });
const pct = (a: number, b: number): string => `${((100 * a) / Math.max(b, 1)).toFixed(1)} %`;

function print(title: string, groups: Map<string, Tally>): void {
  console.log(`\n${title}`);
  for (const [key, t] of [...groups.entries()].sort((a, b) => b[1].n - a[1].n)) {
    console.log(
      `  ${key.padEnd(34)} ${String(t.n).padStart(5)}  band ${pct(t.band, t.n).padStart(7)}  under ${String(t.under).padStart(4)}  over ${String(t.over).padStart(4)}`,
    );
  }
}

async function main(): Promise<void> {
  const verbose = process.argv.includes('--verbose');
  const rows = loadRows(writerRange());
  const harness = dryRunHarness();
  const all = tally();
  const byKind = new Map<string, Tally>();
  const byLang = new Map<string, Tally>();
  const byLabel = new Map<string, Tally>();
  const byStage = new Map<string, Tally>();
  const overByStage = new Map<string, number>();
  const overLines: string[] = [];
  for (const row of rows) {
    const decision = await harness.router.route({ model: 'auto', messages: row.messages }, harness.context);
    const band = bandOf(row.tier);
    const under = compareTiers(decision.tier, band.min) < 0;
    const over = compareTiers(decision.tier, band.max) > 0;
    const stage = finalStage(decision);
    for (const [map, key] of [
      [byKind, row.kind],
      [byLang, row.lang],
      [byLabel, row.tier],
      [byStage, stage],
    ] as const) {
      const t = map.get(key) ?? tally();
      map.set(key, t);
      t.n += 1;
      t.band += !under && !over ? 1 : 0;
      t.under += under ? 1 : 0;
      t.over += over ? 1 : 0;
    }
    all.n += 1;
    all.band += !under && !over ? 1 : 0;
    all.under += under ? 1 : 0;
    all.over += over ? 1 : 0;
    if (over) {
      overByStage.set(stage, (overByStage.get(stage) ?? 0) + 1);
      if (verbose) {
        const last = row.messages[row.messages.length - 1];
        const text = typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content);
        overLines.push(
          `  ${row.id} [${row.tier}→${decision.tier}] ${stage} ${decision.category} (${decision.confidence.toFixed(2)}) ${decision.overrides.map((r) => `${r.code}:${r.from}>${r.to}`).join(',')} :: ${text.slice(0, 120).replace(/\s+/g, ' ')}`,
        );
      }
    }
  }
  console.log(
    `rows ${all.n}: band ${pct(all.band, all.n)}, under ${pct(all.under, all.n)} (${all.under}), over ${pct(all.over, all.n)} (${all.over})`,
  );
  print('by kind', byKind);
  print('by language', byLang);
  print('by label', byLabel);
  print('by the stage that set the final tier', byStage);
  console.log('\nover-routed rows by stage');
  for (const [stage, count] of [...overByStage.entries()].sort((a, b) => b[1] - a[1]))
    console.log(`  ${stage.padEnd(34)} ${count}`);
  if (verbose) console.log(`\nover-routed rows\n${overLines.join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
