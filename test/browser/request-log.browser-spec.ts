import type { Page } from 'playwright-core';

import type { TestUser } from '../support/auth';
import { publishConfig, seedTenant } from '../support/gateway';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream';
import { seriousAccessibilityViolations } from './support/axe';
import { ConsoleUnderTest } from './support/console';
import { horizontalOverflow, PHONE_VIEWPORT } from './support/layout';
import { flushTraffic, MOCKAI_MODELS, seedMockai, sendChat } from './support/traffic';
import { waitForCount } from './support/wait';

describe('console: the request log (Chromium)', () => {
  let ui: ConsoleUnderTest;
  let mock: MockUpstream;
  let admin: TestUser;
  let page: Page;
  let autoId = '';
  let tenantId = '';

  beforeAll(async () => {
    mock = await startMockUpstream({ requireKey: 'sk-upstream-test' });
    ui = await ConsoleUnderTest.start();
    admin = ui.admin;
    const provider = await seedMockai(ui.app, mock.url, [MOCKAI_MODELS.small, MOCKAI_MODELS.big]);
    const tenant = await seedTenant(ui.app, [provider.id], {
      slug: 'log-team',
      name: 'Log Team',
      promptLogging: true,
    });
    tenantId = tenant.id;
    await publishConfig(ui.app);
    for (const [model, session] of [
      ['auto', 'sess-a'],
      ['big-model', 'sess-b'],
    ] as const) {
      const response = await sendChat(ui.baseUrl, tenant.key, {
        model,
        headers: { 'x-session-id': session },
      });
      if (model === 'auto') autoId = response.headers.get('x-request-id') ?? '';
    }
    await flushTraffic(ui.app);
    ({ page } = await ui.openPage(admin));
  });
  afterAll(async () => {
    await ui?.close();
    await mock?.close();
  });

  it('lists requests, filters them through the address and opens one with its routing decision', async () => {
    await page.goto('/requests');
    const table = page.getByRole('table', { name: 'Requests' });
    await table.getByText('big-model').first().waitFor();
    expect(await table.getByRole('row').count()).toBe(3);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel('Requested model', { exact: true }).fill('auto');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL('**/requests?requestedModel=auto');
    await waitForCount(page.locator('table[aria-label="Requests"] tbody tr'), 1);

    await table.getByRole('button', { name: new RegExp(`details of request ${autoId}$`) }).click();
    const detail = page.getByRole('region', { name: 'Request detail' });
    await detail.getByRole('heading', { name: `Request ${autoId}` }).waitFor();
    await detail.getByTestId('decision-model').waitFor();
    await detail.getByRole('table', { name: 'Routing steps' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The address holds filters and the open request: a reload shows the same view.
    await page.reload();
    await page.getByRole('region', { name: 'Request detail' }).getByText('sess-a').waitFor();
    expect(await page.getByLabel('Requested model', { exact: true }).inputValue()).toBe('auto');

    // Group by session: the session narrows the log to it.
    await page
      .getByRole('region', { name: 'Request detail' })
      .getByRole('button', { name: 'sess-a' })
      .click();
    await page.waitForURL(/session=sess-a/);
  });

  it('filters by time, streaming, latency and cost, kept in the address', async () => {
    await page.goto('/requests?minCostUsd=1000');
    await page.getByText('No requests match').waitFor();
    expect(await page.getByLabel('Min. cost (USD)').inputValue()).toBe('1000');

    await page.goto('/requests');
    await page.getByRole('table', { name: 'Requests' }).getByText('big-model').first().waitFor();
    const local = (offsetMs: number) => {
      const d = new Date(Date.now() + offsetMs);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    };
    const from = local(-3_600_000);
    await page.getByLabel('From', { exact: true }).fill(from);
    await page.getByLabel('To', { exact: true }).fill(local(3_600_000));
    await page.getByRole('combobox', { name: 'Streamed' }).click();
    await page.getByRole('option', { name: 'Not streamed' }).click();
    await page.getByLabel('Min. latency (ms)').fill('0');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/from=.*&to=.*streamed=false&minLatencyMs=0/);
    expect(new URL(page.url()).searchParams.get('from')).toBe(new Date(from).toISOString());
    await waitForCount(page.locator('table[aria-label="Requests"] tbody tr'), 2);
    await page.reload();
    await page.getByRole('table', { name: 'Requests' }).waitFor();
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe(from);

    // A range before the traffic shows nothing.
    await page.goto('/requests?from=2020-01-01T00:00:00.000Z&to=2020-01-02T00:00:00.000Z');
    await page.getByText('No requests match').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('groups requests by session and opens one session', async () => {
    await page.goto('/requests');
    await page.getByRole('table', { name: 'Requests' }).waitFor();
    await page
      .getByRole('radio', { name: 'Sessions' })
      .or(page.getByRole('button', { name: 'Sessions' }))
      .click();
    await page.waitForURL(/view=sessions/);
    const sessions = page.getByRole('table', { name: 'Sessions' });
    await sessions.getByText('sess-a').waitFor();
    expect(await sessions.getByRole('row').count()).toBe(3);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await sessions.getByRole('button', { name: /requests of session sess-b$/ }).click();
    await page.waitForURL(/session=sess-b/);
    expect(new URL(page.url()).searchParams.get('tenant')).toBe(tenantId);
    expect(new URL(page.url()).searchParams.get('view')).toBeNull();
    await waitForCount(page.locator('table[aria-label="Requests"] tbody tr'), 1);
  });

  it("corrects a routing decision from the log, prefilled with the row's prompt and category", async () => {
    await page.goto(`/requests?request=${encodeURIComponent(autoId)}`);
    const detail = page.getByRole('region', { name: 'Request detail' });
    await detail.getByRole('button', { name: 'Correct this decision' }).click();
    const dialog = page.getByRole('dialog', { name: 'Correct this decision' });
    const prompt = dialog.getByRole('textbox', { name: 'Prompt' });
    await prompt.waitFor();
    expect(await prompt.inputValue()).toBe('hi there, how are you?');
    await dialog
      .getByRole('combobox', { name: 'Right category' })
      .locator('.mat-mdc-select-value-text')
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Add as example' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(/Added as an example of /).waitFor();
  });

  it('shows an empty result and fits a 390 px phone screen', async () => {
    await page.goto('/requests?user=nobody-at-all');
    await page.getByText('No requests match').waitFor();
    const phone = await ui.openPage(admin, '/requests', { viewport: PHONE_VIEWPORT });
    try {
      await phone.page.getByRole('table', { name: 'Requests' }).waitFor();
      expect(await horizontalOverflow(phone.page)).toBe(0);
      await phone.page.goto('/requests?view=sessions');
      await phone.page.getByRole('table', { name: 'Sessions' }).waitFor();
      expect(await horizontalOverflow(phone.page)).toBe(0);
    } finally {
      await phone.context.close();
    }
  });
});
