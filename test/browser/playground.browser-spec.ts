import type { Page } from 'playwright-core';

import { TenantDirectory } from '../../src/modules/tenants/tenant-directory.service';
import { bearer, createUser, type TestUser } from '../support/auth';
import { publishConfig, seedProvider, seedTenant, type SeededTenant, updateTenant } from '../support/gateway';
import { type MockUpstream, replies, startMockUpstream } from '../support/mock-upstream';
import { seriousAccessibilityViolations } from './support/axe';
import { ConsoleUnderTest } from './support/console';
import { field, navigationLabels } from './support/console-pages';
import { horizontalOverflow, PHONE_VIEWPORT } from './support/layout';
import { flushTraffic } from './support/traffic';
import { waitForCount } from './support/wait';

const ANSWER = 'Here is **one** way:\n\n```python\ndef greet():\n    return "hi"\n```\n\n- short\n- sweet';

async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).click();
}

describe('console: the chat playground (Chromium)', () => {
  let ui: ConsoleUnderTest;
  let mock: MockUpstream;
  let admin: TestUser;
  let research: SeededTenant;
  let page: Page;

  /** Changes the tenant's limit and waits until this pod's tenant cache has it. */
  const setRequestsPerMinute = async (requestsPerMinute: number): Promise<void> => {
    await updateTenant(ui.app, research.id, { rateLimit: { requestsPerMinute, tokensPerMinute: 0 } });
    const directory = ui.app.get(TenantDirectory);
    while (directory.getTenant(research.id)?.rateLimit.requestsPerMinute !== requestsPerMinute) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    mock = await startMockUpstream();
    mock.script({ path: /chat\/completions/, reply: replies.text(ANSWER, { stream: { chunkChars: 8 } }) });
    ui = await ConsoleUnderTest.start();
    admin = ui.admin;
    const provider = await seedProvider(ui.app, mock.url, [
      { id: 'small-model', tier: 'minimal', inputPer1M: 0.1, outputPer1M: 0.4 },
      { id: 'big-model', tier: 'high', inputPer1M: 5, outputPer1M: 20 },
    ]);
    research = await seedTenant(ui.app, [provider.id], { name: 'Research' });
    await seedTenant(ui.app, [provider.id], { name: 'Sales' });
    await publishConfig(ui.app);
    ({ page } = await ui.openPage(admin));
  });
  afterAll(async () => {
    await ui?.close();
    await mock?.close();
  });

  it('streams an auto-routed answer with markdown, code highlighting, routing, cost and latency, found in the request log', async () => {
    await page.getByRole('link', { name: 'Playground' }).click();
    await page.getByRole('heading', { name: 'Playground', level: 1 }).waitFor();
    await choose(page, 'Tenant', 'Research');
    await choose(page, 'Model', 'auto (routing decides)');
    await field(page, 'Message').fill('Write a greeting function in Python');
    await page.getByRole('button', { name: 'Send' }).click();

    const answer = page.getByRole('article', { name: 'Answer' });
    const details = answer.getByRole('definition').filter({ hasText: 'auto-routed:' });
    await details.waitFor();
    await answer.getByLabel('python block').getByText('return').waitFor();
    expect(await answer.locator('.tok-keyword', { hasText: 'def' }).count()).toBe(1);
    expect(await answer.locator('strong', { hasText: 'one' }).count()).toBe(1);
    await answer.getByRole('listitem').filter({ hasText: 'sweet' }).waitFor();
    await answer.getByText(/\$0\.0+\d* · \d+ in \/ \d+ out/).waitFor();
    await answer.getByText(/total \d+ ms/).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The request went through the gateway as a playground request of this user.
    const requestId = ((await answer.locator('code').last().textContent()) ?? '').trim();
    await flushTraffic(ui.app);
    const logged = await ui.app.inject({
      method: 'GET',
      url: `/api/prism/admin/requests/${requestId}`,
      headers: bearer(admin.token),
    });
    expect(logged.json()).toMatchObject({
      endpoint: 'playground',
      user: admin.username,
      tenantId: research.id,
    });
    await answer.getByRole('link', { name: 'Request log' }).click();
    await page.waitForURL(`**/requests?request=${requestId}`);
  });

  it('validates the settings and shows the gateway refusing a request over the tenant limit', async () => {
    await page.goto('/playground');
    await choose(page, 'Tenant', 'Research');
    await page.getByText('System prompt, temperature, max tokens').click();
    await field(page, 'Temperature').fill('3');
    await field(page, 'Message').fill('hello');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Temperature must be at most 2.').waitFor();
    await field(page, 'Temperature').fill('0.2');
    await field(page, 'System prompt').fill('Answer in one line.');

    await setRequestsPerMinute(1);
    await choose(page, 'Model', 'small-model');
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .getByRole('article', { name: 'Answer' })
      .getByText(/total \d+ ms/)
      .waitFor();
    const upstream = mock.requests.at(-1)!.body as { temperature: number; messages: { role: string }[] };
    expect(upstream.temperature).toBe(0.2);
    expect(upstream.messages[0]).toEqual({ role: 'system', content: 'Answer in one line.' });

    await field(page, 'Message').fill('and again');
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .getByRole('article', { name: 'Answer' })
      .last()
      .getByRole('alert')
      .getByText(/rate limit/i)
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'New conversation' }).click();
    await waitForCount(page.getByRole('article'), 0);
    await setRequestsPerMinute(0);
  });

  it('lets a tenant admin chat only as their own tenant', async () => {
    const tenantAdmin = await createUser(ui.app, 'tenant-admin', { tenantIds: [research.id] });
    const own = await ui.openPage(tenantAdmin);
    try {
      expect(await navigationLabels(own.page)).toContain('Playground');
      await own.page.getByRole('link', { name: 'Playground' }).click();
      await own.page.getByRole('combobox', { name: 'Tenant' }).getByText('Research').waitFor();
      await own.page.getByRole('combobox', { name: 'Tenant' }).click();
      expect((await own.page.getByRole('option').allTextContents()).map((t) => t.trim())).toEqual([
        'Research',
      ]);
    } finally {
      await own.context.close();
    }
  });

  it('fits a 390 px phone screen without horizontal scrolling, code blocks included', async () => {
    const phone = await ui.openPage(admin, '/playground', { viewport: PHONE_VIEWPORT });
    try {
      await choose(phone.page, 'Tenant', 'Research');
      await field(phone.page, 'Message').fill('Show me some code');
      await phone.page.getByRole('button', { name: 'Send' }).click();
      await phone.page
        .getByRole('article', { name: 'Answer' })
        .getByText(/total \d+ ms/)
        .waitFor();
      expect(await horizontalOverflow(phone.page)).toBe(0);
      expect(await seriousAccessibilityViolations(phone.page)).toEqual([]);
    } finally {
      await phone.context.close();
    }
  });
});
