/**
 * The request-log compaction's CPU per row (docs/benchmarks.md, "Request-log compaction CPU per
 * row"). A manual measurement, not part of `npm test`:
 *
 *   flock /tmp/prism-bench.lock node --import tsx scripts/measure-compaction.ts
 *     env: ROWS=10000 (recent rows per round) ROUNDS=4 SPARSE=1 (20 tenants, 500 users, 80 keys
 *     instead of the benchmark's one tenant/key/user)
 *
 * Starts the test database (FerretDB), then per round inserts ROWS recent rows of the current
 * hour (so the hour grows round by round, as in steady traffic) and runs
 * RequestLogCompaction.compact() once; prints this process's CPU (what the gateway pod pays) and
 * the database process's CPU per row moved, and the median over the rounds.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import mongoose, { Types } from 'mongoose';

import { RequestLogCompaction } from '../src/modules/analytics/request-log.compaction.service';
import type { RequestLogMigration } from '../src/modules/analytics/request-log.migration.service';
import { RequestLogStore } from '../src/modules/analytics/request-log.store';
import type { LeasedJobsService } from '../src/modules/system/jobs/leased-jobs.service';
import { startFerretDb } from '../test/support/test-database';

/** CPU ms of the FerretDB child (NaN when it is not a child, e.g. MONGODB_URI). */
function dbCpuMs(): number {
  try {
    const pid = execFileSync('pgrep', ['-P', String(process.pid), 'testdb'], { encoding: 'utf8' }).split(
      '\n',
    )[0];
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;
const rnd = (n: number) => Math.floor(Math.random() * n);

async function main() {
  const rows = Number(process.env.ROWS ?? 10_000);
  const rounds = Number(process.env.ROUNDS ?? 4);
  const sparse = process.env.SPARSE === '1';
  const db = await startFerretDb();
  const conn = await mongoose.createConnection(db.uri).asPromise();
  const store = new RequestLogStore(conn);
  const migration = { run: () => Promise.resolve() } as unknown as RequestLogMigration;
  const jobs = { register: () => undefined } as unknown as LeasedJobsService;
  const compaction = new RequestLogCompaction(jobs, store, migration);
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  let seq = 0;
  const perRow: number[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const batch = Array.from({ length: rows }, () => {
      seq += 1;
      const tenant = sparse ? rnd(20) : 0;
      const ok = Math.random() < 0.95;
      return {
        _id: new Types.ObjectId(),
        timestamp: new Date(hour + (seq % 3_500_000)),
        requestId: `req-${seq}-${rnd(1e9)}`,
        tenantId: `t${tenant}`,
        tenantSlug: `tenant-${tenant}`,
        keyId: sparse ? `k${rnd(80)}` : 'k1',
        keyPrefix: sparse ? `omp-${rnd(80)}` : 'omp-1',
        user: sparse ? `user-${tenant}-${rnd(25)}` : 'bench',
        ...(sparse && Math.random() < 0.2 ? { sessionId: `s-${rnd(2000)}` } : {}),
        endpoint: 'chat',
        ...(Math.random() < 0.3 ? { stream: true } : {}),
        requestedModel: sparse ? pick(['gpt-4o', 'auto', 'claude-3-5-sonnet', 'gpt-4o-mini']) : 'gpt-4o',
        routedModel: pick(['gpt-4o', 'claude-3-5-sonnet', 'gpt-4o-mini', 'claude-opus-4']),
        providerId: `p${rnd(4)}`,
        providerSlug: `prov-${rnd(4)}`,
        category: pick(['coding', 'chat', 'analysis']),
        tier: pick(['low', 'medium', 'high', 'premium']),
        inputTokens: rnd(2000),
        outputTokens: rnd(800),
        costUsd: Math.random() * 0.01,
        latencyMs: rnd(3000),
        overheadMs: rnd(3),
        upstreamMs: rnd(3000),
        status: ok ? 'success' : 'error',
        httpStatus: ok ? 200 : 502,
        ...(ok ? {} : { errorType: 'upstream_error' }),
        attempts: [{ provider: 'p1', model: 'gpt-4o', outcome: 'ok', ms: 10 }],
      };
    });
    for (let i = 0; i < batch.length; i += 2000)
      await conn.collection('request_logs_recent').insertMany(batch.slice(i, i + 2000), { ordered: false });
    const db0 = dbCpuMs();
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const moved = await compaction.compact();
    const cpu = process.cpuUsage(cpu0);
    const us = (cpu.user + cpu.system) / moved;
    perRow.push(us);
    process.stdout.write(
      `round ${round}: moved ${moved} (hour now ${round * rows} rows): ${us.toFixed(1)} µs/row here, ` +
        `database ${(((dbCpuMs() - db0) * 1000) / moved).toFixed(0)} µs/row, wall ${Math.round(performance.now() - wall0)} ms\n`,
    );
  }
  const sorted = [...perRow].sort((a, b) => a - b);
  process.stdout.write(`median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} µs/row\n`);
  await conn.close();
  await db.stop();
}

void main();
