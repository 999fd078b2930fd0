import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { GatewaySettings } from '../src/modules/gateway/gateway.settings';
import { RuntimeSettingsService } from '../src/modules/system/settings/runtime-settings.service';
import { startTestApp } from './support/app';
import { bearer, createUserAndLogin, setupFirstAdmin } from './support/auth';

const POLL_MS = 300;
const URL = '/api/prism/admin/system/settings';

interface SettingEntry {
  key: string;
  value: unknown;
  source: 'env' | 'admin';
  envVar: string;
  envValue: unknown;
}

async function eventually<T>(read: () => T, accept: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    value = read();
  }
  return value;
}

describe('runtime settings (GET|PUT admin/system/settings)', () => {
  let control: NestFastifyApplication;
  let worker: NestFastifyApplication;
  let admin: { authorization: string };

  const put = (payload: object, headers = admin) =>
    control.inject({ method: 'PUT', url: URL, headers, payload });
  const entry = (body: { settings: SettingEntry[] }, key: string) => body.settings.find((s) => s.key === key);

  beforeAll(async () => {
    const env = {
      CONFIG_POLL_INTERVAL_MS: String(POLL_MS),
      GATEWAY_MAX_IN_FLIGHT: '512',
      REQUEST_LOG_RETENTION_DAYS: '30',
    };
    control = await startTestApp({ ...env, NODE_ROLE: 'control' });
    worker = await startTestApp({ ...env, NODE_ROLE: 'worker' });
    admin = bearer((await setupFirstAdmin(control)).token);
  });
  afterAll(async () => {
    await worker.close();
    await control.close();
  });

  it('lists every setting with its environment variable, value and source', async () => {
    const response = await control.inject({ method: 'GET', url: URL, headers: admin });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(entry(body, 'gatewayMaxInFlight')).toMatchObject({
      value: 512,
      source: 'env',
      envVar: 'GATEWAY_MAX_IN_FLIGHT',
      envValue: 512,
    });
    expect(entry(body, 'requestLogRetentionDays')).toMatchObject({ value: 30, source: 'env' });
    expect(body.values).toMatchObject({ rollupRetentionDays: 730, promptLoggingDefault: false });
    expect(body.settings.map((s: SettingEntry) => s.key)).toContain('gatewayBreakerCooldownMs');
  });

  it('a value saved on the control plane wins over the environment on every pod', async () => {
    const savedAt = Date.now();
    const response = await put({ gatewayMaxInFlight: 64, rollupRetentionDays: 365 });
    expect(response.statusCode).toBe(200);
    expect(entry(response.json(), 'gatewayMaxInFlight')).toMatchObject({
      value: 64,
      source: 'admin',
      envValue: 512,
    });
    expect(response.json().updatedBy).toMatch(/^admin-/);
    expect(control.get(RuntimeSettingsService).current.gatewayMaxInFlight).toBe(64);

    const workerSettings = worker.get(RuntimeSettingsService);
    await eventually(
      () => workerSettings.current.gatewayMaxInFlight,
      (v) => v === 64,
      POLL_MS * 10,
    );
    expect(workerSettings.current).toMatchObject({ gatewayMaxInFlight: 64, rollupRetentionDays: 365 });
    // The gateway's knobs follow without a restart.
    expect(worker.get(GatewaySettings).maxInFlight).toBe(64);
    expect(Date.now() - savedAt).toBeLessThan(POLL_MS * 5);
  });

  it('null returns a setting to its environment value', async () => {
    await put({ requestLogRetentionDays: 7 });
    const response = await put({ requestLogRetentionDays: null });
    expect(response.statusCode).toBe(200);
    expect(entry(response.json(), 'requestLogRetentionDays')).toMatchObject({ value: 30, source: 'env' });
  });

  it('rejects bad values with a 400 naming the field and changes nothing', async () => {
    const before = (await control.inject({ method: 'GET', url: URL, headers: admin })).json().values;
    for (const payload of [
      { gatewayMaxInFlight: 0 },
      { gatewayMaxInFlight: 10, logLevel: 'loud' },
      { gatewayMaxInFlight: '10' },
      { unknownKnob: 1 },
      { gatewayRetryBaseDelayMs: 5_000, gatewayRetryMaxDelayMs: 1_000 },
    ]) {
      const response = await put(payload);
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toMatch(
        /gatewayMaxInFlight|logLevel|unknownKnob|gatewayRetryBaseDelayMs/,
      );
    }
    const after = (await control.inject({ method: 'GET', url: URL, headers: admin })).json().values;
    expect(after).toEqual(before);
  });

  it('audits a change with the before/after values', async () => {
    await put({ gatewayBreakerCooldownMs: 12_345 });
    const response = await control.inject({
      method: 'GET',
      url: '/api/prism/admin/audit?action=settings.update',
      headers: admin,
    });
    expect(response.statusCode).toBe(200);
    expect(JSON.stringify(response.json().items[0])).toContain('12345');
  });

  it('lets lower roles read or nothing, and only admins write', async () => {
    const maintainer = bearer(await createUserAndLogin(control, 'maintainer'));
    const finops = bearer(await createUserAndLogin(control, 'finops'));
    expect((await control.inject({ method: 'GET', url: URL, headers: maintainer })).statusCode).toBe(200);
    expect((await put({ gatewayMaxInFlight: 10 }, maintainer)).statusCode).toBe(403);
    expect((await control.inject({ method: 'GET', url: URL, headers: finops })).statusCode).toBe(403);
    expect((await control.inject({ method: 'GET', url: URL })).statusCode).toBe(401);
  });

  it('is not served by a worker', async () => {
    expect((await worker.inject({ method: 'GET', url: URL, headers: admin })).statusCode).toBe(404);
  });
});
