import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { startTestApp } from './support/app';
import { createUser, TEST_PASSWORD } from './support/auth';

/** What the Angular build writes (no inline script or style; see admin-ui/angular.json). */
const INDEX_HTML =
  '<!doctype html><html><head><link rel="stylesheet" href="styles-X.css"></head>' +
  '<body><app-root></app-root><script src="main-X.js" type="module"></script></body></html>';

function directives(csp: string | undefined): Map<string, string> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0] ?? '', d.slice(d.indexOf(' ') + 1)]),
  );
}

/** Issue 15 item 10: console and admin API headers (CSP, framing, sniffing, referrer, HSTS, cookies). */
describe('security headers', () => {
  let uiDir: string;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    uiDir = mkdtempSync(join(tmpdir(), 'prism-ui-'));
    writeFileSync(join(uiDir, 'index.html'), INDEX_HTML);
    writeFileSync(join(uiDir, 'main-X.js'), 'console.log(1);');
    app = await startTestApp({ UI_DIST_DIR: uiDir });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(uiDir, { recursive: true, force: true });
  });

  it('the console page: a CSP without inline scripts, a fresh style nonce per answer, no framing', async () => {
    const first = await app.inject({ method: 'GET', url: '/' });
    const second = await app.inject({ method: 'GET', url: '/providers/abc' });
    for (const res of [first, second]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const csp = directives(res.headers['content-security-policy']);
      expect(csp.get('script-src')).toBe("'self'");
      expect(csp.get('frame-ancestors')).toBe("'none'");
      expect(csp.get('object-src')).toBe("'none'");
      expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(res.headers['content-security-policy']).not.toContain('unsafe-eval');
      const nonce = /'nonce-([^']+)'/.exec(csp.get('style-src') ?? '')?.[1];
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(res.body).toContain(`<app-root ngCspNonce="${nonce}">`);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    expect(first.headers['content-security-policy']).not.toBe(second.headers['content-security-policy']);
  });

  it('index.html is never served as a file (it would carry no nonce)', async () => {
    expect((await app.inject({ method: 'GET', url: '/index.html' })).statusCode).toBe(404);
    const asset = await app.inject({ method: 'GET', url: '/main-X.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
  });

  it('admin API answers (success and error) forbid rendering and framing', async () => {
    for (const url of ['/api/prism/setup/status', '/api/prism/auth/me', '/health/live']) {
      const res = await app.inject({ method: 'GET', url });
      expect(directives(res.headers['content-security-policy'] as string).get('default-src')).toBe("'none'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('gateway answers are left alone (machine clients, hot path)', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/models' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-security-policy']).toBeUndefined();
  });
});

describe('security headers in production', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startTestApp({ NODE_ENV: 'production', NODE_ROLE: 'control', HSTS_MAX_AGE: '31536000' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('sends HSTS when HSTS_MAX_AGE is set', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/prism/setup/status' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('session cookies are Secure, HttpOnly and SameSite=Strict, also when cleared at logout', async () => {
    const user = await createUser(app, 'finops');
    const login = await app.inject({
      method: 'POST',
      url: '/api/prism/auth/login',
      payload: { username: user.username, password: TEST_PASSWORD, session: 'cookie' },
    });
    expect(login.statusCode).toBe(200);
    const cookie = String(login.headers['set-cookie']);
    for (const attribute of [/;\s*Secure/i, /;\s*HttpOnly/i, /;\s*SameSite=Strict/i])
      expect(cookie).toMatch(attribute);
    const token = /prism_session=([^;]+)/.exec(cookie)?.[1] ?? '';
    const logout = await app.inject({
      method: 'POST',
      url: '/api/prism/auth/logout',
      headers: { cookie: `prism_session=${token}`, 'x-prism-csrf': '1' },
    });
    expect(logout.statusCode).toBe(204);
    const cleared = String(logout.headers['set-cookie']);
    expect(cleared).toMatch(/prism_session=;/);
    for (const attribute of [/;\s*Secure/i, /;\s*SameSite=Strict/i]) expect(cleared).toMatch(attribute);
  });
});
