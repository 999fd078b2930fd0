/**
 * The large-request phase of `npm run bench -- --large` (issue 18, docs/benchmarks.md): what the
 * gateway adds to requests the size coding agents and vision clients really send — a 100k-token
 * conversation (~400 KB) and a 3 MB image as base64 (~4 MB) — against calling the mock directly.
 *
 * The machine is shared, so every number is taken interleaved: request i goes direct, then through
 * the gateway (then through each peer), and the added latency is the median of the per-pair
 * differences as well as the difference of the medians. Also measured: streaming time to first byte
 * at 400 KB, the gateway's RSS under 32 concurrent 4 MB requests, and the 413 for an oversized body.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'undici';

export interface LargeTarget {
  name: string;
  /** Base URL; the chat path is appended. */
  url: string;
  headers: Record<string, string>;
  /** The serving process, for its CPU time per request (/proc). */
  pid?: number;
}

export interface LargeBenchOptions {
  /** The mock upstream (direct). */
  direct: LargeTarget;
  gateway: LargeTarget;
  /** Other gateways in front of the same mock (e.g. Portkey OSS), measured in the same rounds. */
  peers?: LargeTarget[];
  model: string;
  gatewayPid: number;
  /** Sequential requests per body and target. */
  samples: number;
  /** Gateway body limit in bytes, for the 413 check. */
  bodyLimit: number;
}

const CHAT = '/v1/chat/completions';
/** docs/gateway.md "Memory": RSS ≈ idle + 2.5 × concurrent body bytes (32 × 4 MB here). */
const RSS_BOUND_MB = 2.5 * 32 * 4;
/** The first failed answer, printed once (a benchmark of error answers measures nothing). */
let firstError: string | undefined;

/** Mixed prose and code with quotes, backslashes and newlines (escapes in JSON), ~`bytes` long. */
export function conversationBody(model: string, approxBytes: number, extra: Record<string, unknown> = {}) {
  const paragraph =
    'The function "parseConfig" reads the file at path C:\\work\\app.json and returns { ok: true };\n' +
    'if (value === "") { throw new Error("empty \\"config\\""); }\n' +
    'Explain why the cache misses on every second call, and propose a fix with a short test.\n';
  const turnChars = 8_000;
  const turn = paragraph.repeat(Math.ceil(turnChars / paragraph.length)).slice(0, turnChars);
  const messages: Record<string, unknown>[] = [
    { role: 'system', content: 'You are a careful senior engineer. Answer briefly.' },
  ];
  let size = 0;
  for (let i = 0; size < approxBytes; i++) {
    messages.push({ role: i % 2 === 0 ? 'user' : 'assistant', content: `Turn ${i}: ${turn}` });
    size += turnChars + 40;
  }
  if (messages.length % 2 === 0) messages.push({ role: 'user', content: 'Now summarise the fix.' });
  return JSON.stringify({ model, messages, max_tokens: 64, ...extra });
}

