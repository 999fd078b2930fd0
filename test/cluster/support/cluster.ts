import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { TEST_ENCRYPTION_KEY, TEST_JWT_SECRET } from '../../support/app';
import { freePort } from '../../support/test-database';

const root = resolve(__dirname, '../../..');

/**
 * The pods run as real processes from `dist/` (as in production, and so SIGTERM and SIGKILL mean
 * what they mean there). `npm test` builds dist/ before the e2e tests (openapi:check); a developer
 * running this file alone gets a build when a source file is newer than dist/main.js.
 */
export function ensureBuilt(): void {
  const main = join(root, 'dist', 'main.js');
  if (existsSync(main) && newestMtime(join(root, 'src')) <= statSync(main).mtimeMs) return;
  const build = spawnSync('npx', ['nest', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  if (build.status !== 0) throw new Error(`nest build failed: ${build.stderr?.toString() ?? ''}`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** One Model Prism process (`node dist/main.js`) on a loopback port. */
export class Pod {
  private child: ChildProcess | undefined;
  private output = '';
  readonly url: string;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines the process wrote (for failure messages). */
  tail(lines = 30): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  async start(timeoutMs = 90_000): Promise<void> {
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: root,
      env: { ...process.env, ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited at boot:\n${this.tail()}`);
      const ready = await fetch(`${this.url}/health/ready`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ready) return;
      await sleep(100);
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** Sends the signal and resolves when the process has exited (with its exit code or signal). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 60_000): Promise<string> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return 'not running';
    const exited = new Promise<string>((done) =>
      child.once('exit', (code, sig) => done(sig ? `signal ${sig}` : `code ${code}`)),
    );
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const how = await exited;
    clearTimeout(timer);
    return how;
  }
}

export interface ClusterOptions {
  mongodbUri: string;
  redisUrl: string;
  configPollIntervalMs: number;
  /** Environment shared by every pod (runtime settings). */
  env?: Record<string, string>;
}

/** Environment of a pod of the test cluster (secrets equal to the in-process test app's). */
export function podEnv(role: 'control' | 'worker', options: ClusterOptions): Record<string, string> {
  return {
    NODE_ENV: 'production',
    NODE_ROLE: role,
    MONGODB_URI: options.mongodbUri,
    REDIS_URL: options.redisUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: 'warn',
    CONFIG_POLL_INTERVAL_MS: String(options.configPollIntervalMs),
    HEARTBEAT_INTERVAL_MS: '1000',
    PROVIDER_URL_ALLOW: 'loopback',
    // nginx on loopback is the one trusted proxy.
    TRUST_PROXY: '127.0.0.1/32',
    // A CI machine under load answers slower than production's 250 ms budget; the limit tests
    // are about exactness across pods, not about the fallback.
    REDIS_COMMAND_TIMEOUT_MS: '3000',
    ...options.env,
  };
}

/**
 * nginx (Debian package `nginx`) as the ingress of the Helm chart: `/api/prism` and `/api/docs` to
 * control, `/api` (tenant and plain gateway paths) and `/v1` to the workers, the rest to control.
 * Runs unprivileged in the foreground (no master process) with everything under a temp prefix.
 * Responses carry `x-upstream` (the pod or pods nginx tried), so the test sees who served what.
 */
export class Nginx {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'prism-nginx-'));
  private stderr = '';
  url = '';

  async start(controlPort: number, workerPorts: number[]): Promise<void> {
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const workers = workerPorts
      .map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=1s;`)
      .join('\n');
    const proxy = (upstream: string): string =>
      `proxy_pass http://${upstream}; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`;
    const conf = `
daemon off;
master_process off;
worker_processes 1;
pid ${this.dir}/nginx.pid;
error_log ${this.dir}/error.log warn;
events { worker_connections 2048; }
http {
  access_log off;
  client_body_temp_path ${this.dir}/body;
  proxy_temp_path ${this.dir}/proxy;
  fastcgi_temp_path ${this.dir}/fastcgi;
  uwsgi_temp_path ${this.dir}/uwsgi;
  scgi_temp_path ${this.dir}/scgi;
  client_max_body_size 20m;
  proxy_http_version 1.1;
  proxy_buffering off;
  proxy_read_timeout 120s;
  # A POST is passed to the next pod only when the connection to the first failed (never twice).
  proxy_next_upstream error timeout;
  add_header x-upstream $upstream_addr always;
  upstream control {
    server 127.0.0.1:${controlPort};
  }
  upstream workers {
${workers}
  }
  server {
    listen 127.0.0.1:${port};
    location /api/prism { ${proxy('control')} }
    location /api/docs { ${proxy('control')} }
    location /api { ${proxy('workers')} }
    location /v1 { ${proxy('workers')} }
    location / { ${proxy('control')} }
  }
}
`;
    writeFileSync(join(this.dir, 'nginx.conf'), conf);
    const child = spawn('nginx', ['-p', this.dir, '-c', join(this.dir, 'nginx.conf'), '-e', 'stderr'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    const spawnError = new Promise<never>((_, reject) =>
      child.once('error', (error) =>
        reject(new Error(`cannot start nginx (apt-get install nginx): ${error.message}`)),
      ),
    );
    const ready = (async () => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`nginx exited: ${this.stderr}`);
        const answered = await fetch(`${this.url}/health`)
          .then(() => true)
          .catch(() => false);
        if (answered) return;
        await sleep(50);
      }
      throw new Error(`nginx did not listen: ${this.stderr}`);
    })();
    await Promise.race([ready, spawnError]);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
