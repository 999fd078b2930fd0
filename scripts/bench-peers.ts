/**
 * `npm run bench -- --peers` (issue 17 item 2, docs/benchmarks.md): Model Prism, a bare node:http
 * proxy and Portkey OSS (`@portkey-ai/gateway`, pinned devDependency, started locally and offline)
 * in front of the same mock upstream, measured through the same phases in the same run. Every
 * phase runs the targets back to back inside one round, rounds alternate their order, and the
 * table shows medians, so the shared machine's load falls on every target alike.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { request } from 'undici';

const root = resolve(__dirname, '..');
const CHAT = '/v1/chat/completions';

export interface PeerTarget {
  name: string;
  /** Base URL (the chat path is appended). */
  url: string;
  headers: Record<string, string>;
  /** Process whose CPU time is charged to this target (none for direct). */
  pid?: number;
  /** The model name the target is asked for (Model Prism: the bench model or `auto`). */
  model: string;
}

export interface PeersOptions {
  direct: PeerTarget;
  bare: PeerTarget;
  gateway: PeerTarget;
  /** Model Prism again, with `auto` routing (classification on every request). */
  gatewayAuto: PeerTarget;
  /** Model Prism with WORKERS=2, when started (32-connection phase only). */
  gatewayWorkers?: PeerTarget;
  peers: PeerTarget[];
  rounds: number;
  /** Seconds per load phase. */
  duration: number;
  connections: number;
  /** Sequential requests per target and round for TTFT and prompt sizes. */
  samples: number;
}

