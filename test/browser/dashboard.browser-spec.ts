import type { Page } from 'playwright-core';

import type { TestUser } from '../support/auth';
import { publishConfig, seedTenant } from '../support/gateway';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream';
import { seriousAccessibilityViolations } from './support/axe';
import { ConsoleUnderTest } from './support/console';
import { keyFigure } from './support/console-pages';
import { horizontalOverflow, PHONE_VIEWPORT } from './support/layout';
import { flushTraffic, MOCKAI_MODELS, seedMockai, sendChat } from './support/traffic';
import { waitForCount } from './support/wait';

describe('console: the usage dashboard (Chromium)', () => {
  let ui: ConsoleUnderTest;
  let mock: MockUpstream;
  let admin: TestUser;
  let page: Page;
  let tenantId = '';

  beforeAll(async () => {
    mock = await startMockUpstream({ requireKey: 'sk-upstream-test' });
    ui = await ConsoleUnderTest.start();
    admin = ui.admin;
    const provider = await seedMockai(ui.app, mock.url, [MOCKAI_MODELS.small, MOCKAI_MODELS.big]);
    const tenant = await seedTenant(ui.app, [provider.id], { slug: 'data-team', name: 'Data Team' });
    tenantId = tenant.id;
    await publishConfig(ui.app);
    for (const model of ['auto', 'auto', 'big-model']) await sendChat(ui.baseUrl, tenant.key, { model });
    await flushTraffic(ui.app);
    ({ page } = await ui.openPage(admin));
  });
  afterAll(async () => {
    await ui?.close();
    await mock?.close();
  });

  const kpi = (label: string) => keyFigure(page, label);

  it('shows spend, traffic, charts and top lists for the last 24 hours', async () => {
    await page.goto('/dashboard');
    await kpi('Requests').getByText('3', { exact: true }).waitFor();
    await kpi('Errors').getByText('0', { exact: true }).waitFor();
    await page.locator('figure', { hasText: 'Cost and baseline' }).locator('canvas').waitFor();
    await page.locator('figure', { hasText: 'Model mix' }).locator('canvas').waitFor();
    await page
      .getByRole('table', { name: 'Top tenants' })
      .getByText(/^(Data Team|data-team)$/)
      .waitFor();
    await page
      .getByRole('region', { name: 'Providers' })
      .getByText(/of 1 connected$/)
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('opens the request log filtered to a tenant, a model or the errors of the range', async () => {
    const rows = (n: number) => waitForCount(page.locator('table[aria-label="Requests"] tbody tr'), n);
    await page.goto('/dashboard');
    await page
      .getByRole('table', { name: 'Top tenants' })
      .getByRole('link', { name: /Data Team|data-team/ })
      .click();
    await page.waitForURL(/\/requests\?/);
    const params = new URL(page.url()).searchParams;
    expect(params.get('tenant')).toBe(tenantId);
    expect(Date.parse(params.get('to') ?? '') - Date.parse(params.get('from') ?? '')).toBe(24 * 3_600_000);
    await rows(3);

    await page.goBack();
    await page.getByRole('table', { name: 'Top models' }).getByRole('link', { name: 'big-model' }).click();
    await page.waitForURL(/routedModel=big-model/);
    await rows(1);
    expect(await page.getByLabel('Routed model').inputValue()).toBe('big-model');

    await page.goBack();
    await kpi('Errors')
      .getByRole('link', { name: /^Errors: 0, open in the request log$/ })
      .click();
    await page.waitForURL(/status=failed/);
    await page.getByText('No requests match').waitFor();
  });

  it('changes the range and the tenant on the server, and shows an empty range', async () => {
    await page.goto('/dashboard');
    await kpi('Requests').getByText('3', { exact: true }).waitFor();

    const weekly = page.waitForRequest(
      (r) => r.url().includes('/dashboard/timeseries') && r.url().includes('interval=day'),
    );
    await page.getByRole('combobox', { name: 'Range' }).click();
    await page.getByRole('option', { name: 'Last 7 days' }).click();
    await weekly;
    await kpi('Requests').getByText('3', { exact: true }).waitFor();

    const scoped = page.waitForRequest(
      (r) => r.url().includes('/dashboard/summary') && r.url().includes('tenant='),
    );
    await page.getByRole('combobox', { name: 'Tenant' }).click();
    await page.getByRole('option', { name: 'Data Team' }).click();
    await scoped;
    await kpi('Requests').getByText('3', { exact: true }).waitFor();

    await page.getByRole('combobox', { name: 'Range' }).click();
    await page.getByRole('option', { name: 'Custom dates' }).click();
    await page.getByLabel('From', { exact: true }).fill('2020-01-01');
    await page.getByLabel('To', { exact: true }).fill('2020-01-02');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No requests in this range').waitFor();
  });

  it('shows an error with a retry when the analytics API fails', async () => {
    let fail = true;
    await page.route('**/api/prism/admin/dashboard/summary**', (route) =>
      fail
        ? route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: '{"statusCode":503,"message":"Analytics unavailable"}',
          })
        : route.continue(),
    );
    await page.goto('/dashboard');
    await page.getByRole('alert').getByText('Analytics unavailable').waitFor();
    fail = false;
    await page.getByRole('button', { name: 'Retry' }).first().click();
    await kpi('Requests').getByText('3', { exact: true }).waitFor();
    await page.unroute('**/api/prism/admin/dashboard/summary**');
  });

  it('stays accessible in the dark theme and fits a 390 px phone screen', async () => {
    const dark = await ui.openPage(admin, '/dashboard', { colorScheme: 'dark', viewport: PHONE_VIEWPORT });
    try {
      await dark.page.locator('figure', { hasText: 'Cost and baseline' }).locator('canvas').waitFor();
      expect(await seriousAccessibilityViolations(dark.page)).toEqual([]);
      expect(await horizontalOverflow(dark.page)).toBe(0);
    } finally {
      await dark.context.close();
    }
  });
});
