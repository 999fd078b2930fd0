/**
 * Interleaved before/after comparison of two gateway builds on the same machine, minute by minute:
 *
 *   BENCH_DIST=/path/to/old/dist npm run bench -- --skip-build --hold > /tmp/a.txt &
 *   npm run bench -- --skip-build --hold > /tmp/b.txt &
 *   node --import tsx scripts/bench-ab.ts --a /tmp/a.txt --b /tmp/b.txt [--rounds 5] [--duration 4] [--connections 1] [--rate R] [--warmup 15]
 *
 * Each round loads direct-to-mock, build A, build B (the order of A and B alternates) and the bare
 * node:http proxy of B's run, non-streaming, with autocannon, and takes each target's CPU time per
 * request from /proc (user + system of its process). Prints every round and the medians: p99 latency, CPU per
 * request and its ratio to the bare proxy's, added latency `1/RPS(target) − 1/RPS(direct)`, and
 * the share of direct RPS. With `--rate R` every target is offered the same R req/s (autocannon's
 * overall rate), so CPU per request is compared at equal throughput: at saturation a faster process
 * also batches more requests per event-loop turn, which lowers its CPU per request by itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

interface Held {
  direct: string;
  gateway: string;
  bare: string;
  authorization: string;
  pids: { gateway: number; bare: number };
}

interface Phase {
  rps: number;
  cpuMs: number;
  errors: number;
  /** autocannon's 99th percentile latency, ms. */
  p99: number;
}

const BODY = JSON.stringify({
  model: 'bench-model',
  messages: [{ role: 'user', content: 'Say hello to the benchmark' }],
});

/** The JSON line `bench --hold` printed (npm prints its own banner lines before it). */
function held(path: string): Held {
  const line = readFileSync(path, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error(`${path} holds no \`bench --hold\` line (yet)`);
  return JSON.parse(line) as Held;
}

/** `/proc/<pid>/stat` fields after the command name (state is [0], ppid [1], utime [11], stime [12]). */
function statFields(pid: number | string): string[] {
  return (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] as string).split(' ');
}

/**
 * User + system CPU time in ms (clock ticks of 10 ms) of a process and its live child processes: a
 * `WORKERS=N` gateway is a cluster primary whose workers do the work.
 */
function cpuMs(pid: number): number {
  const ticks = (fields: string[]): number => Number(fields[11]) + Number(fields[12]);
  let total = ticks(statFields(pid));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(entry);
      if (Number(fields[1]) === pid) total += ticks(fields);
    } catch {
      // the process ended while /proc was read
    }
  }
  return total * 10;
}

async function phase(
  url: string,
  pid: number | undefined,
  headers: Record<string, string>,
  connections: number,
  duration: number,
  rate?: number,
): Promise<Phase> {
  const before = pid ? cpuMs(pid) : 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration,
    ...(rate ? { overallRate: rate } : {}),
    headers: { 'content-type': 'application/json', ...headers },
    body: BODY,
  });
  return {
    rps: result.requests.average,
    cpuMs: pid && result.requests.total > 0 ? (cpuMs(pid) - before) / result.requests.total : 0,
    errors: result.errors + result.non2xx + result.timeouts,
    p99: result.latency.p99,
  };
}

