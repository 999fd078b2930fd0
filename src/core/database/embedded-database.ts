import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';

/**
 * Starts the embedded development database (FerretDB with SQLite, data under `.data/`) so that
 * `npm start` works on a fresh machine with no MONGODB_URI. Never used in production.
 */
export async function startEmbeddedDatabase(logger: Logger, port = 27027): Promise<string> {
  const root = resolve(__dirname, '../../..');
  const script = join(root, 'scripts/test-db.sh');
  if (!existsSync(script)) throw new Error('No MONGODB_URI set and scripts/test-db.sh is missing');
  const dataDir = join(root, '.data', 'db');
  mkdirSync(dataDir, { recursive: true });
  const uri = `mongodb://127.0.0.1:${port}/prism`;
  if (await canConnect(port)) {
    logger.warn({ uri }, 'Embedded database already running; reusing it');
    return uri;
  }
  logger.warn(
    'MONGODB_URI is not set: building and starting the embedded development database (first build takes a few minutes)',
  );
  const binary = execFileSync('bash', [script, 'build'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  const child = spawn(binary, ['--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = (): void => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('exit', stop);
  const deadline = Date.now() + 30_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error('Embedded database failed to start');
    await new Promise((r) => setTimeout(r, 100));
  }
  logger.warn({ uri, dataDir }, 'Embedded development database is running (data kept under .data/db)');
  return uri;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}
