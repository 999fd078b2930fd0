/**
 * `npm run bench`: the gateway's added latency and throughput against calling the mock upstream
 * directly, in the same run, on the same machine (docs/benchmarks.md).
 *
 *   npm run bench -- [--duration 10] [--connections 32] [--soak] [--soak-minutes 5]
 *   npm run bench -- --skip-build --quick 5 --duration 5   # 1-connection rounds only, medians
 *   npm run bench -- --skip-build --hold                     # start everything, print URLs and pids, wait (profiling by hand)
 *   npm run bench -- --peers [--peer-rounds 3] [--peer-samples 40]  # vs Portkey OSS, bare proxy, WORKERS=2
 *   npm run bench -- --large [--peers] [--large-samples 30]  # 400 KB text, 4 MB image, stream TTFB (+ Portkey OSS)
 *
 * `--large` with BENCH_COMPARE_DIST=/path/to/other/dist also runs that build's gateway in the same rounds.
 *
 * Starts the test database (FerretDB, or MONGODB_URI), the mock upstream and the gateway as
 * separate processes; the gateway runs with every feature on (key auth, per-IP, tenant and token
 * limits, budgets, analytics written to the database). Load comes from autocannon in this process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { request } from 'undici';

const root = resolve(__dirname, '..');
const BENCH_MODEL = 'bench-model';
/**
 * V8/Node flags for the gateway AND the bare proxy (the same for both, or the CPU ratio is not a
 * fair one): BENCH_NODE_FLAGS, by default the image's NODE_OPTIONS (Dockerfile: the GC sizing the
 * deployment runs with); `BENCH_NODE_FLAGS=` runs both without.
 */
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '--max-semi-space-size=32').split(' ').filter(Boolean);

interface Args {
  /** Reuse dist/ as it is (after a build of the current sources). */
  skipBuild: boolean;
  /** Directory for a V8 CPU profile of the gateway process. */
  profile?: string;
  duration: number;
  connections: number;
  soak: boolean;
  /** Only the memory soak: idle RSS, then streaming at `connections` for `soakMinutes`. */
  soakOnly: boolean;
  soakMinutes: number;
  /** Rounds of the 1-connection non-stream phases only (0 = the full benchmark). */
  quick: number;
  /** Only the large-request phase (scripts/bench-large.ts), with this many rounds per body. */
  large: number;
  /** Only the peer comparison (scripts/bench-peers.ts): rounds of every phase per target. */
  peers: number;
  /** Sequential requests per round in the peer comparison (TTFT, prompt sizes). */
  peerSamples: number;
  /** Start everything, print the URLs, pids and key, and wait (drive load and profilers by hand). */
  hold: boolean;
}

function args(): Args {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
      soak: { type: 'boolean', default: false },
      'soak-minutes': { type: 'string', default: '5' },
      'soak-only': { type: 'boolean', default: false },
      'serve-gateway': { type: 'boolean', default: false },
      'serve-raw-proxy': { type: 'string' },
      'serve-fastify-proxy': { type: 'string' },
      'skip-build': { type: 'boolean', default: false },
      profile: { type: 'string' },
      quick: { type: 'string' },
      large: { type: 'boolean', default: false },
      'large-samples': { type: 'string', default: '30' },
      peers: { type: 'boolean', default: false },
      'peer-rounds': { type: 'string', default: '3' },
      'peer-samples': { type: 'string', default: '40' },
      hold: { type: 'boolean', default: false },
    },
  });
  return {
    skipBuild: values['skip-build'] ?? false,
    profile: values.profile,
    duration: Number(values.duration),
    connections: Number(values.connections),
    soak: values.soak ?? false,
    soakOnly: values['soak-only'] ?? false,
    soakMinutes: Number(values['soak-minutes']),
    quick: values.quick === undefined ? 0 : Number(values.quick),
    large: values.large ? Number(values['large-samples']) : 0,
    peers: values.peers ? Number(values['peer-rounds']) : 0,
    peerSamples: Number(values['peer-samples']),
    hold: values.hold ?? false,
  };
}

// ---------------------------------------------------------------------------------------------
// Child process: the gateway, fully configured.

/**
 * Loads the compiled app from dist/ (built by the orchestrator): the benchmark measures what runs in
 * production, and Nest's decorators need the compiler's type metadata that tsx does not emit.
 */
function fromDist<T>(path: string): T {
  // BENCH_DIST: another build's dist/ (e.g. an older commit's), for before/after runs on the same script.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- runtime modules come from dist/
  return require(resolve(process.env.BENCH_DIST ?? resolve(root, 'dist'), path)) as T;
}

