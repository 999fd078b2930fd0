/**
 * `node --import tsx scripts/bench-analytics-encode.ts [--rounds 5] [--rows 200000]`: CPU per row
 * of the analytics write path at enqueue (docs/benchmarks.md, "Analytics write path CPU"): the BSON
 * encoding of a request-log row (BsonDocumentWriter) and its rollup fold (RollupFold), on a typical
 * gateway row (a chat request with one attempt, ~680 bytes) and on random rows (testing/random-rows.ts).
 * Prints the median ns per row of `--rounds` rounds and the load average. For an A/B, run it in
 * two checkouts alternately (separate processes: one process with both encoders makes their call
 * sites polymorphic and measures neither).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Types } from 'mongoose';

import { BsonDocumentWriter } from '../src/modules/analytics/request-log.bson';
import type { CompactRequestLog } from '../src/modules/analytics/request-log.mapper';
import { RollupFold } from '../src/modules/analytics/rollups';
import { randomGatewayRows } from '../src/modules/analytics/testing/random-rows';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, rows: { type: 'string', default: '200000' } },
});
const rounds = Number(values.rounds);
const perRound = Number(values.rows);

/** What `toRequestLogRow` builds for a routed, successful, non-streamed chat request. */
function typicalRow(i: number): CompactRequestLog {
  return {
    _id: new Types.ObjectId(),
    timestamp: new Date(),
    requestId: `req-${i.toString(36)}-abcdef`,
    tenantId: '65a1b2c3d4e5f60718293a4b',
    tenantSlug: 'team',
    keyId: '65a1b2c3d4e5f60718293a4c',
    keyPrefix: 'omp-1a2b',
    user: 'alice',
    endpoint: 'chat',
    requestedModel: 'gpt-4o-mini',
    routedModel: 'gpt-4o-mini',
    providerId: '65a1b2c3d4e5f60718293a4d',
    providerSlug: 'openai',
    tier: 'low',
    inputTokens: 120 + (i % 7),
    outputTokens: 40,
    costUsd: 0.0000432,
    baselineModel: 'gpt-4o',
    baselineCostUsd: 0.00072,
    savedUsd: 0.0006768,
    latencyMs: 12.34,
    overheadMs: 0.61,
    upstreamMs: 11.73,
    status: 'success',
    httpStatus: 200,
    attempts: [{ provider: 'openai', model: 'gpt-4o-mini', outcome: 'ok', status: 200, ms: 11.73 }],
  };
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
}

function measure(rows: readonly CompactRequestLog[]): { encode: number; fold: number; bytes: number } {
  const writer = new BsonDocumentWriter();
  writer.append(rows[0]!);
  const bytes = writer.length;
  writer.clear();
  const encode: number[] = [];
  const fold: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let t = process.hrtime.bigint();
    for (let i = 0; i < perRound; i++) {
      writer.append(rows[i % rows.length]!);
      if (i % 1000 === 999) writer.clear();
    }
    encode.push(Number(process.hrtime.bigint() - t) / perRound);
    t = process.hrtime.bigint();
    let folding = new RollupFold();
    for (let i = 0; i < perRound; i++) {
      folding.add(rows[i % rows.length]!);
      if (i % 1000 === 999) {
        folding.increments();
        folding = new RollupFold();
      }
    }
    fold.push(Number(process.hrtime.bigint() - t) / perRound);
  }
  return { encode: median(encode), fold: median(fold), bytes };
}

const typical = measure(Array.from({ length: 1000 }, (_, i) => typicalRow(i)));
const random = measure(randomGatewayRows(1000, 5));
const load = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
console.log(
  `typical row (${typical.bytes} B): encode ${typical.encode.toFixed(0)} ns, fold ${typical.fold.toFixed(0)} ns; ` +
    `random rows: encode ${random.encode.toFixed(0)} ns (their fold, ${random.fold.toFixed(0)} ns, is a worst case: ` +
    `nearly every row a new group in every dimension); load ${load}`,
);
