import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { GatewaySettings } from '../src/modules/gateway/gateway.settings';
import { listenOnRandomPort, startTestApp } from './support/app';
import { bearer, createUser, setupFirstAdmin, type TestUser } from './support/auth';

/** Issue 15 item 1: X-Forwarded-For is honoured only from the peers TRUST_PROXY names. */
describe('trusted proxies (TRUST_PROXY)', () => {
  const spoofed = (i: number): Record<string, string> => ({ 'x-forwarded-for': `203.0.113.${i}` });

  async function boot(overrides: Record<string, string>): Promise<{
    app: NestFastifyApplication;
    base: string;
    auditor: TestUser;
  }> {
    const app = await startTestApp({ AUTH_RATE_LIMIT_PER_MIN: '5', ...overrides });
    app.get(GatewaySettings).ipRequestsPerMinute = 5;
    await setupFirstAdmin(app);
    const auditor = await createUser(app, 'auditor');
    return { app, base: await listenOnRandomPort(app), auditor };
  }

  async function chatStatuses(base: string, count: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 1; i <= count; i++) {
      const res = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...spoofed(i) },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
      });
      statuses.push(res.status);
    }
    return statuses;
  }

  async function loginStatuses(base: string, username: string, count: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 1; i <= count; i++) {
      const res = await fetch(`${base}/api/prism/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...spoofed(i) },
        body: JSON.stringify({ username, password: 'wrong-password-123' }),
      });
      statuses.push(res.status);
    }
    return statuses;
  }

  async function failedLoginIps(app: NestFastifyApplication, auditor: TestUser): Promise<string[]> {
    const res = await app.inject({
      method: 'GET',
      url: '/api/prism/admin/audit?action=auth.login_failed',
      headers: bearer(auditor.token),
    });
    return res.json<{ items: { ip: string | null }[] }>().items.map((e) => e.ip ?? '');
  }

  describe('default (off): a spoofed X-Forwarded-For from an untrusted peer changes nothing', () => {
    let ctx: Awaited<ReturnType<typeof boot>>;
    beforeAll(async () => (ctx = await boot({})));
    afterAll(() => ctx.app.close());

    it('the per-IP gateway limit still counts one address', async () => {
      const statuses = await chatStatuses(ctx.base, 8);
      expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
    });

    it('the login throttle still counts one address, and the audit log records the real peer', async () => {
      const statuses = await loginStatuses(ctx.base, 'nobody-here', 8);
      expect(statuses).toContain(429);
      const ips = await failedLoginIps(ctx.app, ctx.auditor);
      expect(ips.length).toBeGreaterThan(0);
      expect(ips.every((ip) => ip === '127.0.0.1')).toBe(true);
    });
  });

  describe('TRUST_PROXY=loopback: the header of a trusted peer is the client address', () => {
    let ctx: Awaited<ReturnType<typeof boot>>;
    beforeAll(async () => (ctx = await boot({ TRUST_PROXY: 'loopback' })));
    afterAll(() => ctx.app.close());

    it('each forwarded address gets its own per-IP budget', async () => {
      expect(await chatStatuses(ctx.base, 8)).not.toContain(429);
    });

    it('the audit log records the forwarded address', async () => {
      await loginStatuses(ctx.base, 'nobody-here', 1);
      expect(await failedLoginIps(ctx.app, ctx.auditor)).toContain('203.0.113.1');
    });
  });
});