async function serveGateway(): Promise<void> {
  const { createApp } = fromDist<typeof import('../src/app.factory')>('app.factory.js');
  const { loadConfig } = fromDist<typeof import('../src/core/config')>('core/config/index.js');
  const { GatewaySettings } = fromDist<typeof import('../src/modules/gateway/gateway.settings')>(
    'modules/gateway/gateway.settings.js',
  );
  const { SecretBox } = fromDist<typeof import('../src/common/crypto/secret-box')>(
    'common/crypto/secret-box.js',
  );
  const { ProvidersRepository } = fromDist<typeof import('../src/modules/providers/providers.repository')>(
    'modules/providers/providers.repository.js',
  );
  const { ModelsRepository } = fromDist<typeof import('../src/modules/providers/models.repository')>(
    'modules/providers/models.repository.js',
  );
  const { TenantsRepository } = fromDist<typeof import('../src/modules/tenants/tenants.repository')>(
    'modules/tenants/tenants.repository.js',
  );
  const { ApiKeysRepository } = fromDist<typeof import('../src/modules/tenants/api-keys.repository')>(
    'modules/tenants/api-keys.repository.js',
  );
  const keys = fromDist<typeof import('../src/modules/tenants/api-key.util')>(
    'modules/tenants/api-key.util.js',
  );
  const { defaultTenantSettings } = fromDist<typeof import('../src/modules/tenants/tenant-defaults')>(
    'modules/tenants/tenant-defaults.js',
  );
  const { ConfigChangeBus } = fromDist<typeof import('../src/modules/config-sync/config-change.bus')>(
    'modules/config-sync/config-change.bus.js',
  );

  const mockUrl = process.env.BENCH_MOCK_URL as string;
  const app = await createApp(loadConfig(process.env));
  await app.init();
  const settings = app.get(GatewaySettings);
  // Limits are on and counted on every request, but set high enough not to refuse the benchmark.
  settings.ipRequestsPerMinute = 100_000_000;

  const provider = await app.get(ProvidersRepository).create({
    name: 'bench-mock',
    slug: 'bench-mock',
    type: 'openai',
    baseUrl: mockUrl,
    auth: { type: 'api_key', apiKey: app.get(SecretBox).encrypt('sk-bench') },
    options: {},
    enabled: true,
  });
  const providerId = provider._id.toString();
  await app.get(ModelsRepository).upsert(providerId, BENCH_MODEL, {
    name: BENCH_MODEL,
    tier: 'low',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    pricing: { inputPer1M: 0.15, outputPer1M: 0.6, cachedInputPer1M: null },
    visible: true,
    priority: 50,
  });
  const makeTenant = async (slug: string, overrides: Record<string, unknown>): Promise<string> => {
    const tenant = await app.get(TenantsRepository).create({
      ...defaultTenantSettings(),
      slug,
      name: slug,
      isDefault: false,
      providerIds: [providerId],
      ...overrides,
    });
    const key = keys.generateApiKey();
    await app.get(ApiKeysRepository).create(tenant._id.toString(), {
      hash: keys.hashApiKey(key),
      prefix: keys.displayPrefix(key),
      label: 'bench',
      enabled: true,
      expiresAt: null,
      createdBy: null,
    });
    return key;
  };
  const key = await makeTenant('bench', {
    rateLimit: { requestsPerMinute: 100_000_000, tokensPerMinute: 1_000_000_000_000 },
    budgets: { dailyUsd: 1_000_000, weeklyUsd: 0, monthlyUsd: 0, enforcement: 'hard_block' },
  });
  // A second tenant whose small rate limit the overload phase runs into.
  const limitedKey = await makeTenant('bench-limited', {
    rateLimit: { requestsPerMinute: 600, tokensPerMinute: 0 },
  });
  await app.get(ConfigChangeBus).publish('tenants', 'api-keys', 'providers', 'models');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(JSON.stringify({ ready: true, port, key, limitedKey }) + '\n');
  const stop = (): void => {
    void app.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/**
 * Child process: the thinnest pass-through proxy possible (node:http + an undici pool, nothing
 * else). Its numbers show what one extra HTTP hop costs on this machine before any gateway work.
 */
function serveRawProxy(target: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- same undici the gateway uses
  const { Pool } = require('undici') as typeof import('undici');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const http = require('node:http') as typeof import('node:http');
  const pool = new Pool(target, { connections: 128 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void pool
        .request({
          path: req.url ?? '/',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: Buffer.concat(chunks),
        })
        .then(async (up) => {
          res.writeHead(up.statusCode, { 'content-type': String(up.headers['content-type']) });
          for await (const chunk of up.body) res.write(chunk);
          res.end();
        });
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(JSON.stringify({ ready: true, port }) + '\n');
  });
  // Exit normally on SIGTERM so --cpu-prof writes its profile.
  process.once('SIGTERM', () => process.exit(0));
}

/**
 * Child process: the least a JSON gateway on Fastify does (Fastify with the app's server options,
 * the default JSON body parser, one undici pool, the answer parsed and sent back as an object).
 * Between the bare proxy and the gateway: what the framework costs before any gateway feature.
 */
async function serveFastifyProxy(target: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Pool } = require('undici') as typeof import('undici');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fastify = (require('fastify') as typeof import('fastify')).default({
    bodyLimit: 20 * 1024 * 1024,
    trustProxy: true,
    requestTimeout: 0,
    keepAliveTimeout: 65_000,
  });
  const pool = new Pool(target, { connections: 128 });
  fastify.post('/v1/chat/completions', async (request, reply) => {
    const up = await pool.request({
      path: '/v1/chat/completions',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request.body),
    });
    const answer = JSON.parse(await up.body.text()) as unknown;
    return reply.code(up.statusCode).send(answer);
  });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(JSON.stringify({ ready: true, port }) + '\n');
  process.once('SIGTERM', () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------
// Orchestrator.

interface Phase {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statuses: Record<string, number>;
}

function startChild(
  command: string,
  argv: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(command, argv, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (ready.test(line)) resolveStart({ child, line });
    });
    child.once('exit', (code) => reject(new Error(`${argv.join(' ')} exited with ${code}: ${stderr}`)));
  });
}

