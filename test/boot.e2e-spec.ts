import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

import { startTestApp } from './support/app';
import { startFerretDb } from './support/test-database';

const root = resolve(__dirname, '..');

/** Runs the real entry point with an environment and returns how it exited. */
function boot(env: Record<string, string>): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('boot', () => {
  it('refuses NODE_ROLE=banana with a one-line reason', () => {
    const { status, stderr } = boot({ NODE_ROLE: 'banana' });
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/NODE_ROLE="banana" .*must be one of the following values: full, control, worker/);
  });

  it('refuses a short JWT_SECRET in production', () => {
    const { status, stderr } = boot({
      NODE_ENV: 'production',
      JWT_SECRET: 'too-short-secret-123',
      ENCRYPTION_KEY: 'a'.repeat(64),
      MONGODB_URI: 'mongodb://127.0.0.1:1/x',
    });
    expect(status).toBe(1);
    expect(stderr).toMatch(/JWT_SECRET/);
  });

  it('reports not ready (503, JSON reason) while the database is down, and live all the same', async () => {
    const db = await startFerretDb();
    const app = await startTestApp({ MONGODB_URI: db.uri.replace(/\/prism$/, '/t_boot_ready') });
    try {
      expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
      await db.stop();
      const res = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await db.stop();
    }
  });

  it('answers malformed JSON and unknown routes with clear JSON errors', async () => {
    const app = await startTestApp();
    try {
      const bad = await app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: { 'content-type': 'application/json' },
        payload: '{not json',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
      const admin = await app.inject({ method: 'GET', url: '/api/prism/nope' });
      expect(admin.statusCode).toBe(404);
      expect(admin.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    } finally {
      await app.close();
    }
  });
});