function median(list: number[]): number {
  const sorted = [...list].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      a: { type: 'string' },
      b: { type: 'string' },
      rounds: { type: 'string', default: '5' },
      duration: { type: 'string', default: '4' },
      connections: { type: 'string', default: '1' },
      rate: { type: 'string' },
      warmup: { type: 'string', default: '15' },
    },
  });
  if (!values.a || !values.b) throw new Error('--a and --b name the output files of two `bench --hold` runs');
  const builds = { A: held(values.a), B: held(values.b) };
  const rounds = Number(values.rounds);
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  // --rate R: every target gets the same offered load (R req/s over the connections), so CPU per
  // request is compared at equal throughput, not at each one's own saturation point.
  const rate = values.rate ? Number(values.rate) : undefined;
  const gateway = (h: Held): Promise<Phase> =>
    phase(
      h.gateway,
      h.pids.gateway,
      { authorization: h.authorization, 'x-user': 'bench' },
      connections,
      duration,
      rate,
    );
  // Warm-up: the JIT must have compiled both gateways (and the bare proxy) before anything is
  // compared; a gateway has far more code to optimise, so a short warm-up charges it compile time.
  const warmup = Number(values.warmup);
  for (const h of [builds.A, builds.B])
    await phase(h.gateway, undefined, { authorization: h.authorization, 'x-user': 'bench' }, 8, warmup);
  await phase(builds.B.bare, undefined, {}, 8, warmup);
  const samples: Record<
    | 'cpuA'
    | 'cpuB'
    | 'cpuBare'
    | 'ratioA'
    | 'ratioB'
    | 'ratioBA'
    | 'addA'
    | 'addB'
    | 'addBare'
    | 'shareA'
    | 'shareB'
    | 'shareBare'
    | 'p99A'
    | 'p99B'
    | 'p99Bare',
    number[]
  > = {
    ratioA: [],
    ratioB: [],
    ratioBA: [],
    cpuA: [],
    cpuB: [],
    cpuBare: [],
    addA: [],
    addB: [],
    addBare: [],
    shareA: [],
    shareB: [],
    shareBare: [],
    p99A: [],
    p99B: [],
    p99Bare: [],
  };
  for (let round = 0; round < rounds; round++) {
    const direct = await phase(builds.B.direct, undefined, {}, connections, duration, rate);
    const order = round % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const);
    const results: Partial<Record<'A' | 'B', Phase>> = {};
    for (const name of order) results[name] = await gateway(builds[name]);
    const bare = await phase(builds.B.bare, builds.B.pids.bare, {}, connections, duration, rate);
    const a = results.A as Phase;
    const b = results.B as Phase;
    const added = (p: Phase): number => 1000 / p.rps - 1000 / direct.rps;
    samples.cpuA.push(a.cpuMs);
    samples.cpuB.push(b.cpuMs);
    samples.cpuBare.push(bare.cpuMs);
    samples.ratioA.push(a.cpuMs / bare.cpuMs);
    samples.ratioB.push(b.cpuMs / bare.cpuMs);
    samples.ratioBA.push(b.cpuMs / a.cpuMs);
    samples.addA.push(added(a));
    samples.addB.push(added(b));
    samples.addBare.push(added(bare));
    samples.shareA.push(a.rps / direct.rps);
    samples.shareB.push(b.rps / direct.rps);
    samples.shareBare.push(bare.rps / direct.rps);
    samples.p99A.push(a.p99);
    samples.p99B.push(b.p99);
    samples.p99Bare.push(bare.p99);
    process.stdout.write(
      `round ${round + 1} (${connections} conn): direct ${direct.rps.toFixed(0)} req/s; ` +
        `A ${a.rps.toFixed(0)} req/s, CPU ${a.cpuMs.toFixed(3)} ms (${(a.cpuMs / bare.cpuMs).toFixed(2)}× bare), ${a.errors} err, p99 ${a.p99} ms; ` +
        `B ${b.rps.toFixed(0)} req/s, CPU ${b.cpuMs.toFixed(3)} ms (${(b.cpuMs / bare.cpuMs).toFixed(2)}× bare), ${b.errors} err, p99 ${b.p99} ms; ` +
        `bare ${bare.rps.toFixed(0)} req/s, CPU ${bare.cpuMs.toFixed(3)} ms, p99 ${bare.p99} ms\n`,
    );
  }
  const m = (k: keyof typeof samples): number => median(samples[k]);
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
  process.stdout.write(
    `medians of ${rounds} rounds at ${connections} connection(s)${rate ? ` at ${rate} req/s each` : ''}: ` +
      `CPU per request A ${m('cpuA').toFixed(3)} ms (${(m('cpuA') / m('cpuBare')).toFixed(2)}× bare), ` +
      `B ${m('cpuB').toFixed(3)} ms (${(m('cpuB') / m('cpuBare')).toFixed(2)}× bare), bare ${m('cpuBare').toFixed(3)} ms; ` +
      `median of the per-round ratios: A ${m('ratioA').toFixed(2)}×, B ${m('ratioB').toFixed(2)}× bare, B/A ${m('ratioBA').toFixed(3)}; ` +
      `added latency A ${m('addA').toFixed(3)} ms, B ${m('addB').toFixed(3)} ms, bare ${m('addBare').toFixed(3)} ms; ` +
      `share of direct RPS A ${pct(m('shareA'))}, B ${pct(m('shareB'))}, bare ${pct(m('shareBare'))}; ` +
      `p99 latency A ${m('p99A')} ms, B ${m('p99B')} ms, bare ${m('p99Bare')} ms\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench-ab failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
