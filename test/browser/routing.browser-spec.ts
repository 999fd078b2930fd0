import type { Page } from 'playwright-core';

import type { TestUser } from '../support/auth';
import { publishConfig, seedTenant } from '../support/gateway';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream';
import { seriousAccessibilityViolations } from './support/axe';
import { ConsoleUnderTest } from './support/console';
import { field, openTab } from './support/console-pages';
import { flushTraffic, seedMockai, sendChat } from './support/traffic';

describe('console: categories and the routing tester (Chromium)', () => {
  let ui: ConsoleUnderTest;
  let mock: MockUpstream;
  let admin: TestUser;
  let page: Page;
  let tenantSlug = '';
  let tenantKey = '';

  beforeAll(async () => {
    mock = await startMockUpstream({ requireKey: 'sk-upstream-test' });
    ui = await ConsoleUnderTest.start({ CONFIG_POLL_INTERVAL_MS: '300' });
    admin = ui.admin;
    const provider = await seedMockai(ui.app, mock.url);
    ({ slug: tenantSlug, key: tenantKey } = await seedTenant(ui.app, [provider.id], {
      slug: 'routing-team',
      name: 'Routing Team',
    }));
    await publishConfig(ui.app);
    ({ page } = await ui.openPage(admin));
  });
  afterAll(async () => {
    await ui?.close();
    await mock?.close();
  });

  const categoryRow = (name: string) =>
    page
      .getByRole('table', { name: /^Categories in tier/ })
      .getByRole('row')
      .filter({ hasText: name });

  it('edits an example and the tier of a built-in category; the category moves to its new tier', async () => {
    await page.goto('/categories');
    const minimal = page.getByRole('table', { name: 'Categories in tier minimal' });
    await minimal.getByText('Smalltalk and greetings').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Edit Smalltalk and greetings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Smalltalk and greetings' });
    await dialog.getByText('Are you a bot?').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Remove example: Are you a bot?' }).click();
    await field(dialog, 'New example prompt').fill('Na, alles klar bei dir?');
    await dialog.getByRole('button', { name: 'Add example' }).click();
    await dialog
      .getByRole('listitem')
      .filter({ hasText: 'Na, alles klar bei dir?' })
      .getByText('added')
      .waitFor();
    await dialog.getByRole('combobox', { name: 'Tier' }).click();
    await page.getByRole('option', { name: 'low', exact: true }).click();
    // A model reference with a space is refused before anything is sent.
    await field(dialog, 'Default model').fill('not a model');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Default model may contain no spaces').waitFor();
    await field(dialog, 'Default model').fill('mockai/mid');
    await page.getByRole('option', { name: /mockai\/mid-model/ }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    const low = page.getByRole('table', { name: 'Categories in tier low' });
    const row = low.getByRole('row').filter({ hasText: 'Smalltalk and greetings' });
    await row.getByText('mockai/mid-model').waitFor();
    expect(await minimal.getByText('Smalltalk and greetings').count()).toBe(0);

    const stored = await ui.app.inject({
      method: 'GET',
      url: '/api/prism/admin/categories/smalltalk',
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(stored.json()).toMatchObject({ tier: 'low', defaultModel: 'mockai/mid-model' });
    expect(stored.json().examples).not.toContain('Are you a bot?');
    expect(stored.json().addedExamples).toContain('Na, alles klar bei dir?');
  });

  it('restores the built-ins only after confirmation, keeping added examples and models', async () => {
    await page.goto('/categories');
    await categoryRow('Smalltalk and greetings').waitFor();
    await page.getByRole('button', { name: 'Restore built-ins' }).click();
    const confirm = page.getByRole('dialog', { name: 'Restore the built-in categories?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page
      .getByRole('table', { name: 'Categories in tier low' })
      .getByText('Smalltalk and greetings')
      .waitFor();

    await page.getByRole('button', { name: 'Restore built-ins' }).click();
    await confirm.getByRole('button', { name: 'Restore' }).click();
    await page.getByText('Built-in categories restored.').waitFor();
    const minimalRow = page
      .getByRole('table', { name: 'Categories in tier minimal' })
      .getByRole('row')
      .filter({ hasText: 'Smalltalk and greetings' });
    await minimalRow.getByText('mockai/mid-model').waitFor();

    await page.getByRole('button', { name: 'Edit Smalltalk and greetings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Smalltalk and greetings' });
    await dialog.getByText('Are you a bot?').waitFor();
    await dialog.getByText('Na, alles klar bei dir?').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('creates and deletes a custom category; a taken key is refused in the dialog', async () => {
    await page.goto('/categories');
    await categoryRow('Smalltalk and greetings').waitFor();
    await page.getByRole('button', { name: 'New category' }).click();
    const dialog = page.getByRole('dialog', { name: 'New category' });
    await field(dialog, 'Key').fill('smalltalk');
    await field(dialog, 'Name').fill('Duplicate');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByRole('alert').first().waitFor();
    await field(dialog, 'Key').fill('contract_review');
    await field(dialog, 'Name').fill('Contract review');
    await field(dialog, 'New example prompt').fill('Review this NDA for risky clauses');
    await dialog.getByRole('button', { name: 'Add example' }).click();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('table', { name: 'Categories in tier medium' }).getByRole('row').filter({
      hasText: 'Contract review',
    });
    await row.getByText('custom').waitFor();

    await page.getByRole('button', { name: 'More actions for Contract review' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: 'Delete Contract review?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await row.waitFor({ state: 'detached' });
  });

  it('applies a preset with a provider and shows what it assigned', async () => {
    await page.goto('/categories');
    await categoryRow('Smalltalk and greetings').waitFor();
    await page.getByRole('button', { name: /Preset profiles/ }).click();
    await page.getByRole('combobox', { name: 'Preset' }).click();
    await page.getByRole('option', { name: 'All categories' }).click();
    await page.getByRole('combobox', { name: 'Provider' }).click();
    await page.getByRole('option', { name: 'mockai' }).click();
    await page.getByRole('button', { name: 'Apply preset' }).click();
    const assignments = page.getByRole('table', { name: 'Preset assignments' });
    await assignments.getByText(/categories changed/).waitFor();
    await assignments
      .getByRole('row')
      .filter({ hasText: 'smalltalk' })
      .getByText(/^mockai\//)
      .first()
      .waitFor();
    // The assignments show before the store reloads the list; the page's snack bar comes after that
    // reload, and a scan must not meet it while Material still hides its button (aria-hidden-focus).
    await page.getByText(/^\s*Preset applied: \d+ categories changed\.\s*$/).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('runs a dry run and shows every step and the final model and provider', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Routing' }).click();
    await page.waitForURL('**/routing');
    await page.getByRole('combobox', { name: 'Tenant' }).click();
    await page.getByRole('option', { name: /Routing Team/ }).click();
    await page.getByRole('button', { name: 'Run dry run' }).click();
    await page.getByText('Prompt is required.').waitFor();
    await field(page, 'Prompt').fill('Hi there, how are you today?');
    await page.getByRole('button', { name: 'Run dry run' }).click();

    const steps = page.getByRole('table', { name: 'Routing steps' });
    await steps.getByRole('rowheader', { name: 'Signals' }).waitFor();
    await steps.getByRole('rowheader', { name: /Model selection/ }).waitFor();
    expect(await steps.locator('tbody tr').count()).toBeGreaterThan(3);
    expect(await steps.locator('td.time').first().textContent()).toMatch(/ms$/);
    await page
      .getByTestId('decision-model')
      .getByText(/-model$/)
      .waitFor();
    expect((await page.getByTestId('decision-provider').textContent())?.trim()).toBe('mockai');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('edits the global rule set and shows the server validation next to the field', async () => {
    await page.goto('/routing');
    const ruleSets = await openTab(page, 'Rule sets');
    await field(ruleSets, 'Name').first().waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // Thresholds must ascend: the engine's validation answers with a field error.
    await field(ruleSets, 'low').fill('999999');
    await ruleSets.getByRole('button', { name: 'Save rule set' }).click();
    await ruleSets.getByText('Must be greater than the previous threshold.').waitFor();
    await field(ruleSets, 'low').fill('2000');
    await ruleSets.getByRole('button', { name: 'Save rule set' }).click();
    await page.getByText('Rule set saved.').waitFor();

    // A tenant without an override inherits the default; saving creates its own.
    await page.getByRole('combobox', { name: 'Rule set' }).click();
    await page.getByRole('option', { name: 'Tenant: Routing Team' }).click();
    await page.getByText('This tenant uses the global default.').waitFor();
    await page.getByRole('button', { name: 'Save as tenant override' }).click();
    await page.getByText('This tenant has its own rule set.').waitFor();
    const override = await ui.app.inject({
      method: 'GET',
      url: `/api/prism/admin/routing/rule-sets/tenants/${tenantSlug}`,
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(override.json()).toMatchObject({ scope: 'tenant', tenantSlug });
  });

  it('looks up the trace of an auto-routed gateway request by the request id the client saw', async () => {
    const response = await sendChat(ui.baseUrl, tenantKey, {
      content: 'Write a SQL query that lists the ten largest customers',
    });
    const requestId = response.headers.get('x-request-id') ?? '';
    expect(requestId).not.toBe('');
    const { auto_routing: routing } = (await response.json()) as {
      auto_routing: { category: string | null; tier: string; model_id: string };
    };
    await flushTraffic(ui.app);

    await page.goto('/routing');
    const traceLookup = await openTab(page, 'Trace lookup');
    await field(traceLookup, 'Request or trace id').fill('no-such-request');
    await traceLookup.getByRole('button', { name: 'Look up' }).click();
    await page.getByText('No routing trace for').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await field(traceLookup, 'Request or trace id').fill(requestId);
    await traceLookup.getByRole('button', { name: 'Look up' }).click();
    await page.getByTestId('decision-model').getByText(routing.model_id).waitFor();
    expect((await page.getByTestId('decision-tier').textContent())?.trim()).toBe(routing.tier);
    expect((await page.getByTestId('decision-category').textContent())?.trim()).toBe(routing.category ?? '—');
    await page
      .getByRole('table', { name: 'Routing steps' })
      .getByRole('rowheader', { name: 'Signals' })
      .waitFor();
    await page.waitForURL(`**/routing?trace=${encodeURIComponent(requestId)}`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // A deep link opens the tab with the id filled in and looked up.
    await page.goto(`/routing?trace=${encodeURIComponent(requestId)}`);
    await page.getByRole('tab', { name: 'Trace lookup', selected: true }).waitFor();
    expect(await field(page, 'Request or trace id').inputValue()).toBe(requestId);
    await page.getByTestId('decision-model').getByText(routing.model_id).waitFor();
  });
});