async function load(
  name: string,
  url: string,
  body: string,
  connections: number,
  duration: number,
  headers: Record<string, string> = {},
): Promise<Phase> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration,
    timeout: 30,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat.count ?? 0;
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statuses,
  };
}

interface Sequential {
  p50: number;
  p99: number;
  mean: number;
  /** Median of the gateway's own `x-prism-overhead-ms` (gateway runs only). */
  ownP50: number;
  ownP99: number;
  /** Median of `x-prism-upstream-ms`: the upstream call as the gateway timed it. */
  upstreamP50: number;
}

/** Sequential requests with an undici client: latency percentiles and the gateway's own time. */
async function sequential(
  url: string,
  body: string,
  headers: Record<string, string>,
  count: number,
): Promise<Sequential> {
  const total: number[] = [];
  const own: number[] = [];
  const upstream: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    await response.body.dump();
    total.push(performance.now() - started);
    const reported = Number(response.headers['x-prism-overhead-ms']);
    if (!Number.isNaN(reported)) own.push(reported);
    const upstreamMs = Number(response.headers['x-prism-upstream-ms']);
    if (!Number.isNaN(upstreamMs)) upstream.push(upstreamMs);
  }
  const pct = (list: number[], q: number): number => {
    const sorted = [...list].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  };
  return {
    p50: pct(total, 0.5),
    p99: pct(total, 0.99),
    mean: total.reduce((a, b) => a + b, 0) / total.length,
    ownP50: pct(own, 0.5),
    ownP99: pct(own, 0.99),
    upstreamP50: pct(upstream, 0.5),
  };
}

async function ttft(
  url: string,
  body: string,
  headers: Record<string, string>,
  count: number,
): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    let first = 0;
    for await (const chunk of response.body) {
      if (first === 0 && chunk.length > 0) first = performance.now() - started;
    }
    samples.push(first);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number): number =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** The test database process (FerretDB), a direct child of this process, when there is one. */
function databasePid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [comm, rest] = [stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), stat.split(') ')[1]];
      if (Number(rest?.split(' ')[1]) === process.pid && /testdb|ferret|mongod/.test(comm))
        return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