/** One user message with a `bytes`-byte image as a base64 data URL (random bytes: incompressible). */
export function imageBody(model: string, imageBytes: number, extra: Record<string, unknown> = {}): string {
  const data = randomBytes(imageBytes).toString('base64');
  return JSON.stringify({
    model,
    max_tokens: 64,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${data}`, detail: 'high' } },
        ],
      },
    ],
    ...extra,
  });
}

async function once(target: LargeTarget, body: string): Promise<{ ms: number; status: number; own: number }> {
  const started = performance.now();
  const response = await request(target.url + CHAT, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body,
  });
  if (response.statusCode !== 200) {
    const text = await response.body.text();
    firstError ??= `${target.name}: HTTP ${response.statusCode} ${text.slice(0, 300)}`;
  } else await response.body.dump();
  const own = Number(response.headers['x-prism-overhead-ms']);
  return { ms: performance.now() - started, status: response.statusCode, own };
}

async function firstByte(target: LargeTarget, body: string): Promise<number> {
  const started = performance.now();
  const response = await request(target.url + CHAT, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body,
  });
  let first = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    if (first === 0 && chunk.length > 0) first = performance.now() - started;
  }
  return first;
}

function median(list: number[]): number {
  if (list.length === 0) return NaN;
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface CaseResult {
  label: string;
  bytes: number;
  direct: number;
  /**
   * Per target (gateway, peers): p50, added p50 (difference of medians), median pair difference, and
   * the CPU time of the target's process per request (user + system, /proc: robust under load).
   */
  through: {
    name: string;
    p50: number;
    added: number;
    pairAdded: number;
    errors: number;
    own?: number;
    cpuMs?: number;
  }[];
}

/** User + system CPU time of a process so far, in ms (Linux /proc). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** `samples` interleaved rounds: direct, then every target, same body; medians and pair differences. */
async function interleaved(
  label: string,
  body: string,
  direct: LargeTarget,
  targets: LargeTarget[],
  samples: number,
): Promise<CaseResult> {
  const directMs: number[] = [];
  let cpuStart: number[] = [];
  const perTarget = targets.map(() => ({
    ms: [] as number[],
    diff: [] as number[],
    errors: 0,
    own: [] as number[],
  }));
  // Two warm-up rounds (connections, JIT, caches) are not counted.
  for (let i = -2; i < samples; i++) {
    if (i === 0) cpuStart = targets.map((t) => (t.pid ? cpuMs(t.pid) : NaN));
    const d = (await once(direct, body)).ms;
    for (const [index, target] of targets.entries()) {
      const slot = perTarget[index]!;
      const result = await once(target, body).catch(() => ({ ms: NaN, status: 0, own: NaN }));
      if (i < 0) continue;
      if (result.status !== 200) slot.errors += 1;
      slot.ms.push(result.ms);
      slot.diff.push(result.ms - d);
      if (!Number.isNaN(result.own)) slot.own.push(result.own);
    }
    if (i >= 0) directMs.push(d);
  }
  const directP50 = median(directMs);
  return {
    label,
    bytes: Buffer.byteLength(body),
    direct: directP50,
    through: targets.map((target, index) => {
      const slot = perTarget[index]!;
      const p50 = median(slot.ms);
      return {
        name: target.name,
        p50,
        added: p50 - directP50,
        pairAdded: median(slot.diff),
        errors: slot.errors,
        own: slot.own.length > 0 ? median(slot.own) : undefined,
        cpuMs: target.pid ? (cpuMs(target.pid) - cpuStart[index]!) / samples : undefined,
      };
    }),
  };
}

/** Time to first byte, interleaved: direct, then each target. */
async function interleavedTtfb(
  label: string,
  body: string,
  direct: LargeTarget,
  targets: LargeTarget[],
  samples: number,
): Promise<CaseResult> {
  const directMs: number[] = [];
  const per = targets.map(() => ({ ms: [] as number[], diff: [] as number[] }));
  let cpuStart: number[] = [];
  for (let i = -2; i < samples; i++) {
    if (i === 0) cpuStart = targets.map((t) => (t.pid ? cpuMs(t.pid) : NaN));
    const d = await firstByte(direct, body);
    for (const [index, target] of targets.entries()) {
      const ms = await firstByte(target, body).catch(() => NaN);
      if (i < 0) continue;
      per[index]!.ms.push(ms);
      per[index]!.diff.push(ms - d);
    }
    if (i >= 0) directMs.push(d);
  }
  const directP50 = median(directMs);
  return {
    label,
    bytes: Buffer.byteLength(body),
    direct: directP50,
    through: targets.map((target, index) => ({
      name: target.name,
      p50: median(per[index]!.ms),
      added: median(per[index]!.ms) - directP50,
      pairAdded: median(per[index]!.diff),
      errors: per[index]!.ms.filter((v) => Number.isNaN(v)).length,
      cpuMs: target.pid ? (cpuMs(target.pid) - cpuStart[index]!) / samples : undefined,
    })),
  };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/** 32 concurrent 4 MB requests, `rounds` times; the gateway's RSS before, at its peak and after. */
async function concurrentImages(
  opts: LargeBenchOptions,
  body: string,
  concurrency: number,
  rounds: number,
): Promise<{ before: number; peak: number; after: number; errors: number; wallMs: number }> {
  const before = rssMb(opts.gatewayPid);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(opts.gatewayPid))), 20);
  let errors = 0;
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    const results = await Promise.all(
      Array.from({ length: concurrency }, () =>
        once(opts.gateway, body).catch(() => ({ ms: 0, status: 0, own: 0 })),
      ),
    );
    errors += results.filter((x) => x.status !== 200).length;
  }
  const wallMs = performance.now() - started;
  clearInterval(timer);
  peak = Math.max(peak, rssMb(opts.gatewayPid));
  await new Promise((r) => setTimeout(r, 1000));
  return { before, peak, after: rssMb(opts.gatewayPid), errors, wallMs };
}

/** A body over the limit, announced by Content-Length: answered 413 before it is all sent. */
async function oversized(opts: LargeBenchOptions): Promise<{ status: number; ms: number; code: string }> {
  const size = opts.bodyLimit + 1024 * 1024;
  const started = performance.now();
  const response = await request(opts.gateway.url + CHAT, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...opts.gateway.headers },
    body: Buffer.alloc(size, 0x20),
  }).catch((error: unknown) => ({ statusCode: 0, body: undefined, error }));
  let code = '';
  if (response.body) {
    const text = await response.body.text();
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? text.slice(0, 80);
  }
  return { status: response.statusCode, ms: performance.now() - started, code };
}

/**
 * The same oversized body from a client that writes all of it whatever the server answers (as
 * curl or Python's http.client do): whether it reads the 413 or sees the connection reset.
 */
function oversizedRawWriter(opts: LargeBenchOptions): Promise<string> {
  const url = new URL(opts.gateway.url);
  const size = opts.bodyLimit + 4 * 1024 * 1024;
  return new Promise((resolveAnswer) => {
    const socket = connect({ port: Number(url.port), host: url.hostname, allowHalfOpen: true });
    let answer = '';
    let error = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (answer += text));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () =>
      resolveAnswer(error ? `connection error ${error}` : answer.split('\r\n')[0] || 'no answer'),
    );
    const head = Object.entries(opts.gateway.headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(
      `POST ${CHAT} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\n${head}` +
        `content-length: ${size}\r\n\r\n`,
    );
    const piece = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < size && !socket.destroyed) {
        sent += piece.length;
        if (!socket.write(sent > size ? piece.subarray(0, piece.length - (sent - size)) : piece)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (!socket.destroyed) socket.end();
    };
    pump();
  });
}

export async function runLargeBench(opts: LargeBenchOptions): Promise<string> {
  const targets = [opts.gateway, ...(opts.peers ?? [])];
  const n = opts.samples;
  const text = conversationBody(opts.model, 400_000);
  const textAuto = conversationBody('auto', 400_000);
  const textStream = conversationBody(opts.model, 400_000, { stream: true });
  const image = imageBody(opts.model, 3 * 1024 * 1024);
  const say = (line: string): void => void process.stdout.write(line + '\n');
  const results: CaseResult[] = [];
  const run = async (result: Promise<CaseResult>): Promise<void> => {
    const r = await result;
    results.push(r);
    say(
      `  ${r.label} (${(r.bytes / 1024).toFixed(0)} KB): direct p50 ${r.direct.toFixed(2)} ms; ` +
        r.through
          .map(
            (t) =>
              `${t.name} p50 ${t.p50.toFixed(2)} ms (added ${t.added.toFixed(2)}, pair median ${t.pairAdded.toFixed(2)}` +
              (t.own !== undefined ? `, own ${t.own.toFixed(2)}` : '') +
              (t.cpuMs !== undefined ? `, CPU/request ${t.cpuMs.toFixed(2)}` : '') +
              `, errors ${t.errors})`,
          )
          .join('; '),
    );
  };
  // LARGE_CASES=text,auto,image,stream,memory runs only those (profiling one case at a time).
  const only = process.env.LARGE_CASES?.split(',');
  const wanted = (name: string): boolean => !only || only.includes(name);
  say(`large bodies: ${n} interleaved rounds each`);
  if (wanted('text')) await run(interleaved('text 100k tokens', text, opts.direct, targets, n));
  if (wanted('auto'))
    await run(interleaved('text 100k tokens, model auto', textAuto, opts.direct, [opts.gateway], n));
  if (wanted('image')) await run(interleaved('image 3 MB base64', image, opts.direct, targets, n));
  if (wanted('stream'))
    await run(interleavedTtfb('stream TTFB, text 100k tokens', textStream, opts.direct, targets, n));
  const memory = wanted('memory') ? await concurrentImages(opts, image, 32, 3) : undefined;
  if (memory)
    say(
      `  32 concurrent 4 MB requests × 3: RSS ${memory.before} → peak ${memory.peak} → ${memory.after} MB, ` +
        `errors ${memory.errors}, ${memory.wallMs.toFixed(0)} ms`,
    );
  const tooLarge = await oversized(opts);
  const rawWriter = await oversizedRawWriter(opts);
  if (firstError) say(`  first error: ${firstError}`);
  say(`  oversized body: ${tooLarge.status} ${tooLarge.code} in ${tooLarge.ms.toFixed(1)} ms`);
  say(`  oversized body from a client writing all of it: ${rawWriter}`);
  const names = targets.map((t) => t.name);
  const lines = [
    '',
    `| Request | Size | Direct p50 ms | ${names.map((n) => `${n} p50 ms (added; pair median) [CPU/request]`).join(' | ')} |`,
    `|---|---|---|${names.map(() => '---').join('|')}|`,
    ...results.map(
      (r) =>
        `| ${r.label} | ${(r.bytes / 1024).toFixed(0)} KB | ${r.direct.toFixed(2)} | ` +
        targets
          .map((t) => {
            const x = r.through.find((y) => y.name === t.name);
            if (!x) return '–';
            const cpu = x.cpuMs !== undefined ? ` [${x.cpuMs.toFixed(2)}]` : '';
            return `${x.p50.toFixed(2)} (+${x.added.toFixed(2)}; +${x.pairAdded.toFixed(2)})${cpu}`;
          })
          .join(' | ') +
        ' |',
    ),
    '',
    memory
      ? `RSS with 32 concurrent 4 MB requests (3 waves): ${memory.before} MB before, peak ${memory.peak} MB, ` +
        `${memory.after} MB after; errors ${memory.errors}; documented bound (idle + 2.5 × 32 × 4 MB) ` +
        `${memory.before + RSS_BOUND_MB} MB: ${memory.peak <= memory.before + RSS_BOUND_MB ? 'within' : 'EXCEEDED'}.`
      : 'RSS with 32 concurrent 4 MB requests: not run (LARGE_CASES).',
    `Body over the ${(opts.bodyLimit / 2 ** 20).toFixed(0)} MB limit: HTTP ${tooLarge.status} ${tooLarge.code}, ` +
      `answered in ${tooLarge.ms.toFixed(1)} ms; a client writing all of it read: ${rawWriter}.`,
  ];
  return lines.join('\n');
}
