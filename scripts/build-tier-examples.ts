/**
 * Builds the tier model's shipped examples (issue 16): for each request, the texts the tier model
 * reads (capped as it caps them), its compact signals and its tier label.
 *
 * Two sources, two files:
 * - `--sets a,b` (default: every set): the blind evaluation sets' DEV halves with their settled
 *   labels → src/modules/routing/data/tier-examples.dev.json. The sealed holdout is never read:
 *   lines are filtered by split.json (or its hash rule) on their id before anything else of the
 *   line is used.
 * - `--corpus DIR`: the blind-written training corpus, DIR/w<N>/train-w<N>.jsonl (one writer per
 *   folder; lines `{"id","lang","kind","messages":[...],"tier"}`, labelled by their writer) →
 *   src/modules/routing/data/tier-examples.corpus.json, each row's id prefixed with its writer
 *   (`w2/…`) for provenance. A row whose last user message equals or nearly equals a request of
 *   any evaluation set — every `set-*.jsonl` of test/fixtures/routing-blind (a set added later is
 *   read without a code change) and the original files — is left out (leakage guard, see
 *   `EvaluationTexts`; only counts per file are printed, never a text).
 *
 *   node -r ./scripts/ts-register.cjs scripts/build-tier-examples.ts --sets a,b
 *   node -r ./scripts/ts-register.cjs scripts/build-tier-examples.ts --corpus /path/to/train [--out FILE]
 *     [--writers w1,w2,…]   only these writers' folders (default: all)
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { isTier, type Tier } from '../src/common/tiers';
import { compactTierSignals, type CorpusFile, type CorpusRow } from '../src/modules/routing/data/tier-corpus';
import { extractSignals } from '../src/modules/routing/engine/signals';
import {
  capped,
  cappedSystem,
  tierSignalsOf,
  type TierExample,
} from '../src/modules/routing/engine/tier-model';
import type { RoutingInput } from '../src/modules/routing/router.interface';

const BLIND = join(__dirname, '..', 'test', 'fixtures', 'routing-blind');
const DATA = join(__dirname, '..', 'src', 'modules', 'routing', 'data');
const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};

export interface RequestLine {
  id?: string;
  messages: RoutingInput['messages'];
  tools?: unknown[];
  tier: string;
  lang?: string;
  kind?: string;
}

/** What the tier model reads of one request. */
export function tierExampleOf(row: RequestLine, tier: Tier): TierExample {
  const { signals, texts } = extractSignals({
    model: 'auto',
    messages: row.messages,
    ...(row.tools ? { tools: row.tools } : {}),
  });
  return {
    tier,
    lastUser: capped(texts.lastUser || texts.system),
    ...(texts.previousUser ? { previousUser: capped(texts.previousUser) } : {}),
    ...(texts.lastUser && texts.system ? { system: cappedSystem(texts.system) } : {}),
    signals: tierSignalsOf(signals),
  };
}

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
export function devLines(file: string): string[] {
  return readFileSync(join(BLIND, file), 'utf8')
    .split('\n')
    .filter((line) => {
      const id = /"id"\s*:\s*"([^"]+)"/.exec(line)?.[1];
      return id !== undefined && isDev(id);
    });
}

function blindSetFiles(): string[] {
  return readdirSync(BLIND)
    .filter((name) => /^set-[\w-]+\.jsonl$/.test(name) && !name.includes('settled'))
    .sort();
}

function buildDev(sets: readonly string[] | null): void {
  const out = join(DATA, 'tier-examples.dev.json');
  const examples: (TierExample & { id: string })[] = [];
  for (const file of blindSetFiles().filter((name) => sets === null || sets.includes(name.slice(4, -6)))) {
    for (const row of devRequests(file.slice(4, -6)))
      examples.push({ id: row.id, ...tierExampleOf(row, row.tier) });
  }
  writeFileSync(out, `${JSON.stringify(examples, null, 0).replace(/\},\{"id"/g, '},\n{"id"')}\n`);
  console.log(`wrote ${examples.length} dev examples to ${out}`);
}

const normalise = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();
const digest = (text: string): string => createHash('sha256').update(normalise(text)).digest('hex');

/** Case, accents, punctuation and spacing removed: "Ciao! Come va oggi?" = "ciao come va oggi". */
const loose = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Word 3-grams of a loose text (its near-duplicate fingerprint). */
function shingles(words: readonly string[]): Set<string> {
  const result = new Set<string>();
  for (let index = 0; index + 3 <= words.length; index += 1)
    result.add(words.slice(index, index + 3).join(' '));
  return result;
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      current.push(value);
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] as number;
}