/** User + system CPU time of a process so far, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function metricValue(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{}'));
  return line ? Number(line.split(' ').pop()) : NaN;
}

async function main(): Promise<void> {
  const opts = args();
  if (!opts.skipBuild) {
    process.stdout.write('building dist/ (the gateway runs compiled, as in production)...\n');
    await new Promise<void>((resolveBuild, reject) => {
      const build = spawn('npx', ['nest', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
      build.once('exit', (code) =>
        code === 0 ? resolveBuild() : reject(new Error(`nest build exited with ${code}`)),
      );
    });
  }
  const { startTestDatabase, databaseUriFor, stopChild } = await import('../test/support/test-database');
  const db = await startTestDatabase();
  const children: ChildProcess[] = [];
  const stopAll = async (): Promise<void> => {
    // A gateway drains its leased jobs (≤ 10 s) and needs the database until it has exited, so the
    // database stops only after every child is gone (a fixed pause left a held gateway hanging).
    await Promise.all(children.reverse().map((child) => stopChild(child, 15_000)));
    await db.stop();
  };
  try {
    const mockPort = 20_000 + Math.floor(Math.random() * 20_000);
    const mock = await startChild(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/support/mock-upstream/cli.ts',
        '--port',
        String(mockPort),
        '--record-limit',
        '0',
      ],
      process.env,
      /listening/,
    );
    children.push(mock.child);
    const mockUrl = `http://127.0.0.1:${mockPort}`;
    const gatewayEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      NODE_ROLE: 'worker',
      // The mock listens on loopback, which the provider URL guard refuses in production.
      PROVIDER_URL_ALLOW: 'loopback',
      LOG_LEVEL: 'warn',
      MONGODB_URI: databaseUriFor(db.uri, `/test/bench-${Date.now()}.e2e-spec.ts`),
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      BENCH_MOCK_URL: mockUrl,
    };
    const gateway = await startChild(
      process.execPath,
      [
        ...(opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${opts.profile}`] : []),
        ...nodeFlags,
        // BENCH_GATEWAY_NODE_FLAGS: V8/Node flags for the gateway process only (e.g. GC sizing).
        ...(process.env.BENCH_GATEWAY_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
        '--import',
        'tsx',
        'scripts/bench.ts',
        '--serve-gateway',
      ],
      gatewayEnv,
      /"ready":true/,
    );
    children.push(gateway.child);
    const raw = await startChild(
      process.execPath,
      [
        ...(opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${opts.profile}/bare-proxy`] : []),
        ...nodeFlags,
        '--import',
        'tsx',
        'scripts/bench.ts',
        '--serve-raw-proxy',
        mockUrl,
      ],
      process.env,
      /"ready":true/,
    );
    children.push(raw.child);
    const rawUrl = `http://127.0.0.1:${(JSON.parse(raw.line) as { port: number }).port}/v1/chat/completions`;
    const fst = await startChild(
      process.execPath,
      ['--import', 'tsx', 'scripts/bench.ts', '--serve-fastify-proxy', mockUrl],
      process.env,
      /"ready":true/,
    );
    children.push(fst.child);
    const fastifyUrl = `http://127.0.0.1:${(JSON.parse(fst.line) as { port: number }).port}/v1/chat/completions`;
    const info = JSON.parse(gateway.line) as { port: number; key: string; limitedKey: string };
    const gatewayUrl = `http://127.0.0.1:${info.port}`;
    const auth = { authorization: `Bearer ${info.key}`, 'x-user': 'bench' };
    const body = JSON.stringify({
      model: BENCH_MODEL,
      messages: [{ role: 'user', content: 'Say hello to the benchmark' }],
    });
    const streamBody = JSON.stringify({
      model: BENCH_MODEL,
      messages: [{ role: 'user', content: 'Say hello to the benchmark' }],
      stream: true,
    });
    const direct = `${mockUrl}/v1/chat/completions`;
    const through = `${gatewayUrl}/v1/chat/completions`;
    const d = opts.duration;
    const c = opts.connections;

    if (opts.hold) {
      // BENCH_HOLD_WORKERS=N: the held gateway is `node dist/main.js` with WORKERS=N (a cluster
      // primary and N workers, same database and tenants) instead of the in-process bench gateway;
      // compare WORKERS=1 and 2 started the same way with bench-ab.
      const holdWorkers = Number(process.env.BENCH_HOLD_WORKERS ?? 0);
      const held = holdWorkers > 0 ? await startMainGateway(gatewayEnv, holdWorkers) : undefined;
      if (held) children.push(held.child);
      process.stdout.write(
        JSON.stringify({
          direct,
          gateway: held ? `${held.url}/v1/chat/completions` : through,
          bare: rawUrl,
          fastify: fastifyUrl,
          authorization: auth.authorization,
          pids: {
            gateway: held ? held.child.pid : gateway.child.pid,
            bare: raw.child.pid,
            mock: mock.child.pid,
            database: databasePid(),
          },
        }) + '\nholding until SIGINT/SIGTERM...\n',
      );
      await new Promise<void>((resolveHold) => {
        process.once('SIGINT', resolveHold);
        process.once('SIGTERM', resolveHold);
      });
      return;
    }
    if (opts.large > 0) {
      const { runLargeBench } = await import('./bench-large');
      const largePeers: import('./bench-large').LargeTarget[] = [
        // The floor: one hop through node:http + undici that only buffers and forwards the bytes.
        {
          name: 'bare proxy',
          url: rawUrl.replace('/v1/chat/completions', ''),
          headers: {},
          pid: raw.child.pid,
        },
      ];
      const compareDist = process.env.BENCH_COMPARE_DIST;
      if (compareDist) {
        // Another build of the gateway (its own database) in the same rounds: before/after under one load.
        const other = await startChild(
          process.execPath,
          ['--import', 'tsx', 'scripts/bench.ts', '--serve-gateway'],
          {
            ...gatewayEnv,
            BENCH_DIST: compareDist,
            MONGODB_URI: databaseUriFor(db.uri, `/test/bench-compare-${Date.now()}.e2e-spec.ts`),
          },
          /"ready":true/,
        );
        children.push(other.child);
        const otherInfo = JSON.parse(other.line) as { port: number; key: string };
        largePeers.push({
          name: `Model Prism (${compareDist})`,
          url: `http://127.0.0.1:${otherInfo.port}`,
          headers: { authorization: `Bearer ${otherInfo.key}`, 'x-user': 'bench' },
          pid: other.child.pid,
        });
      }
      if (opts.peers > 0) {
        // --large --peers: Portkey OSS in front of the same mock, in the same rounds.
        const { startPortkey } = await import('./bench-peers');
        const portkey = await startPortkey(mockUrl, 20_000 + Math.floor(Math.random() * 20_000));
        children.push(portkey.child);
        largePeers.push(portkey.target);
      }
      const table = await runLargeBench({
        direct: { name: 'direct', url: mockUrl, headers: {} },
        gateway: { name: 'Model Prism', url: gatewayUrl, headers: auth, pid: gateway.child.pid },
        peers: largePeers,
        model: BENCH_MODEL,
        gatewayPid: gateway.child.pid!,
        samples: opts.large,
        bodyLimit: 20 * 1024 * 1024,
      });
      process.stdout.write(table + '\n');
      return;
    }
    if (opts.soakOnly) {
      const pid = gateway.child.pid!;
      await load('warmup', through, streamBody, 8, 5, auth);
      await new Promise((r) => setTimeout(r, 5000));
      const idle = rssMb(pid);
      // RSS and the analytics queue together: a queue the database cannot drain grows the heap
      // (bounded by the writer's maxQueue) and is not a leak; old-space growth between major GCs
      // shows as a saw-tooth, so windows spanning several teeth are compared, and their floors.
      const samples: { at: number; mb: number; queue: number }[] = [];
      const started = Date.now();
      const timer = setInterval(() => {
        const at = (Date.now() - started) / 60_000;
        const mb = rssMb(pid);
        void metricValue(gatewayUrl, 'prism_analytics_queue_depth').then(
          (queue) => samples.push({ at, mb, queue }),
          () => samples.push({ at, mb, queue: NaN }),
        );
      }, 5000);
      const soakLoad = await load('soak', through, streamBody, c, opts.soakMinutes * 60, auth);
      clearInterval(timer);
      await new Promise((r) => setTimeout(r, 10_000));
      const after = rssMb(pid);
      const dropped = await metricValue(gatewayUrl, 'prism_analytics_dropped_total');
      const minutes = opts.soakMinutes;
      const within = (from: number, to: number): number[] =>
        samples.filter((x) => x.at >= from && x.at <= to).map((x) => x.mb);
      const avg = (l: number[]): number => Math.round(l.reduce((a, b) => a + b, 0) / Math.max(1, l.length));
      const change = (from: number, to: number): string => `${(((to - from) / from) * 100).toFixed(1)} %`;
      const firstMinute = avg(within(0, 1));
      const lastMinute = avg(within(minutes - 1, minutes));
      // Steady state: the first minute is warm-up; then the next third against the last third.
      const third = Math.max(1, (minutes - 1) / 3);
      const early = within(1, 1 + third);
      const late = within(minutes - third, minutes);
      process.stdout.write(
        `Soak: ${minutes} min of streaming at ${c} connections, ${soakLoad.rps.toFixed(0)} req/s, ` +
          `errors ${soakLoad.errors + soakLoad.non2xx + soakLoad.timeouts}. Gateway RSS: idle ${idle} MB; ` +
          `first minute avg ${firstMinute} MB; last minute avg ${lastMinute} MB (${change(firstMinute, lastMinute)}); ` +
          `minutes 1–${(1 + third).toFixed(1)} avg ${avg(early)} MB (floor ${Math.min(...early)}), ` +
          `last ${third.toFixed(1)} min avg ${avg(late)} MB (floor ${Math.min(...late)}): ` +
          `${change(avg(early), avg(late))} avg, ${change(Math.min(...early), Math.min(...late))} floor; ` +
          `max ${Math.max(...samples.map((x) => x.mb))} MB; 10 s after the load ${after} MB. ` +
          `Analytics queue max ${Math.max(...samples.map((x) => x.queue))}, dropped ${dropped}.\n` +
          `Samples (min: MB/queue): ${samples.map((x) => `${x.at.toFixed(1)}: ${x.mb}/${x.queue}`).join(', ')}\n`,
      );
      return;
    }
    if (opts.peers > 0) {
      const { runPeerBench, startPortkey } = await import('./bench-peers');
      const portkey = await startPortkey(mockUrl, 20_000 + Math.floor(Math.random() * 20_000));
      children.push(portkey.child);
      // The same gateway again as `node dist/main.js` with WORKERS=2 (same database, same tenants).
      const workers = await startMainGateway(gatewayEnv, 2);
      children.push(workers.child);
      const workersUrl = workers.url;
      const prism = { url: gatewayUrl, headers: auth, pid: gateway.child.pid };
      process.stdout.write('warming up...\n');
      for (const url of [direct, through, rawUrl, `${workersUrl}/v1/chat/completions`])
        await load('warmup', url, body, 8, 3, url === direct || url === rawUrl ? {} : auth);
      await load('warmup', `${portkey.target.url}/v1/chat/completions`, body, 8, 3, portkey.target.headers);
      const table = await runPeerBench({
        direct: { name: 'direct to mock', url: mockUrl, headers: {}, model: BENCH_MODEL },
        bare: {
          name: 'bare node:http proxy',
          url: rawUrl.replace('/v1/chat/completions', ''),
          headers: {},
          pid: raw.child.pid,
          model: BENCH_MODEL,
        },
        gateway: { name: 'Model Prism', ...prism, model: BENCH_MODEL },
        gatewayAuto: { name: 'Model Prism, model auto', ...prism, model: 'auto' },
        gatewayWorkers: { name: 'Model Prism WORKERS=2', url: workersUrl, headers: auth, model: BENCH_MODEL },
        peers: [portkey.target],
        rounds: opts.peers,
        duration: d,
        connections: c,
        samples: opts.peerSamples,
      });
      process.stdout.write(table + '\n');
      return;
    }
    process.stdout.write('warming up...\n');
    await load('warmup', direct, body, 8, 3);
    await load('warmup', through, body, 8, 5, auth);
    await load('warmup', through, streamBody, 8, 3, auth);
    await load('warmup', rawUrl, body, 8, 3);
    await load('warmup', fastifyUrl, body, 8, 3);
    if (opts.quick > 0) {
      await quickRounds(opts.quick, d, {
        direct,
        through,
        rawUrl,
        fastifyUrl,
        body,
        auth,
        gatewayPid: gateway.child.pid!,
        rawPid: raw.child.pid!,
      });
      return;
    }
    const rssStart = rssMb(gateway.child.pid!);

    const phases: Phase[] = [];
    const run = async (phase: Promise<Phase>): Promise<Phase> => {
      const result = await phase;
      phases.push(result);
      process.stdout.write(
        `  ${result.name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms\n`,
      );
      return result;
    };
    const d1 = await run(load('non-stream direct, 1 conn', direct, body, 1, d));
    const g1 = await run(load('non-stream gateway, 1 conn', through, body, 1, d, auth));
    const r1 = await run(load('non-stream bare proxy, 1 conn', rawUrl, body, 1, d));
    const dN = await run(load(`non-stream direct, ${c} conn`, direct, body, c, d));
    const rN = await run(load(`non-stream bare proxy, ${c} conn`, rawUrl, body, c, d));
    const gN = await run(load(`non-stream gateway, ${c} conn`, through, body, c, d, auth));
    const sd1 = await run(load('stream direct, 1 conn', direct, streamBody, 1, d));
    const sg1 = await run(load('stream gateway, 1 conn', through, streamBody, 1, d, auth));
    const sdN = await run(load(`stream direct, ${c} conn`, direct, streamBody, c, d));
    const sgN = await run(load(`stream gateway, ${c} conn`, through, streamBody, c, d, auth));
    const ttftDirect = await ttft(direct, streamBody, {}, 300);
    const ttftGateway = await ttft(through, streamBody, auth, 300);
    const seqDirect = await sequential(direct, body, {}, 1000);
    const seqGateway = await sequential(through, body, auth, 1000);
    const overload = await run(
      load('overload: 256 conn on a 600 req/min tenant', through, body, 256, d, {
        authorization: `Bearer ${info.limitedKey}`,
      }),
    );
    const rssAfter = rssMb(gateway.child.pid!);

    let soak: { minutes: number; start: number; end: number; max: number } | undefined;
    if (opts.soak) {
      process.stdout.write(`soak: ${opts.soakMinutes} min at ${c} connections...\n`);
      const samples: number[] = [];
      const timer = setInterval(() => samples.push(rssMb(gateway.child.pid!)), 5000);
      await load('soak', through, body, c, opts.soakMinutes * 60, auth);
      clearInterval(timer);
      soak = {
        minutes: opts.soakMinutes,
        start: samples[0] ?? 0,
        end: samples[samples.length - 1] ?? 0,
        max: Math.max(...samples),
      };
    }
    await new Promise((r) => setTimeout(r, 1500));
    const dropped = await metricValue(gatewayUrl, 'prism_analytics_dropped_total');
    const queued = await metricValue(gatewayUrl, 'prism_analytics_queue_depth');

    const added = (gw: Phase, dir: Phase): string => (1000 / gw.rps - 1000 / dir.rps).toFixed(3);
    const ratio = (gw: Phase, dir: Phase): string => `${((gw.rps / dir.rps) * 100).toFixed(1)} %`;
    const lines = [
      '',
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM ` +
        `(${Math.round(freemem() / 2 ** 30)} GiB free), Node ${process.version}; mock, load generator and gateway share the cores.`,
      `Each phase ${d} s; database: ${db.kind}.`,
      '',
      '| Scenario | Direct RPS | Gateway RPS | Ratio | Direct p50/p99 ms | Gateway p50/p99 ms | Added latency (1/RPS) ms | Gateway errors |',
      '|---|---|---|---|---|---|---|---|',
      row('non-stream, 1 conn', d1, g1),
      row(`non-stream, ${c} conn`, dN, gN),
      row('stream, 1 conn', sd1, sg1),
      row(`stream, ${c} conn`, sdN, sgN),
      row('non-stream, 1 conn: bare proxy', d1, r1),
      row(`non-stream, ${c} conn: bare proxy`, dN, rN),
      '',
      `Streaming TTFT (300 sequential requests): direct p50 ${ttftDirect.p50.toFixed(2)} ms / p99 ${ttftDirect.p99.toFixed(2)} ms; ` +
        `gateway p50 ${ttftGateway.p50.toFixed(2)} ms / p99 ${ttftGateway.p99.toFixed(2)} ms.`,
      `Sequential non-stream requests (1000 each, undici client): direct p50 ${seqDirect.p50.toFixed(3)} ms / mean ` +
        `${seqDirect.mean.toFixed(3)} ms; gateway p50 ${seqGateway.p50.toFixed(3)} ms / mean ${seqGateway.mean.toFixed(3)} ms; ` +
        `added p50 ${(seqGateway.p50 - seqDirect.p50).toFixed(3)} ms. Time inside the gateway (x-prism-overhead-ms): ` +
        `p50 ${seqGateway.ownP50.toFixed(3)} ms, p99 ${seqGateway.ownP99.toFixed(3)} ms; ` +
        `upstream call as the gateway timed it (x-prism-upstream-ms) p50 ${seqGateway.upstreamP50.toFixed(3)} ms.`,
      `Overload (256 connections against a 600 req/min tenant): status codes ${JSON.stringify(overload.statuses)}, ` +
        `timeouts ${overload.timeouts}, connection errors ${overload.errors}.`,
      `Gateway RSS: ${rssStart} MB after warm-up, ${rssAfter} MB after the run` +
        (soak
          ? `; soak ${soak.minutes} min: ${soak.start} → ${soak.end} MB (max ${soak.max} MB).`
          : ' (soak: run with --soak).'),
      `Analytics: ${dropped} rows dropped, ${queued} queued at the end.`,
      '',
      `Added latency at 1 connection: ${added(g1, d1)} ms (target ≤ 0.3 ms). ` +
        `Gateway at ${c} connections: ${ratio(gN, dN)} of direct RPS (target ≥ 12 %), errors ${gN.errors + gN.non2xx}.`,
    ];
    function row(label: string, dir: Phase, gw: Phase): string {
      return `| ${label} | ${dir.rps.toFixed(0)} | ${gw.rps.toFixed(0)} | ${ratio(gw, dir)} | ${dir.p50}/${dir.p99} | ${gw.p50}/${gw.p99} | ${added(gw, dir)} | ${gw.errors + gw.non2xx + gw.timeouts} |`;
    }
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await stopAll();
  }
}

/**
 * The gateway as production starts it (`node dist/main.js`, BENCH_DIST's when set) with WORKERS=N,
 * on the bench gateway's database (same tenants and keys); resolves once `/health/ready` answers.
 */
