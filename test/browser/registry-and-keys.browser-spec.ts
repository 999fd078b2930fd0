import type { Page } from 'playwright-core';

import { bearer, type TestUser } from '../support/auth';
import { seriousAccessibilityViolations } from './support/axe';
import { ConsoleUnderTest } from './support/console';
import { field } from './support/console-pages';
import { horizontalOverflow, PHONE_VIEWPORT } from './support/layout';

describe('console: hand-added models, Azure API type, key edits and the key policy (Chromium)', () => {
  let ui: ConsoleUnderTest;
  let admin: TestUser;
  let page: Page;
  let tenantId = '';

  const api = async (method: 'POST' | 'PUT', url: string, payload: object): Promise<{ id: string }> => {
    const res = await ui.app.inject({
      method,
      url: `/api/prism/admin/${url}`,
      headers: bearer(admin.token),
      payload,
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json<{ id: string }>();
  };

  beforeAll(async () => {
    ui = await ConsoleUnderTest.start();
    admin = ui.admin;
    await api('POST', 'providers', {
      name: 'Azure West',
      type: 'azure',
      baseUrl: 'https://west.example.openai.azure.com',
      auth: { type: 'api_key', apiKey: 'azure-test-key' },
      options: { deployments: ['gpt-4o-prod'], apiType: 'responses' },
    });
    tenantId = (await api('POST', 'tenants', { name: 'Research', slug: 'research' })).id;
    await api('POST', `tenants/${tenantId}/keys`, { label: 'ci' });
    ({ page } = await ui.openPage(admin));
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('adds an Azure deployment by hand, switches its API, resets it to the registry and deletes it', async () => {
    await page.goto('/models');
    await page.getByText('No models match').waitFor();
    await page.getByRole('button', { name: 'Add model' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a model' });
    await field(dialog, 'Model id').fill('gpt 5');
    await dialog.getByRole('button', { name: 'Add model' }).click();
    await dialog.getByText('Model id may contain any characters except spaces (at most 200).').waitFor();
    await field(dialog, 'Model id').fill('gpt-4o-prod');
    await dialog.getByRole('combobox', { name: 'API' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Add model' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByRole('row').filter({ hasText: 'gpt-4o-prod' });
    await row.getByText('Responses API').waitFor();
    await row.getByRole('button', { name: 'Actions for azure-west/gpt-4o-prod' }).click();
    await page.getByRole('menuitem', { name: 'Use Chat Completions' }).click();
    await row.getByText('Chat Completions API').waitFor();

    // The same id again: the server's 409 stays in the dialog.
    await page.getByRole('button', { name: 'Add model' }).click();
    await field(dialog, 'Model id').fill('gpt-4o-prod');
    await dialog.getByRole('button', { name: 'Add model' }).click();
    await dialog.getByRole('alert').getByText('already exists').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await row.getByRole('combobox', { name: 'Tier of azure-west/gpt-4o-prod' }).click();
    await page.getByRole('option', { name: 'low', exact: true }).click();
    await row.getByText('1 edited field').waitFor();
    await row.getByRole('button', { name: 'Actions for azure-west/gpt-4o-prod' }).click();
    await page.getByRole('menuitem', { name: 'Reset to registry' }).click();
    await page
      .getByRole('dialog', { name: 'Reset azure-west/gpt-4o-prod?' })
      .getByRole('button', { name: 'Reset' })
      .click();
    await page.getByText('follows the registry again').waitFor();
    expect(await row.getByText('edited field').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await row.getByRole('button', { name: 'Actions for azure-west/gpt-4o-prod' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: 'Delete azure-west/gpt-4o-prod?' })
      .getByRole('button', { name: 'Delete model' })
      .click();
    await page.getByText('No models match').waitFor();
  });

  it('shows the Azure API type in the provider editor', async () => {
    await page.goto('/providers');
    await page.getByRole('button', { name: 'More actions for Azure West' }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    const editor = page.getByRole('dialog');
    await editor.getByRole('combobox', { name: 'API for new deployments' }).getByText('Responses').waitFor();
    await editor.getByRole('button', { name: 'Cancel' }).click();
  });

  it('relabels a key, moves its expiry, and the key policy refuses a key that never expires', async () => {
    await page.goto('/tenants');
    await page.getByRole('button', { name: 'API key policy' }).click();
    await field(page, 'Maximum key lifetime (days)').fill('4000');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Maximum lifetime must be at most 3650.').waitFor();
    await field(page, 'Maximum key lifetime (days)').fill('30');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Key policy saved.').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.goto(`/tenants/${tenantId}?tab=keys`);
    const keys = page.getByRole('table', { name: 'API keys' });
    await keys.getByText('ci', { exact: true }).waitFor();
    await keys.getByRole('button', { name: 'Actions for key ci' }).click();
    await page.getByRole('menuitem', { name: 'Edit label, expiry and limit' }).click();
    const dialog = page.getByRole('dialog', { name: /^Edit key / });
    await field(dialog, 'Label').fill('ci-runner');
    await dialog.getByRole('checkbox', { name: 'Never expires' }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').getByText('30 days').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await dialog.getByRole('checkbox', { name: 'Never expires' }).uncheck();
    const inTenDays = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await field(dialog, 'Expires on').fill(inTenDays);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await keys.getByText('ci-runner').waitFor();
    const expected = new Date(`${inTenDays}T12:00:00Z`).toLocaleDateString('en-US', {
      month: 'short',
      day: 'numeric',
      year: 'numeric',
    });
    await keys.getByText(expected).waitFor();
  });

  it("sets a key's own rate limit, refuses an out-of-range one, creates a key with one and removes it", async () => {
    const keys = page.getByRole('table', { name: 'API keys' });
    await keys.getByRole('button', { name: 'Actions for key ci-runner' }).click();
    await page.getByRole('menuitem', { name: 'Edit label, expiry and limit' }).click();
    const dialog = page.getByRole('dialog', { name: /^Edit key / });
    await field(dialog, 'Requests per minute').fill('2000000');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Requests per minute must be at most 1000000.').waitFor();
    await field(dialog, 'Requests per minute').fill('30');
    await field(dialog, 'Tokens per minute').fill('5000');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await keys
      .getByRole('row')
      .filter({ hasText: 'ci-runner' })
      .getByText('30 req/min · 5,000 tok/min')
      .waitFor();

    const form = page.getByRole('form', { name: 'New API key' });
    await field(form, 'Label').fill('batch');
    await field(form, 'Tokens per minute').fill('1000');
    await form.getByRole('button', { name: 'Create key' }).click();
    const reveal = page.getByRole('dialog', { name: 'Copy the new API key now' });
    await reveal.getByRole('button', { name: 'I have stored the key' }).click();
    await keys.getByRole('row').filter({ hasText: 'batch' }).getByText('1,000 tok/min').waitFor();

    const listed = await ui.app.inject({
      method: 'GET',
      url: `/api/prism/admin/tenants/${tenantId}/keys`,
      headers: bearer(admin.token),
    });
    const limits = Object.fromEntries(
      listed.json<{ label: string; rateLimit: unknown }[]>().map((k) => [k.label, k.rateLimit]),
    );
    expect(limits).toEqual({
      'ci-runner': { requestsPerMinute: 30, tokensPerMinute: 5000 },
      batch: { requestsPerMinute: 0, tokensPerMinute: 1000 },
    });

    await keys.getByRole('button', { name: 'Actions for key ci-runner' }).click();
    await page.getByRole('menuitem', { name: 'Edit label, expiry and limit' }).click();
    await field(dialog, 'Requests per minute').fill('');
    await field(dialog, 'Tokens per minute').fill('');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await keys.getByRole('row').filter({ hasText: 'ci-runner' }).getByText('Tenant’s only').waitFor();
  });

  it('fits a 390 px phone screen without horizontal scrolling', async () => {
    const phone = await ui.openPage(admin, '/dashboard', { viewport: PHONE_VIEWPORT });
    try {
      for (const path of ['/models', '/tenants', `/tenants/${tenantId}?tab=keys`]) {
        await phone.page.goto(path);
        await phone.page.getByRole('heading', { level: 1 }).first().waitFor();
        await phone.page.waitForLoadState('networkidle');
        expect({ path, overflow: await horizontalOverflow(phone.page) }).toEqual({ path, overflow: 0 });
      }
    } finally {
      await phone.context.close();
    }
  });
});
