import type { Page } from 'playwright-core';

import { createUser, type TestUser } from '../support/auth';
import { publishConfig, seedTenant } from '../support/gateway';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream';
import { seriousAccessibilityViolations } from './support/axe';
import { ConsoleUnderTest } from './support/console';
import { keyFigure } from './support/console-pages';
import { horizontalOverflow, PHONE_VIEWPORT } from './support/layout';
import { flushTraffic, MOCKAI_MODELS, seedMockai, sendChat } from './support/traffic';

describe("console: the portal's usage tab for tenant roles (Chromium)", () => {
  let ui: ConsoleUnderTest;
  let mock: MockUpstream;
  let viewer: TestUser;
  let page: Page;

  beforeAll(async () => {
    mock = await startMockUpstream({ requireKey: 'sk-upstream-test' });
    ui = await ConsoleUnderTest.start();
    const provider = await seedMockai(ui.app, mock.url, [MOCKAI_MODELS.small, MOCKAI_MODELS.big]);
    const busy = await seedTenant(ui.app, [provider.id], { slug: 'busy-team', name: 'Busy Team' });
    const quiet = await seedTenant(ui.app, [provider.id], { slug: 'quiet-team', name: 'Quiet Team' });
    const other = await seedTenant(ui.app, [provider.id], { slug: 'other-team', name: 'Other Team' });
    await publishConfig(ui.app);
    for (const [tenant, model, user] of [
      [busy, 'small-model', 'alice'],
      [busy, 'small-model', 'bob'],
      [busy, 'big-model', 'alice'],
      [other, 'big-model', 'mallory'],
    ] as const) {
      await sendChat(ui.baseUrl, tenant.key, { model, headers: { 'x-user': user } });
    }
    await flushTraffic(ui.app);
    viewer = await createUser(ui.app, 'tenant-viewer', { tenantIds: [busy.id, quiet.id] });
    ({ page } = await ui.openPage(viewer));
  });
  afterAll(async () => {
    await ui?.close();
    await mock?.close();
  });

  const kpi = (label: string) => keyFigure(page, label);

  it("shows the tenant's own usage: figures, a chart and a table split by model or user", async () => {
    await page.getByRole('tab', { name: 'Usage' }).click();
    await kpi('Requests').getByText('3', { exact: true }).waitFor();
    await page.locator('figure', { hasText: 'Cost per model over time' }).locator('canvas').waitFor();
    const byModel = page.getByRole('table', { name: 'Cost per model over time' });
    await byModel.getByText('big-model').waitFor();
    await byModel.getByText('small-model').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('combobox', { name: 'Split by' }).click();
    await page.getByRole('option', { name: 'User' }).click();
    await page.getByRole('combobox', { name: 'Show' }).click();
    await page.getByRole('option', { name: 'Requests' }).click();
    const byUser = page.getByRole('table', { name: 'Requests per user over time' });
    await byUser.getByRole('row', { name: /alice\s+2\s+67%/ }).waitFor();
    await byUser.getByRole('row', { name: /bob\s+1\s+33%/ }).waitFor();
    // Another tenant's traffic never shows.
    expect(await page.getByText('mallory').count()).toBe(0);
  });

  it('shows an empty range for a tenant without traffic, and an error with a retry', async () => {
    await page.goto('/portal');
    await page.getByRole('combobox', { name: 'Tenant' }).click();
    await page.getByRole('option', { name: /Quiet Team/ }).click();
    await page.getByRole('tab', { name: 'Usage' }).click();
    await page.getByText('No requests in this range').waitFor();

    let fail = true;
    await page.route('**/api/prism/portal/tenants/*/usage**', (route) =>
      fail
        ? route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: '{"statusCode":503,"message":"Usage unavailable"}',
          })
        : route.continue(),
    );
    await page.getByRole('combobox', { name: 'Range' }).click();
    await page.getByRole('option', { name: 'Last 90 days' }).click();
    await page.getByRole('alert').getByText('Usage unavailable').waitFor();
    fail = false;
    await page.getByRole('button', { name: 'Retry' }).first().click();
    await page.getByText('No requests in this range').waitFor();
    await page.unroute('**/api/prism/portal/tenants/*/usage**');
  });

  it('fits a 390 px phone screen in the dark theme', async () => {
    const phone = await ui.openPage(viewer, '/portal', { colorScheme: 'dark', viewport: PHONE_VIEWPORT });
    try {
      await phone.page.getByRole('tab', { name: 'Usage' }).click();
      await phone.page.locator('figure', { hasText: 'over time' }).locator('canvas').waitFor();
      expect(await seriousAccessibilityViolations(phone.page)).toEqual([]);
      expect(await horizontalOverflow(phone.page)).toBe(0);
    } finally {
      await phone.context.close();
    }
  });
});