async function startMainGateway(
  gatewayEnv: NodeJS.ProcessEnv,
  workers: number,
): Promise<{ child: ChildProcess; url: string }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    process.execPath,
    [...nodeFlags, resolve(process.env.BENCH_DIST ?? resolve(root, 'dist'), 'main.js')],
    {
      cwd: root,
      env: {
        ...gatewayEnv,
        PORT: String(port),
        WORKERS: String(workers),
        GATEWAY_IP_RATE_LIMIT_PER_MIN: '10000000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url };
}

/**
 * `--quick N`: N rounds of the 1-connection non-stream phases (direct, gateway, bare proxy, then
 * 500 sequential requests direct and through the gateway), each round back to back so the three
 * see the same machine load; prints every round and the medians. For iterating on the hot path.
 */
async function quickRounds(
  rounds: number,
  duration: number,
  t: {
    direct: string;
    through: string;
    rawUrl: string;
    fastifyUrl: string;
    body: string;
    auth: Record<string, string>;
    gatewayPid: number;
    rawPid: number;
  },
): Promise<void> {
  const median = (list: number[]): number => {
    const sorted = [...list].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const addedGw: number[] = [];
  const addedRaw: number[] = [];
  const addedFst: number[] = [];
  const addedSeq: number[] = [];
  const own: number[] = [];
  const cpuGw: number[] = [];
  const cpuRaw: number[] = [];
  const cpuDb: number[] = [];
  const dbPid = databasePid();
  for (let i = 0; i < rounds; i++) {
    const dir = await load('direct', t.direct, t.body, 1, duration);
    let cpu = cpuMs(t.gatewayPid);
    const dbBefore = dbPid ? cpuMs(dbPid) : 0;
    const gw = await load('gateway', t.through, t.body, 1, duration, t.auth);
    const gwCpu = (cpuMs(t.gatewayPid) - cpu) / (gw.rps * duration);
    const dbCpu = dbPid ? (cpuMs(dbPid) - dbBefore) / (gw.rps * duration) : 0;
    cpuDb.push(dbCpu);
    cpu = cpuMs(t.rawPid);
    const raw = await load('bare', t.rawUrl, t.body, 1, duration);
    const rawCpu = (cpuMs(t.rawPid) - cpu) / (raw.rps * duration);
    const fst = await load('fastify', t.fastifyUrl, t.body, 1, duration);
    const f = 1000 / fst.rps - 1000 / dir.rps;
    addedFst.push(f);
    cpuGw.push(gwCpu);
    cpuRaw.push(rawCpu);
    const seqD = await sequential(t.direct, t.body, {}, 500);
    const seqG = await sequential(t.through, t.body, t.auth, 500);
    const a = 1000 / gw.rps - 1000 / dir.rps;
    const r = 1000 / raw.rps - 1000 / dir.rps;
    addedGw.push(a);
    addedRaw.push(r);
    addedSeq.push(seqG.p50 - seqD.p50);
    own.push(seqG.ownP50);
    process.stdout.write(
      `round ${i + 1}: RPS direct ${dir.rps.toFixed(0)} gateway ${gw.rps.toFixed(0)} (${gw.errors + gw.non2xx} err) ` +
        `bare ${raw.rps.toFixed(0)}; CPU/request gateway ${gwCpu.toFixed(3)} ms, database ${dbCpu.toFixed(3)} ms, bare ${rawCpu.toFixed(3)} ms; added 1/RPS gateway ${a.toFixed(3)} ms, bare ${r.toFixed(3)} ms, fastify ${f.toFixed(3)} ms; ` +
        `sequential p50 direct ${seqD.p50.toFixed(3)} gateway ${seqG.p50.toFixed(3)} ms ` +
        `(own ${seqG.ownP50.toFixed(3)}, upstream ${seqG.upstreamP50.toFixed(3)})\n`,
    );
  }
  process.stdout.write(
    `median of ${rounds}: added 1/RPS gateway ${median(addedGw).toFixed(3)} ms, bare proxy ${median(addedRaw).toFixed(3)} ms, ` +
      `bare Fastify proxy ${median(addedFst).toFixed(3)} ms, ` +
      `gateway minus bare ${(median(addedGw) - median(addedRaw)).toFixed(3)} ms; sequential added p50 ` +
      `${median(addedSeq).toFixed(3)} ms; x-prism-overhead-ms p50 ${median(own).toFixed(3)} ms; ` +
      `CPU per request gateway ${median(cpuGw).toFixed(3)} ms, database ${median(cpuDb).toFixed(3)} ms, ` +
      `bare proxy ${median(cpuRaw).toFixed(3)} ms\n`,
  );
}

if (process.argv.includes('--serve-fastify-proxy')) {
  void serveFastifyProxy(process.argv[process.argv.indexOf('--serve-fastify-proxy') + 1] as string);
} else if (process.argv.includes('--serve-raw-proxy')) {
  serveRawProxy(process.argv[process.argv.indexOf('--serve-raw-proxy') + 1] as string);
} else if (process.argv.includes('--serve-gateway')) {
  serveGateway().catch((error: unknown) => {
    process.stderr.write(
      `bench gateway failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
