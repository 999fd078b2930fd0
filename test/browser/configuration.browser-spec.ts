import type { Page } from 'playwright-core';

import { createUser, type TestUser } from '../support/auth';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream';
import { seriousAccessibilityViolations } from './support/axe';
import { ConsoleUnderTest } from './support/console';
import { field, navigationLabels, openTab, shownTab } from './support/console-pages';
import { waitForCount } from './support/wait';

describe('console: providers, models, tenants and the portal (Chromium)', () => {
  let ui: ConsoleUnderTest;
  let mock: MockUpstream;
  let admin: TestUser;
  let page: Page;
  let tenantId = '';

  beforeAll(async () => {
    mock = await startMockUpstream({ requireKey: 'sk-upstream-test' });
    ui = await ConsoleUnderTest.start();
    admin = ui.admin;
    ({ page } = await ui.openPage(admin));
  });
  afterAll(async () => {
    await ui?.close();
    await mock?.close();
  });

  it('adds a provider, shows its check log, discovers its models and tries one', async () => {
    await page.goto('/providers');
    await page.getByText('No providers yet').waitFor();
    await page.getByRole('button', { name: 'New provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'New provider' });
    await dialog.getByRole('button', { name: 'Create provider' }).click();
    await dialog.getByText('Name is required.').waitFor();
    await dialog.getByText('API key is required.').waitFor();

    await field(dialog, 'Name').fill('Mock upstream');
    await field(dialog, 'Base URL').fill('not a url');
    await dialog.getByRole('button', { name: 'Create provider' }).click();
    await dialog.getByText('Enter a full URL such as https://llm.example.com.').waitFor();
    await field(dialog, 'Base URL').fill(mock.url);
    await field(dialog, 'API key').fill('sk-upstream-test');
    await dialog.getByRole('button', { name: 'Create provider' }).click();
    await dialog.waitFor({ state: 'detached' });

    const card = page.getByRole('article', { name: 'Mock upstream' });
    await card.getByRole('status').getByText('Connected').waitFor();
    await card.getByText('Connection check: passed').waitFor();
    await card.getByText('Stored (encrypted)').waitFor();
    expect(await page.content()).not.toContain('sk-upstream-test');

    await card.getByRole('button', { name: 'Discover models' }).click();
    await card.getByText(/^Discovery: /).waitFor();
    // The store shows the discovery log before it refreshes the provider list; the page opens its
    // result snack bar only after that refresh. Scanning earlier can meet the snack bar in its first
    // 150 ms, when Material keeps its OK button under aria-hidden (axe: aria-hidden-focus).
    await page.getByText(/^\s*Mock upstream: \d+ new, \d+ updated, \d+ no longer listed\.\s*$/).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await card.getByRole('button', { name: 'Try a model' }).click();
    const tryDialog = page.getByRole('dialog', { name: /Try a model/ });
    await field(tryDialog, 'Model').fill('gpt-4o-mini');
    await field(tryDialog, 'Message').fill('Ping from the console');
    await tryDialog.getByRole('button', { name: 'Send' }).click();
    await tryDialog.getByText('Mock answer from gpt-4o-mini to: Ping from the console').waitFor();
    await tryDialog.getByRole('button', { name: 'Close' }).click();

    // Editing keeps the stored secret when the key field is left empty.
    await card.getByRole('button', { name: 'More actions for Mock upstream' }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Mock upstream' });
    await edit.getByText('A secret is stored and never shown.').waitFor();
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await card.getByText('Connection check: passed').waitFor();
  });

  it('summarises the configuration on the dashboard', async () => {
    await page.goto('/dashboard');
    await page.getByRole('region', { name: 'Providers' }).getByText('1 of 1 connected').waitFor();
    await page
      .getByRole('region', { name: 'Models' })
      .getByText(/^\d+ visible, 0 hidden$/)
      .waitFor();
    await page
      .getByRole('region', { name: 'Tenants' })
      .getByText(/^(\d+) of \1 active$/)
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('filters the model registry on the server, edits a tier inline and hides models in bulk', async () => {
    await page.goto('/models');
    const table = page.getByRole('table', { name: 'Models' });
    await table.getByText('gpt-4o-mini', { exact: true }).waitFor();

    await field(page, 'Search model id or name').fill('4o-mini');
    const filtered = page.waitForRequest(
      (r) => r.url().includes('/api/prism/admin/models?') && r.url().includes('search=4o-mini'),
    );
    await page.getByRole('button', { name: 'Search' }).click();
    await filtered;
    await waitForCount(page.locator('table[aria-label="Models"] tbody tr'), 1);

    await page
      .getByRole('combobox', { name: 'Tier of' + ' ' })
      .or(page.getByRole('combobox', { name: /^Tier of / }))
      .first()
      .click();
    await page.getByRole('option', { name: 'minimal', exact: true }).click();
    await page.getByText('Edits are saved').waitFor();
    await page.reload();
    await field(page, 'Search model id or name').fill('4o-mini');
    await page.getByRole('button', { name: 'Search' }).click();
    await page
      .getByRole('combobox', { name: /^Tier of / })
      .getByText('minimal')
      .waitFor();

    await page.getByRole('checkbox', { name: 'Select all models on this page' }).check();
    await page.getByRole('button', { name: 'Hide selected' }).click();
    await page.getByText('1 models hidden.').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('creates a tenant, saves its limits with server validation, and manages keys', async () => {
    await page.goto('/tenants');
    await page.getByRole('button', { name: 'New tenant' }).click();
    const dialog = page.getByRole('dialog', { name: 'New tenant' });
    await field(dialog, 'Name').fill('Data Science');
    expect(await field(dialog, 'Slug').inputValue()).toBe('data-science');
    await dialog.getByRole('button', { name: 'Create tenant' }).click();
    await page.waitForURL(/\/tenants\/[0-9a-f]{24}\?tab=keys/);
    tenantId = /\/tenants\/([0-9a-f]{24})/.exec(page.url())?.[1] ?? '';

    await page.getByRole('button', { name: 'Create key' }).click();
    const reveal = page.getByRole('dialog', { name: 'Copy the new API key now' });
    const key = ((await reveal.getByTestId('revealed-key').textContent()) ?? '').trim();
    expect(key).toMatch(/^omp-[0-9a-f]{64}$/);
    await reveal.getByRole('button', { name: 'I have stored the key' }).click();
    await reveal.waitFor({ state: 'detached' });
    const keys = page.getByRole('table', { name: 'API keys' });
    await keys.getByText(key.slice(0, 12)).waitFor();
    expect(await page.content()).not.toContain(key);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await keys.getByRole('button', { name: /^Actions for key / }).click();
    await page.getByRole('menuitem', { name: 'Disable' }).click();
    await page
      .getByRole('dialog', { name: /^Disable / })
      .getByRole('button', { name: 'Disable' })
      .click();
    await keys.getByText('Disabled').waitFor();

    // The key form on the API keys tab has a "Requests per minute" field too, and it stays on screen
    // until the console renders the tab switch: type only into the Limits panel once it is shown.
    const limits = await openTab(page, 'Limits and budgets');
    await field(limits, 'Requests per minute').fill('-5');
    await limits.getByRole('button', { name: 'Save limits' }).click();
    await limits.getByText('Requests per minute must be at least 0.').waitFor();
    await field(limits, 'Requests per minute').fill('120');
    await field(limits, 'Per month').fill('250');
    await limits.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('Saved.').waitFor();
    await page.reload();
    expect(await field(shownTab(page, 'Limits and budgets'), 'Requests per minute').inputValue()).toBe('120');

    const resilience = await openTab(page, 'Resilience');
    await resilience.getByRole('button', { name: 'Add fallback chain' }).click();
    const chain = resilience.getByRole('group', { name: 'Fallback chain 1' });
    await chain.getByRole('combobox', { name: 'Then provider 1' }).click();
    await page.getByRole('option', { name: 'Mock upstream' }).click();
    await resilience.getByRole('button', { name: 'Save resilience' }).click();
    await page.getByText('Saved.').first().waitFor();
    await page.reload();
    await page.getByRole('group', { name: 'Fallback chain 1' }).getByText('Mock upstream').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('tab', { name: 'Client configuration' }).click();
    await page
      .getByRole('region', { name: /Continue/ })
      .getByText('<YOUR_API_KEY>')
      .first()
      .waitFor();
    await page.getByRole('radio', { name: 'Claude Code' }).click();
    await page.getByRole('region', { name: /Claude Code/ }).waitFor();
  });

  it('gives a tenant admin their tenant in the portal, and a tenant viewer a read-only view', async () => {
    const tenantAdmin = await createUser(ui.app, 'tenant-admin', { tenantIds: [tenantId] });
    const viewer = await createUser(ui.app, 'tenant-viewer', { tenantIds: [tenantId] });

    const { context: adminContext, page: portal } = await ui.openPage(tenantAdmin);
    // Tenant roles read the dashboard too, limited to their own tenants; tenant admins may chat in the playground.
    expect(await navigationLabels(portal)).toEqual(['Dashboard', 'Playground', 'My tenants']);
    await portal.getByRole('heading', { name: 'Data Science' }).waitFor();
    await portal.getByRole('button', { name: 'Create key' }).click();
    const reveal = portal.getByRole('dialog', { name: 'Copy the new API key now' });
    await reveal.getByTestId('revealed-key').waitFor();
    await reveal.getByRole('button', { name: 'I have stored the key' }).click();
    await reveal.waitFor({ state: 'detached' });
    expect(await seriousAccessibilityViolations(portal)).toEqual([]);
    await adminContext.close();

    const { context: viewerContext, page: readOnly } = await ui.openPage(viewer);
    await readOnly.getByRole('table', { name: 'API keys' }).waitFor();
    expect(await readOnly.getByRole('button', { name: 'Create key' }).count()).toBe(0);
    expect(await readOnly.getByRole('button', { name: /^Actions for key / }).count()).toBe(0);
    await readOnly.goto('/tenants');
    await readOnly.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    await viewerContext.close();
  });
});
