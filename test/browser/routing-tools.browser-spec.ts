import type { Page } from 'playwright-core';

import { bearer, type TestUser } from '../support/auth';
import { publishConfig, seedTenant } from '../support/gateway';
import { type MockUpstream, replies, startMockUpstream } from '../support/mock-upstream';
import { seriousAccessibilityViolations } from './support/axe';
import { ConsoleUnderTest } from './support/console';
import { field, openTab } from './support/console-pages';
import { horizontalOverflow, PHONE_VIEWPORT } from './support/layout';
import { flushTraffic, seedMockai, sendChat } from './support/traffic';

describe('console: routing test suites, replay, decision correction and the classifier chain (Chromium)', () => {
  let ui: ConsoleUnderTest;
  let mock: MockUpstream;
  let admin: TestUser;
  let page: Page;
  let tenantId = '';
  let tenantKey = '';
  const requestIds: string[] = [];

  const chat = async (content: string): Promise<string> =>
    (await sendChat(ui.baseUrl, tenantKey, { content })).headers.get('x-request-id') ?? '';

  beforeAll(async () => {
    mock = await startMockUpstream({ requireKey: 'sk-upstream-test' });
    ui = await ConsoleUnderTest.start({ CONFIG_POLL_INTERVAL_MS: '300' });
    admin = ui.admin;
    const provider = await seedMockai(ui.app, mock.url);
    ({ id: tenantId, key: tenantKey } = await seedTenant(ui.app, [provider.id], {
      slug: 'tools-team',
      name: 'Tools Team',
    }));
    await publishConfig(ui.app);
    requestIds.push(await chat('hi there, how are you?'));
    requestIds.push(await chat('Write a SQL query that lists the ten largest customers'));
    await flushTraffic(ui.app);
    ({ page } = await ui.openPage(admin));
  });
  afterAll(async () => {
    await ui?.close();
    await mock?.close();
  });

  it('creates a suite, adds and generates cases, runs it twice, compares the runs and evaluates one', async () => {
    await page.goto('/routing');
    await page.getByRole('tab', { name: 'Test suites' }).click();
    await page.getByText('No test suites yet').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await field(page, 'New suite name').fill('Smoke');
    await page.getByRole('combobox', { name: 'Tenant for runs' }).click();
    await page.getByRole('option', { name: 'Tools Team' }).click();
    await page.getByRole('button', { name: 'Create suite' }).click();
    await page.getByText('No cases yet').waitFor();

    const newCase = page.getByRole('form', { name: 'New case' });
    await field(newCase, 'Prompt').fill('hi there, how are you?');
    await field(newCase, 'Expected category').fill('Bad Key');
    await newCase.getByRole('button', { name: 'Add case' }).click();
    await newCase.getByText('Category may contain lowercase letters, digits and _.').waitFor();
    await field(newCase, 'Expected category').fill('');
    await newCase.getByRole('combobox', { name: 'Highest tier' }).click();
    await page.getByRole('option', { name: 'low', exact: true }).click();
    await newCase.getByRole('button', { name: 'Add case' }).click();
    const cases = page.getByRole('table', { name: 'Test cases' });
    await cases.getByText('≤ low').waitFor();

    mock.script({
      model: 'small-model',
      times: 1,
      reply: replies.text(
        '[{"prompt": "Translate good night into Italian", "expectedTierMax": "low"}, {"prompt": "Prove that there are infinitely many primes", "expectedTierMin": "medium"}]',
      ),
    });
    await page.getByRole('button', { name: 'Generate cases with a model' }).click();
    const generate = page.getByRole('form', { name: 'Generate cases' });
    await generate.getByRole('combobox', { name: 'Provider' }).click();
    await page.getByRole('option', { name: /mock/i }).first().click();
    await field(generate, 'Model').fill('small-model');
    await field(generate, 'Cases').fill('2');
    await generate.getByRole('button', { name: 'Generate' }).click();
    await page.getByText('2 cases added.').waitFor();
    await cases.getByText('Prove that there are infinitely many primes').waitFor();

    await page.getByRole('button', { name: 'Run suite' }).click();
    await page
      .getByRole('table', { name: 'Case results' })
      .getByText('Translate good night into Italian')
      .waitFor();
    await page.getByRole('button', { name: 'Run suite' }).click();
    const runs = page.getByRole('table', { name: 'Runs' });
    await runs.getByRole('row').nth(2).waitFor();
    await runs.getByRole('checkbox').nth(0).check();
    await runs.getByRole('checkbox').nth(1).check();
    const comparison = page.getByRole('table', { name: 'Run comparison' });
    await comparison.getByRole('rowheader', { name: 'Tier accuracy' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    mock.script({
      model: 'mid-model',
      times: 1,
      reply: replies.text(
        '{"score": 0.8, "summary": "Mostly right", "qualitySuggestions": ["Add math keywords"], "costSuggestions": []}',
      ),
    });
    const evaluate = page.getByRole('form', { name: 'Evaluate the run' });
    // The empty select sits under its own label at the bottom of the page; the label opens it too.
    await evaluate.getByRole('combobox', { name: 'Judge provider' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: /mock/i }).first().click();
    await field(evaluate, 'Judge model').fill('mid-model');
    await evaluate.getByRole('button', { name: 'Evaluate run' }).click();
    const evaluation = page.getByRole('region', { name: 'Evaluation' });
    await evaluation.getByText('Score 80/100').waitFor();
    await evaluation.getByText('Add math keywords').waitFor();
  });

  it('replays the logged requests through the edited rule set and shows the before/after', async () => {
    await page.goto('/routing');
    const ruleSets = await openTab(page, 'Rule sets');
    await ruleSets.getByRole('button', { name: 'Replay history with these rules' }).click();
    await page.getByRole('button', { name: 'Replay with these rules' }).click();
    const summary = page.getByRole('definition').filter({ hasText: /^2/ });
    await summary.first().waitFor();
    await page.getByText('No request would be routed differently.').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('corrects a traced decision by adding the prompt as an example of another category', async () => {
    await page.goto(`/routing?trace=${encodeURIComponent(requestIds[1] ?? '')}`);
    await page.getByRole('button', { name: 'Correct this decision' }).click();
    const dialog = page.getByRole('dialog', { name: 'Correct this decision' });
    // The routed category is preselected; the trace keeps no prompt, so that one is required.
    await dialog
      .getByRole('combobox', { name: 'Right category' })
      .locator('.mat-mdc-select-value-text')
      .waitFor();
    await dialog.getByRole('button', { name: 'Add as example' }).click();
    await dialog.getByText('Prompt is required.').waitFor();
    await dialog.getByRole('combobox', { name: 'Right category' }).click();
    const option = page.getByRole('option').first();
    const optionText = ((await option.textContent()) ?? '').trim();
    await option.click();
    await field(dialog, 'Prompt').fill('Write a SQL query that lists the ten largest customers');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Add as example' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(`Added as an example of ${optionText.replace(/ \(\w+\)$/, '')}.`).waitFor();

    const categories = await ui.app.inject({
      method: 'GET',
      url: '/api/prism/admin/categories',
      headers: bearer(admin.token),
    });
    const added = categories
      .json<{ items: { addedExamples: string[] }[] }>()
      .items.flatMap((c) => c.addedExamples);
    expect(added).toContain('Write a SQL query that lists the ten largest customers');
  });

  it("edits a tenant's LLM classifier chain", async () => {
    await page.goto(`/tenants/${tenantId}`);
    await page.getByRole('tab', { name: 'Routing' }).click();
    await page.getByText('No LLM classifier').waitFor();
    await page.getByRole('button', { name: 'Add classifier' }).click();
    const first = page.getByRole('group', { name: 'Classifier 1' });
    await field(first, 'Model').fill('small model');
    await page.getByRole('button', { name: 'Save routing' }).click();
    await first.getByText('Model may contain no spaces (at most 200 characters).').waitFor();
    await field(first, 'Model').fill('small-model');
    await first.getByRole('combobox', { name: 'Provider' }).click();
    await page.getByRole('option', { name: /mock/i }).first().click();
    await field(first, 'Context window').fill('8000');
    await page.getByRole('button', { name: 'Save routing' }).click();
    await page.getByText('Saved.').waitFor();
    await page.reload();
    const routing = await openTab(page, 'Routing');
    expect(await field(routing.getByRole('group', { name: 'Classifier 1' }), 'Model').inputValue()).toBe(
      'small-model',
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('fits a 390 px phone screen without horizontal scrolling', async () => {
    const phone = await ui.openPage(admin, '/routing', { viewport: PHONE_VIEWPORT });
    try {
      for (const tab of ['Test suites', 'Rule sets']) {
        await openTab(phone.page, tab);
        await phone.page.waitForLoadState('networkidle');
        expect({ tab, overflow: await horizontalOverflow(phone.page) }).toEqual({ tab, overflow: 0 });
      }
      await phone.page.goto(`/tenants/${tenantId}`);
      await openTab(phone.page, 'Routing');
      await phone.page.waitForLoadState('networkidle');
      expect(await horizontalOverflow(phone.page)).toBe(0);
    } finally {
      await phone.context.close();
    }
  });
});
