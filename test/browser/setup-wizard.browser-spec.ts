import OpenAI from 'openai';
import type { Browser } from 'playwright-core';

import { type MockUpstream, startMockUpstream } from '../support/mock-upstream';
import { seriousAccessibilityViolations } from './support/axe';
import { launchBrowser, newConsoleContext } from './support/browser';
import { field } from './support/console-pages';
import { type ConsoleServer, startConsoleServer } from './support/console-server';

/** A visible form field by its exact label (the wizard keeps other steps' fields in the DOM, hidden). */
/** The gateway picks up config changes by polling in tests; retry until the new key works. */
async function chatUntilReady(client: OpenAI, content: string): Promise<string | null | undefined> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content }],
      });
      return completion.choices[0]?.message.content;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

describe('console: the setup wizard from an empty database to a working key (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let mock: MockUpstream;

  beforeAll(async () => {
    mock = await startMockUpstream({ requireKey: 'sk-upstream-test' });
    [server, browser] = await Promise.all([
      startConsoleServer({ CONFIG_POLL_INTERVAL_MS: '500' }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await mock?.close();
  });

  it('creates the admin, a checked provider, a tenant and a key that answers through the gateway', async () => {
    const { context, page, externalRequests, consoleErrors } = await newConsoleContext(
      browser,
      server.baseUrl,
    );
    await page.goto('/');
    await page.waitForURL('**/setup');

    // 1. Administrator
    await field(page, 'Username').fill('root-admin');
    await field(page, 'Password').fill('root-admin-password-1');
    await field(page, 'Repeat password').fill('root-admin-password-1');
    await page.getByRole('button', { name: 'Create administrator' }).click();

    // 2. Provider: the /v1 warning offers a fix; a wrong key fails the check with its log.
    await page.getByText('Connect the first upstream provider').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await field(page, 'Name').fill('Mock OpenAI');
    await field(page, 'Base URL').fill(`${mock.url}/v1`);
    await page.getByRole('button', { name: 'Remove /v1' }).click();
    expect(await field(page, 'Base URL').inputValue()).toBe(mock.url);
    await field(page, 'API key').fill('sk-wrong-key');
    await page.getByRole('button', { name: 'Save and check connection' }).click();
    await page.getByRole('heading', { name: 'Connection failed' }).waitFor();
    await page.getByRole('list', { name: 'Connection check steps' }).getByText('HTTP 401').first().waitFor();
    expect(await page.getByRole('button', { name: 'Continue' }).first().isDisabled()).toBe(true);

    await field(page, 'API key').fill('sk-upstream-test');
    await page.getByRole('button', { name: 'Save and check connection' }).click();
    await page.getByRole('heading', { name: 'Connection works' }).waitFor();
    await page.getByRole('heading', { name: /models found/ }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).first().click();

    // 3. Tenant and its key, shown once
    await page.getByText('Create the first tenant').waitFor();
    await field(page, 'Tenant name').fill('Platform Team');
    expect(await field(page, 'Slug').inputValue()).toBe('platform-team');
    await page.getByRole('button', { name: 'Create tenant and key' }).click();
    const keyText = page.getByTestId('revealed-key');
    await keyText.waitFor();
    const apiKey = (await keyText.textContent())?.trim() ?? '';
    expect(apiKey).toMatch(/^omp-[0-9a-f]{64}$/);
    await page.getByText('It is shown only once').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const continueButton = page.getByRole('button', { name: 'Continue' });
    expect(await continueButton.isDisabled()).toBe(true);
    await field(page, 'I have stored the key').check();
    await continueButton.click();

    // 4. Preset (optional): applied with the wizard's provider, the assignments shown.
    await page.getByText('a preset profile assigns default and fallback models').waitFor();
    await page.getByRole('button', { name: 'Apply preset' }).click();
    await page.getByText('Choose a preset, or skip this step.').waitFor();
    await page.getByRole('radio', { name: /Software development/ }).check();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Apply preset' }).click();
    await page.getByRole('heading', { name: /Preset applied: \d+ categories now use Mock OpenAI/ }).waitFor();
    const assignments = page.getByRole('table', { name: 'Preset assignments' });
    await assignments
      .getByText(/^mock-openai\//)
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Continue' }).filter({ visible: true }).click();

    // 5. Done
    await page.getByText('Setup is complete.').waitFor();
    await page.getByTestId('finish-setup').click();
    await page.waitForURL('**/dashboard');

    // The key answers a chat request through the gateway, served by the mock upstream.
    const client = new OpenAI({ apiKey, baseURL: `${server.baseUrl}/api/platform-team/v1`, maxRetries: 0 });
    const answer = await chatUntilReady(client, 'Hello from the wizard');
    expect(answer).toBe('Mock answer from gpt-4o-mini to: Hello from the wizard');

    // The key is never shown again: the tenant's key list only has its prefix.
    await page.goto('/tenants');
    await page.getByRole('link', { name: 'Platform Team', exact: true }).click();
    await page.getByRole('tab', { name: 'API keys' }).click();
    await page.getByRole('table', { name: 'API keys' }).getByText(apiKey.slice(0, 12)).waitFor();
    expect(await page.content()).not.toContain(apiKey);

    // The preset's choices are on the Categories page.
    await page.goto('/categories');
    await page
      .getByRole('table', { name: /^Categories in tier/ })
      .first()
      .waitFor();
    expect(
      await page.locator('table.categories code', { hasText: /^mock-openai\// }).count(),
    ).toBeGreaterThan(0);

    // The wizard is closed for good.
    await page.goto('/setup');
    await page.waitForURL('**/dashboard');

    expect(externalRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