/** Short texts are compared by edit distance, longer ones by word 3-gram overlap. */
const SHORT_CHARS = 60;
const NEAR_OVERLAP = 0.8;

/**
 * The evaluation requests' texts (every blind set file of test/fixtures/routing-blind, both halves,
 * and the original files), for the leakage guard: a training row is dropped when its user text
 * equals one of them after {@link loose} normalisation, is within a few edits of a short one, or
 * shares at least 80 % of its word 3-grams with a longer one (Jaccard). Only compared, never printed.
 */
class EvaluationTexts {
  private readonly exact = new Map<string, string>();
  private readonly short: { text: string; source: string }[] = [];
  private readonly long: { grams: Set<string>; source: string }[] = [];
  private readonly byGram = new Map<string, number[]>();

  add(text: string, source: string): void {
    const key = loose(text);
    if (!key) return;
    this.exact.set(key, source);
    if (key.length <= SHORT_CHARS) this.short.push({ text: key, source });
    const grams = shingles(key.split(' '));
    if (grams.size >= 4) {
      const index = this.long.length;
      this.long.push({ grams, source });
      for (const gram of grams) {
        const list = this.byGram.get(gram);
        if (list) list.push(index);
        else this.byGram.set(gram, [index]);
      }
    }
  }

  /** The evaluation file a text leaks from, or undefined. */
  match(text: string): string | undefined {
    const key = loose(text);
    if (!key) return undefined;
    const exact = this.exact.get(key);
    if (exact) return exact;
    if (key.length <= SHORT_CHARS) {
      const limit = Math.max(1, Math.floor(key.length / 10));
      for (const entry of this.short) if (editDistance(key, entry.text, limit) <= limit) return entry.source;
    }
    const grams = shingles(key.split(' '));
    if (grams.size < 4) return undefined;
    const shared = new Map<number, number>();
    for (const gram of grams)
      for (const index of this.byGram.get(gram) ?? []) shared.set(index, (shared.get(index) ?? 0) + 1);
    for (const [index, count] of shared) {
      const entry = this.long[index] as { grams: Set<string>; source: string };
      if (count / (grams.size + entry.grams.size - count) >= NEAR_OVERLAP) return entry.source;
    }
    return undefined;
  }
}

function lastUserText(messages: RoutingInput['messages']): string {
  const last = [...(messages ?? [])].reverse().find((message) => message.role === 'user');
  const content = last?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((part) => (typeof part === 'object' && part && 'text' in part ? String(part.text) : ''))
      .join('\n');
  return '';
}

