/**
 * Interleaved before/after comparison of two gateway builds on the same machine, minute by minute:
 *
 *   BENCH_DIST=/path/to/old/dist npm run bench -- --skip-build --hold > /tmp/a.txt &
 *   npm run bench -- --skip-build --hold > /tmp/b.txt &
 *   node --import tsx scripts/bench-ab.ts --a /tmp/a.txt --b /tmp/b.txt [--rounds 5] [--duration 4] [--connections 1]
 *
 * Each round loads direct-to-mock, build A, build B (the order of A and B alternates) and the bare
 * node:http proxy of B's run, non-streaming, with autocannon, and takes each target's CPU time per
 * request from /proc (user + system of its process). Prints every round and the medians: CPU per
 * request and its ratio to the bare proxy's, added latency `1/RPS(target) − 1/RPS(direct)`, and
 * the share of direct RPS.
 */
import { readFileSync } from 'node:fs';
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
}

const BODY = JSON.stringify({
  model: 'bench-model',
  messages: [{ role: 'user', content: 'Say hello to the benchmark' }],
});

function held(path: string): Held {
  return JSON.parse(readFileSync(path, 'utf8').split('\n')[0] as string) as Held;
}

/** User + system CPU time of a process in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] as string).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function phase(
  url: string,
  pid: number | undefined,
  headers: Record<string, string>,
  connections: number,
  duration: number,
): Promise<Phase> {
  const before = pid ? cpuMs(pid) : 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration,
    headers: { 'content-type': 'application/json', ...headers },
    body: BODY,
  });
  return {
    rps: result.requests.average,
    cpuMs: pid && result.requests.total > 0 ? (cpuMs(pid) - before) / result.requests.total : 0,
    errors: result.errors + result.non2xx + result.timeouts,
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
    },
  });
  if (!values.a || !values.b) throw new Error('--a and --b name the output files of two `bench --hold` runs');
  const builds = { A: held(values.a), B: held(values.b) };
  const rounds = Number(values.rounds);
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const gateway = (h: Held): Promise<Phase> =>
    phase(
      h.gateway,
      h.pids.gateway,
      { authorization: h.authorization, 'x-user': 'bench' },
      connections,
      duration,
    );
  // Warm-up: the JIT must have compiled both gateways before anything is compared.
  for (const h of [builds.A, builds.B])
    await phase(h.gateway, undefined, { authorization: h.authorization }, 8, 5);
  const samples: Record<
    'cpuA' | 'cpuB' | 'cpuBare' | 'addA' | 'addB' | 'addBare' | 'shareA' | 'shareB' | 'shareBare',
    number[]
  > = {
    cpuA: [],
    cpuB: [],
    cpuBare: [],
    addA: [],
    addB: [],
    addBare: [],
    shareA: [],
    shareB: [],
    shareBare: [],
  };
  for (let round = 0; round < rounds; round++) {
    const direct = await phase(builds.B.direct, undefined, {}, connections, duration);
    const order = round % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const);
    const results: Partial<Record<'A' | 'B', Phase>> = {};
    for (const name of order) results[name] = await gateway(builds[name]);
    const bare = await phase(builds.B.bare, builds.B.pids.bare, {}, connections, duration);
    const a = results.A as Phase;
    const b = results.B as Phase;
    const added = (p: Phase): number => 1000 / p.rps - 1000 / direct.rps;
    samples.cpuA.push(a.cpuMs);
    samples.cpuB.push(b.cpuMs);
    samples.cpuBare.push(bare.cpuMs);
    samples.addA.push(added(a));
    samples.addB.push(added(b));
    samples.addBare.push(added(bare));
    samples.shareA.push(a.rps / direct.rps);
    samples.shareB.push(b.rps / direct.rps);
    samples.shareBare.push(bare.rps / direct.rps);
    process.stdout.write(
      `round ${round + 1} (${connections} conn): direct ${direct.rps.toFixed(0)} req/s; ` +
        `A ${a.rps.toFixed(0)} req/s, CPU ${a.cpuMs.toFixed(3)} ms (${(a.cpuMs / bare.cpuMs).toFixed(2)}× bare), ${a.errors} err; ` +
        `B ${b.rps.toFixed(0)} req/s, CPU ${b.cpuMs.toFixed(3)} ms (${(b.cpuMs / bare.cpuMs).toFixed(2)}× bare), ${b.errors} err; ` +
        `bare ${bare.rps.toFixed(0)} req/s, CPU ${bare.cpuMs.toFixed(3)} ms\n`,
    );
  }
  const m = (k: keyof typeof samples): number => median(samples[k]);
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
  process.stdout.write(
    `medians of ${rounds} rounds at ${connections} connection(s): ` +
      `CPU per request A ${m('cpuA').toFixed(3)} ms (${(m('cpuA') / m('cpuBare')).toFixed(2)}× bare), ` +
      `B ${m('cpuB').toFixed(3)} ms (${(m('cpuB') / m('cpuBare')).toFixed(2)}× bare), bare ${m('cpuBare').toFixed(3)} ms; ` +
      `added latency A ${m('addA').toFixed(3)} ms, B ${m('addB').toFixed(3)} ms, bare ${m('addBare').toFixed(3)} ms; ` +
      `share of direct RPS A ${pct(m('shareA'))}, B ${pct(m('shareB'))}, bare ${pct(m('shareBare'))}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench-ab failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