/** Starts Portkey's Node server on a free port (no network access: the upstream is the mock). */
export async function startPortkey(
  mockUrl: string,
  port: number,
): Promise<{ target: PeerTarget; child: ChildProcess }> {
  const entry = resolve(root, 'node_modules/@portkey-ai/gateway/build/start-server.js');
  const version = (
    JSON.parse(readFileSync(resolve(root, 'node_modules/@portkey-ai/gateway/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const child = spawn(process.execPath, [entry, `--port=${port}`, '--headless'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 30_000;
  while (!/Ready for connections/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`Portkey did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    target: {
      name: `Portkey OSS ${version}`,
      url: `http://127.0.0.1:${port}`,
      headers: {
        authorization: 'Bearer sk-bench',
        'x-portkey-provider': 'openai',
        'x-portkey-custom-host': `${mockUrl}/v1`,
      },
      pid: child.pid,
      model: 'bench-model',
    },
  };
}

function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function median(list: number[]): number {
  if (list.length === 0) return NaN;
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function chatBody(model: string, content: string, stream: boolean): string {
  return JSON.stringify({ model, stream, messages: [{ role: 'user', content }] });
}

/** A prompt of about `tokens` tokens (4 characters each) of mixed prose. */
function promptOf(tokens: number): string {
  const words =
    'the quick brown fox jumps over a lazy dog while seven wizards quietly judge boxing matches'.split(' ');
  let text = '';
  for (let i = 0; text.length < tokens * 4; i++)
    text += (words[i % words.length] as string) + (i % 17 === 16 ? '.\n' : ' ');
  return text;
}

interface LoadResult {
  rps: number;
  errors: number;
  cpuPerRequestMs: number;
}

async function loadPhase(
  target: PeerTarget,
  body: string,
  connections: number,
  duration: number,
): Promise<LoadResult> {
  const cpuBefore = cpuMs(target.pid);
  const result = await autocannon({
    url: target.url + CHAT,
    method: 'POST',
    connections,
    duration,
    timeout: 30,
    headers: { 'content-type': 'application/json', ...target.headers },
    body,
  });
  const requests = result.requests.average * duration;
  return {
    rps: result.requests.average,
    errors: result.errors + result.timeouts + result.non2xx,
    cpuPerRequestMs: requests > 0 ? (cpuMs(target.pid) - cpuBefore) / requests : NaN,
  };
}

/** One request: total time and time to the first body byte. */
async function timed(
  target: PeerTarget,
  body: string,
): Promise<{ totalMs: number; firstByteMs: number; ok: boolean }> {
  const started = performance.now();
  const response = await request(target.url + CHAT, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body,
  });
  let firstByteMs = 0;
  for await (const chunk of response.body) {
    if (firstByteMs === 0 && (chunk as Buffer).length > 0) firstByteMs = performance.now() - started;
  }
  return { totalMs: performance.now() - started, firstByteMs, ok: response.statusCode === 200 };
}

type Metric = 'rps1' | 'rpsN' | 'srps1' | 'srpsN' | 'cpu1' | 'ttft' | 'k1' | 'k100';

/** Runs every phase for every target, interleaved, and returns the markdown report. */
export async function runPeerBench(o: PeersOptions): Promise<string> {
  const targets = [o.direct, o.bare, o.gateway, o.gatewayAuto, ...o.peers];
  const samples = new Map<string, Record<Metric, number[]>>();
  const errors = new Map<string, number>();
  for (const t of targets)
    samples.set(t.name, { rps1: [], rpsN: [], srps1: [], srpsN: [], cpu1: [], ttft: [], k1: [], k100: [] });
  const workerSamples: number[] = [];
  const add = (t: PeerTarget, metric: Metric, value: number): void => {
    samples.get(t.name)![metric].push(value);
  };
  const count = (t: PeerTarget, n: number): void => {
    errors.set(t.name, (errors.get(t.name) ?? 0) + n);
  };
  const short = 'Say hello to the benchmark';
  const k1 = promptOf(1_000);
  const k100 = promptOf(100_000);
  for (let round = 0; round < o.rounds; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    process.stdout.write(`peers round ${round + 1}/${o.rounds}\n`);
    for (const t of order) {
      const r = await loadPhase(t, chatBody(t.model, short, false), 1, o.duration);
      add(t, 'rps1', r.rps);
      add(t, 'cpu1', r.cpuPerRequestMs);
      count(t, r.errors);
    }
    for (const t of order) {
      const r = await loadPhase(t, chatBody(t.model, short, false), o.connections, o.duration);
      add(t, 'rpsN', r.rps);
      count(t, r.errors);
    }
    if (o.gatewayWorkers) {
      const r = await loadPhase(
        o.gatewayWorkers,
        chatBody(o.gatewayWorkers.model, short, false),
        o.connections,
        o.duration,
      );
      workerSamples.push(r.rps);
      count(o.gatewayWorkers, r.errors);
    }
    for (const t of order) {
      const r = await loadPhase(t, chatBody(t.model, short, true), 1, o.duration);
      add(t, 'srps1', r.rps);
      count(t, r.errors);
    }
    for (const t of order) {
      const r = await loadPhase(t, chatBody(t.model, short, true), o.connections, o.duration);
      add(t, 'srpsN', r.rps);
      count(t, r.errors);
    }
    // Sequential, one request per target in turn: TTFT (stream) and the two prompt sizes.
    const bodies = new Map(
      targets.map((t) => [
        t.name,
        {
          stream: chatBody(t.model, short, true),
          k1: chatBody(t.model, k1, false),
          k100: chatBody(t.model, k100, false),
        },
      ]),
    );
    for (let i = 0; i < o.samples; i++) {
      for (const t of order) {
        const b = bodies.get(t.name)!;
        const s = await timed(t, b.stream);
        add(t, 'ttft', s.firstByteMs);
        const a = await timed(t, b.k1);
        add(t, 'k1', a.totalMs);
        if (i % 4 === 0) {
          const c = await timed(t, b.k100);
          add(t, 'k100', c.totalMs);
          if (!c.ok) count(t, 1);
        }
        if (!s.ok || !a.ok) count(t, 1);
      }
    }
  }
  const m = (t: PeerTarget, metric: Metric): number => median(samples.get(t.name)![metric]);
  const d = o.direct;
  const bareCpu = m(o.bare, 'cpu1');
  const rows = targets.map((t) => {
    const added = t === d ? '–' : (1000 / m(t, 'rps1') - 1000 / m(d, 'rps1')).toFixed(3);
    const share = `${((m(t, 'rpsN') / m(d, 'rpsN')) * 100).toFixed(1)} %`;
    const sShare = `${((m(t, 'srpsN') / m(d, 'srpsN')) * 100).toFixed(1)} %`;
    const plus = (metric: Metric): string =>
      t === d
        ? m(t, metric).toFixed(2)
        : `${m(t, metric).toFixed(2)} (+${(m(t, metric) - m(d, metric)).toFixed(2)})`;
    const cpu = t.pid ? `${m(t, 'cpu1').toFixed(3)} (${(m(t, 'cpu1') / bareCpu).toFixed(2)}×)` : '–';
    return `| ${t.name} | ${m(t, 'rps1').toFixed(0)} | ${added} | ${m(t, 'rpsN').toFixed(0)} | ${share} | ${m(t, 'srps1').toFixed(0)} | ${m(t, 'srpsN').toFixed(0)} (${sShare}) | ${plus('ttft')} | ${plus('k1')} | ${plus('k100')} | ${cpu} | ${errors.get(t.name) ?? 0} |`;
  });
  const lines = [
    '',
    `Peers: ${o.rounds} rounds, ${o.duration} s per load phase, ${o.connections} connections for the "N conn" columns, ` +
      `${o.samples} sequential requests per round for TTFT and 1k tokens, a quarter of that for 100k tokens; medians.`,
    '',
    `| through | RPS 1 conn | added ms 1 conn (1/RPS) | RPS ${o.connections} conn | share of direct | stream RPS 1 conn | stream RPS ${o.connections} conn (share) | TTFT ms (added) | 1k-token prompt ms (added) | 100k-token prompt ms (added) | CPU ms/request at 1 conn (× bare proxy) | errors |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ];
  if (o.gatewayWorkers) {
    const w = median(workerSamples);
    lines.push(
      '',
      `WORKERS=2 (node:cluster, same host): ${w.toFixed(0)} req/s at ${o.connections} connections, ` +
        `${((w / m(o.gateway, 'rpsN')) * 100).toFixed(0)} % of one process's ${m(o.gateway, 'rpsN').toFixed(0)} req/s ` +
        `(${((w / m(d, 'rpsN')) * 100).toFixed(1)} % of direct).`,
    );
  }
  const ratio = m(o.gateway, 'cpu1') / bareCpu;
  lines.push(
    '',
    `CPU per request at 1 connection: Model Prism ${m(o.gateway, 'cpu1').toFixed(3)} ms, bare node:http proxy ${bareCpu.toFixed(3)} ms: ${ratio.toFixed(2)}× (target ≤ 1.6×).`,
  );
  return lines.join('\n');
}
