/**
 * Builds src/modules/routing/data/tier-examples.dev.json, the tier model's shipped examples from the
 * blind evaluation sets' DEV halves (issue 16): for each dev request, the texts the tier model reads
 * (capped as it caps them), its compact signals and the settled tier label.
 *
 * The sealed holdout is never read: lines are filtered by split.json (or its hash rule) on their id
 * before anything else of the line is used.
 *
 *   node -r ./scripts/ts-register.cjs scripts/build-tier-examples.ts
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { isTier, type Tier } from '../src/common/tiers';
import { extractSignals } from '../src/modules/routing/engine/signals';
import {
  capped,
  cappedSystem,
  tierSignalsOf,
  type TierExample,
} from '../src/modules/routing/engine/tier-model';
import type { RoutingInput } from '../src/modules/routing/router.interface';

const BLIND = join(__dirname, '..', 'test', 'fixtures', 'routing-blind');
/** `--sets a,b`: only these sets' dev halves (sets C and D are not training data: docs/routing.md). */
const setsIndex = process.argv.indexOf('--sets');
const SETS = setsIndex >= 0 ? (process.argv[setsIndex + 1] ?? '').split(',') : null;
const OUT = join(__dirname, '..', 'src', 'modules', 'routing', 'data', 'tier-examples.dev.json');

const split = JSON.parse(readFileSync(join(BLIND, 'split.json'), 'utf8')) as {
  dev: string[];
  holdout: string[];
};
const dev = new Set(split.dev);
const holdout = new Set(split.holdout);
function isDev(id: string): boolean {
  if (dev.has(id)) return true;
  if (holdout.has(id)) return false;
  return (createHash('sha256').update(`prism-split-v1:${id}`).digest()[0] as number) < 154;
}

/** The dev lines of a JSONL file: a line's id decides before the line is parsed. */
function devLines(file: string): string[] {
  return readFileSync(join(BLIND, file), 'utf8')
    .split('\n')
    .filter((line) => {
      const id = /"id"\s*:\s*"([^"]+)"/.exec(line)?.[1];
      return id !== undefined && isDev(id);
    });
}

const examples: (TierExample & { id: string })[] = [];
for (const file of readdirSync(BLIND)
  .filter((name) => /^set-[\w-]+\.jsonl$/.test(name) && !name.includes('settled'))
  .filter((name) => SETS === null || SETS.includes(name.slice(4, -6)))
  .sort()) {
  const settledFile = file.replace(/\.jsonl$/, '.settled.jsonl');
  const settled = new Map<string, Tier>();
  for (const line of devLines(settledFile)) {
    const row = JSON.parse(line) as { id: string; tier: unknown };
    if (isTier(row.tier)) settled.set(row.id, row.tier);
  }
  for (const line of devLines(file)) {
    const row = JSON.parse(line) as {
      id: string;
      messages: RoutingInput['messages'];
      tools?: unknown[];
      tier: string;
    };
    const id = row.id;
    const tier = settled.get(id) ?? row.tier;
    if (!isTier(tier)) throw new Error(`${id}: no tier`);
    const { signals, texts } = extractSignals({
      model: 'auto',
      messages: row.messages,
      ...(row.tools ? { tools: row.tools } : {}),
    });
    examples.push({
      id,
      tier,
      lastUser: capped(texts.lastUser || texts.system),
      ...(texts.previousUser ? { previousUser: capped(texts.previousUser) } : {}),
      ...(texts.lastUser && texts.system ? { system: cappedSystem(texts.system) } : {}),
      signals: tierSignalsOf(signals),
    });
  }
}
writeFileSync(OUT, `${JSON.stringify(examples, null, 0).replace(/\},\{"id"/g, '},\n{"id"')}\n`);
console.log(`wrote ${examples.length} dev examples to ${OUT}`);