/** Every evaluation request's last user message (see {@link EvaluationTexts}). */
function evaluationTexts(): EvaluationTexts {
  const texts = new EvaluationTexts();
  for (const file of blindSetFiles()) {
    for (const line of readFileSync(join(BLIND, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const text = lastUserText((JSON.parse(line) as RequestLine).messages);
      if (text.trim()) texts.add(text, file);
    }
  }
  const old = join(__dirname, '..', 'test', 'fixtures', 'routing-eval');
  for (const file of readdirSync(old).filter((name) => /^\d\d-.*\.json$/.test(name))) {
    const parsed = JSON.parse(readFileSync(join(old, file), 'utf8')) as unknown;
    const cases = Array.isArray(parsed) ? parsed : ((parsed as { cases?: unknown[] }).cases ?? []);
    for (const entry of cases as { input?: { messages?: RoutingInput['messages'] }; prompt?: string }[]) {
      const text = entry.input?.messages ? lastUserText(entry.input.messages) : (entry.prompt ?? '');
      if (text.trim()) texts.add(text, file);
    }
  }
  return texts;
}

function buildCorpus(
  dir: string,
  out = join(DATA, 'tier-examples.corpus.json'),
  writers: readonly string[] | null = null,
): void {
  const evaluation = evaluationTexts();
  const leaked: Record<string, number> = {};
  const systems: string[] = [];
  const systemIndex = new Map<string, number>();
  const rows: CorpusRow[] = [];
  const seen = new Set<string>();
  const skipped = { invalid: 0, duplicateId: 0, duplicateText: 0, evaluation: 0 };
  const perWriter: Record<string, number> = {};
  for (const writer of readdirSync(dir)
    .filter((name) => /^w\d+$/.test(name) && (writers === null || writers.includes(name)))
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))) {
    const file = join(dir, writer, `train-${writer}.jsonl`);
    if (!existsSync(file)) continue;
    if (!existsSync(join(dir, writer, 'DONE'))) console.warn(`${writer}: no DONE file yet`);
    for (const [index, line] of readFileSync(file, 'utf8').split('\n').entries()) {
      if (!line.trim()) continue;
      let row: RequestLine;
      try {
        row = JSON.parse(line) as RequestLine;
      } catch {
        skipped.invalid += 1;
        continue;
      }
      const tier = row.tier;
      const text = Array.isArray(row.messages) ? lastUserText(row.messages) : '';
      if (!isTier(tier) || !text.trim()) {
        skipped.invalid += 1;
        continue;
      }
      const id = `${writer}/${typeof row.id === 'string' ? row.id : `line-${index + 1}`}`;
      if (seen.has(id)) {
        skipped.duplicateId += 1;
        continue;
      }
      seen.add(id);
      const key = digest(text);
      const source = evaluation.match(text);
      if (source) {
        skipped.evaluation += 1;
        leaked[source] = (leaked[source] ?? 0) + 1;
        continue;
      }
      let example: TierExample;
      try {
        example = tierExampleOf(row, tier);
      } catch {
        skipped.invalid += 1;
        continue;
      }
      let system: number | undefined;
      if (example.system) {
        system = systemIndex.get(example.system);
        if (system === undefined) {
          system = systems.length;
          systems.push(example.system);
          systemIndex.set(example.system, system);
        }
      }
      const duplicateKey = `${key}\u0000${system ?? ''}\u0000${example.previousUser ?? ''}\u0000${tier}`;
      if (seen.has(duplicateKey)) {
        skipped.duplicateText += 1;
        continue;
      }
      seen.add(duplicateKey);
      rows.push({
        id,
        ...(row.lang ? { lang: row.lang } : {}),
        ...(row.kind ? { kind: row.kind } : {}),
        tier,
        lastUser: example.lastUser,
        ...(example.previousUser ? { previousUser: example.previousUser } : {}),
        ...(system !== undefined ? { system } : {}),
        signals: compactTierSignals(example.signals),
      });
      perWriter[writer] = (perWriter[writer] ?? 0) + 1;
    }
  }
  const corpus: CorpusFile = { systems, rows };
  // One system prompt or row a line (diffable), the same JSON as JSON.stringify(corpus).
  const lines = (items: readonly unknown[]): string => items.map((item) => JSON.stringify(item)).join(',\n');
  writeFileSync(out, `{"systems":[\n${lines(corpus.systems)}\n],\n"rows":[\n${lines(corpus.rows)}\n]}\n`);
  const tiers: Record<string, number> = {};
  for (const row of rows) tiers[row.tier] = (tiers[row.tier] ?? 0) + 1;
  console.log(
    `wrote ${rows.length} corpus examples (${systems.length} distinct system prompts) to ${out}\n` +
      `per writer ${JSON.stringify(perWriter)}\nper tier ${JSON.stringify(tiers)}\n` +
      `left out: ${JSON.stringify(skipped)}; equal or near-equal to a request of ${JSON.stringify(leaked)}`,
  );
}

/**
 * The dev half of one blind set with its settled labels (sets added later are read the same way;
 * the sealed holdout never: lines are filtered on their id first).
 */
export function devRequests(set: string): (RequestLine & { id: string; tier: Tier })[] {
  const settled = new Map<string, Tier>();
  for (const line of devLines(`set-${set}.settled.jsonl`)) {
    const row = JSON.parse(line) as { id: string; tier: unknown };
    if (isTier(row.tier)) settled.set(row.id, row.tier);
  }
  return devLines(`set-${set}.jsonl`).map((line) => {
    const row = JSON.parse(line) as RequestLine & { id: string };
    const tier = settled.get(row.id) ?? row.tier;
    if (!isTier(tier)) throw new Error(`${row.id}: no tier`);
    return { ...row, tier };
  });
}

if (require.main === module) {
  const corpusDir = argument('--corpus');
  if (corpusDir) buildCorpus(corpusDir, argument('--out'), argument('--writers')?.split(',') ?? null);
  else buildDev(argument('--sets')?.split(',') ?? null);
}
