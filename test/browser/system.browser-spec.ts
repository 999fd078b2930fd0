import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

import { HeartbeatWriter } from '../../src/modules/system/pods/heartbeat.writer';
import { PodHeartbeatRepository } from '../../src/modules/system/pods/pod-heartbeat.repository';
import { bearer, type TestUser } from '../support/auth';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from '../support/gateway';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream';
import { seriousAccessibilityViolations } from './support/axe';
import { ConsoleUnderTest } from './support/console';
import { field, openTab } from './support/console-pages';
import { horizontalOverflow, PHONE_VIEWPORT } from './support/layout';
import { sendChat } from './support/traffic';

describe('console: the System page (Chromium)', () => {
  let ui: ConsoleUnderTest;
  let mock: MockUpstream;
  let admin: TestUser;
  let tenant: SeededTenant;
  let providerSlug = '';
  let page: Page;

  const tenantName = async (): Promise<string> => {
    const res = await ui.app.inject({
      method: 'GET',
      url: `/api/prism/admin/tenants/${tenant.id}`,
      headers: bearer(admin.token),
    });
    return res.json<{ name: string }>().name;
  };

  beforeAll(async () => {
    mock = await startMockUpstream();
    ui = await ConsoleUnderTest.start();
    admin = ui.admin;
    const provider = await seedProvider(ui.app, mock.url, [{ id: 'steady' }]);
    providerSlug = provider.slug;
    tenant = await seedTenant(ui.app, [provider.id], { name: 'Research' });
    await publishConfig(ui.app);
    await sendChat(ui.baseUrl, tenant.key, { model: 'steady', content: 'hi' });
    await ui.app.get(HeartbeatWriter).beat();
    // A pod that stopped sending heartbeats ten minutes ago.
    const tenMinutesAgo = new Date(Date.now() - 600_000);
    await ui.app.get(PodHeartbeatRepository).write({
      _id: 'gone-pod',
      role: 'worker',
      version: '0.0.1',
      host: 'old-host',
      pid: 42,
      startedAt: tenMinutesAgo,
      lastSeenAt: tenMinutesAgo,
      stoppedAt: null,
      rssBytes: 0,
      heapUsedBytes: 0,
      heapTotalBytes: 0,
      cpuPercent: 0,
      eventLoopLagMs: 0,
      eventLoopLagP99Ms: 0,
      requestsPerMinute: 0,
      errorsPerMinute: 0,
      inFlight: 0,
      analyticsQueueDepth: 0,
      analyticsDropped: 0,
      breakers: [],
      upstreams: [],
      traffic: [],
      heldJobs: [],
    });
    ({ page } = await ui.openPage(admin));
  });
  afterAll(async () => {
    await ui?.close();
    await mock?.close();
  });

  it('lists the pods, shows the stale one and forgets it', async () => {
    await page.getByRole('link', { name: 'System' }).click();
    await page.getByRole('heading', { name: 'System', level: 1 }).waitFor();
    const pods = page.getByRole('table', { name: 'Pods' });
    await pods.getByText('this pod').waitFor();
    const stale = pods.getByRole('row').filter({ hasText: 'old-host' });
    await stale.getByText('stale').waitFor();
    expect(await pods.getByRole('row').filter({ hasText: 'this pod' }).getByText('live').count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await stale.getByRole('button', { name: 'Forget pod old-host' }).click();
    await page
      .getByRole('dialog', { name: 'Forget old-host?' })
      .getByRole('button', { name: 'Forget' })
      .click();
    await page.getByText('Pod forgotten.').waitFor();
    await stale.waitFor({ state: 'detached' });
  });

  it('shows provider health from the heartbeats', async () => {
    await page.getByRole('tab', { name: 'Provider health' }).click();
    const health = page.getByRole('table', { name: 'Provider health' });
    const row = health.getByRole('row').filter({ hasText: `${providerSlug}/steady` });
    await row.getByText('healthy').waitFor();
    await row.getByText('all closed').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('validates runtime settings, shows the server error, saves and returns a value to the environment', async () => {
    const form = (await openTab(page, 'Runtime settings')).getByRole('form', { name: 'Runtime settings' });
    await field(form, 'Gateway max in flight').fill('0');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('Gateway max in flight must be at least 1.').waitFor();
    await field(form, 'Gateway max in flight').fill('4096');

    // Each value is in range, but together they break a rule only the server checks.
    await field(form, 'Gateway retry base delay ms').fill('5000');
    await field(form, 'Gateway retry max delay ms').fill('1000');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('Must not exceed gatewayRetryMaxDelayMs.').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await field(form, 'Gateway retry max delay ms').fill('8000');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Runtime settings saved.').waitFor();
    const reset = form.getByRole('button', {
      name: 'Use the environment value for Gateway retry base delay ms',
    });
    await reset.waitFor();
    await reset.click();
    await page.getByText('Gateway retry base delay ms follows the environment again.').waitFor();
    expect(await field(form, 'Gateway retry base delay ms').inputValue()).toBe('250');
  });

  it('exports with a passphrase and shows the import diff before applying it', async () => {
    const exportAndImport = await openTab(page, 'Export and import');
    const exportForm = exportAndImport.getByRole('form', { name: 'Export' });
    await field(exportForm, 'Export passphrase (optional)').fill('short');
    await exportForm.getByRole('button', { name: 'Download export' }).click();
    await exportForm.getByText('Passphrase must be at least 12 characters.').waitFor();
    await field(exportForm, 'Export passphrase (optional)').fill('correct horse battery');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      exportForm.getByRole('button', { name: 'Download export' }).click(),
    ]);
    const file = await download.path();
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { secrets: string; format: string };
    expect(exported).toMatchObject({ format: 'model-prism-settings', secrets: 'encrypted' });

    // Change the tenant after the export: importing the file changes it back.
    const renamed = await ui.app.inject({
      method: 'PATCH',
      url: `/api/prism/admin/tenants/${tenant.id}`,
      headers: bearer(admin.token),
      payload: { name: 'Renamed' },
    });
    expect(renamed.statusCode).toBe(200);

    const importForm = exportAndImport.getByRole('form', { name: 'Import' });
    await importForm.getByLabel('Export file').setInputFiles(file);
    await field(importForm, 'Import passphrase').fill('not the passphrase');
    await importForm.getByRole('button', { name: 'Preview changes' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /passphrase/i })
      .waitFor();

    await field(importForm, 'Import passphrase').fill('correct horse battery');
    await importForm.getByRole('button', { name: 'Preview changes' }).click();
    const preview = page.getByRole('region', { name: 'Import preview' });
    await preview.getByText(`Changed ${tenant.slug}: name`).waitFor();
    expect(await tenantName()).toBe('Renamed');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await preview.getByRole('button', { name: 'Apply import' }).click();
    await page
      .getByRole('dialog', { name: 'Apply the import?' })
      .getByRole('button', { name: 'Apply import' })
      .click();
    await page
      .getByRole('status')
      .getByText(/Import applied: 0 added, [1-9]\d* changed/)
      .waitFor();
    expect(await tenantName()).toBe('Research');
  });

  it('fits a 390 px phone screen without horizontal scrolling', async () => {
    const phone = await ui.openPage(admin, '/system', { viewport: PHONE_VIEWPORT });
    try {
      await phone.page.getByRole('table', { name: 'Pods' }).waitFor();
      for (const tab of ['Pods', 'Provider health', 'Runtime settings', 'Export and import']) {
        await openTab(phone.page, tab);
        await phone.page.waitForLoadState('networkidle');
        expect({ tab, overflow: await horizontalOverflow(phone.page) }).toEqual({ tab, overflow: 0 });
      }
      expect(await seriousAccessibilityViolations(phone.page)).toEqual([]);
    } finally {
      await phone.context.close();
    }
  });
});
