import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A running MongoDB wire-protocol server for tests; `stop()` kills it and removes its files. */
export interface TestDatabaseServer {
  uri: string;
  kind: 'external' | 'ferretdb' | 'mongodb-memory-server';
  stop(): Promise<void>;
}

const repoRoot = resolve(__dirname, '../..');

/**
 * Starts the test database in the order the project promises: `MONGODB_URI` when set; else
 * FerretDB built from the Go module proxy when Go is installed; else mongodb-memory-server.
 */
export async function startTestDatabase(): Promise<TestDatabaseServer> {
  if (process.env.MONGODB_URI) {
    return { uri: process.env.MONGODB_URI, kind: 'external', stop: async () => undefined };
  }
  if (hasGo()) return startFerretDb();
  return startMemoryServer();
}

function hasGo(): boolean {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function startFerretDb(dataDir?: string): Promise<TestDatabaseServer> {
  const binary = execFileSync('bash', [join(repoRoot, 'scripts/test-db.sh'), 'build'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'prism-testdb-'));
  const port = await freePort();
  const child = spawn(binary, ['--listen', `127.0.0.1:${port}`, '--data-dir', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitForPort(port, child, () => stderr);
  return {
    uri: `mongodb://127.0.0.1:${port}/prism`,
    kind: 'ferretdb',
    stop: async () => {
      await stopChild(child);
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startMemoryServer(): Promise<TestDatabaseServer> {
  // Only used where Go is missing; it needs a mongod binary available on that machine.
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const server = await MongoMemoryServer.create();
  return {
    uri: server.getUri('prism'),
    kind: 'mongodb-memory-server',
    stop: async () => {
      await server.stop();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`test database exited early: ${stderr()}`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`test database did not listen on ${port} within 30 s: ${stderr()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolveConnect(true);
    });
    socket.once('error', () => resolveConnect(false));
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

/** The per-file database URI: same server, a database named after the test file. */
export function databaseUriFor(baseUri: string, testPath: string): string {
  const name = ('t_' + testPath.replace(/^.*[\\/]test[\\/]/, '').replace(/\.[a-z-]+-spec\.ts$/, ''))
    .replace(/[^A-Za-z0-9_]/g, '_')
    .slice(0, 60);
  const url = new URL(baseUri);
  url.pathname = '/' + name;
  return url.toString();
}
