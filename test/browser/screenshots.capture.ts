/**
 * Not a test: captures docs/screenshots/*.png from a seeded installation (real server, real
 * database, mock upstream). Run with `node --import tsx scripts/screenshots.ts`.
 */
import type { Browser, Page } from 'playwright-core';

import { bearer, createUser, setupFirstAdmin, TEST_PASSWORD } from '../support/auth';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream';
import { launchBrowser, newConsoleContext, saveScreenshot } from './support/browser';
import { signIn } from './support/console-pages';
import { type ConsoleServer, startConsoleServer } from './support/console-server';
import { flushTraffic, sendChat } from './support/traffic';

const ADMIN = { username: 'admin', password: 'screenshots-password-1' };

describe('screenshots', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let mock: MockUpstream;
  let token = '';
  let tenantId = '';
  let tenantKey = '';

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.baseUrl}/api/prism${path}`, {
      method,
      headers: { ...bearer(token), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  async function shoot(page: Page, path: string, name: string, ready: string): Promise<void> {
    await page.goto(path);
    await page.getByText(ready, { exact: false }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await saveScreenshot(page, name);
  }

  beforeAll(async () => {
    mock = await startMockUpstream({ requireKey: 'sk-upstream-demo' });
    [server, browser] = await Promise.all([startConsoleServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await mock?.close();
  });

  it('captures every page', async () => {
    const { context, page } = await newConsoleContext(browser, server.baseUrl);
    await shoot(page, '/setup', 'setup-wizard', 'Set up Model Prism');

    const admin = await setupFirstAdmin(server.app, ADMIN);
    token = admin.token;
    const provider = await api<{ id: string }>('POST', '/admin/providers', {
      name: 'Mock OpenAI',
      type: 'openai',
      baseUrl: mock.url,
      auth: { type: 'api_key', apiKey: 'sk-upstream-demo' },
    });
    await api('POST', `/admin/providers/${provider.id}/check`);
    await api('POST', `/admin/providers/${provider.id}/discover`);
    for (const [name, slug] of [
      ['Platform Team', 'platform-team'],
      ['Data Science', 'data-science'],
      ['Support Bots', 'support-bots'],
    ] as const) {
      const tenant = await api<{ id: string }>('POST', '/admin/tenants', {
        name,
        slug,
        providerIds: [provider.id],
      });
      tenantId ||= tenant.id;
      const key = await api<{ apiKey: string }>('POST', `/admin/tenants/${tenant.id}/keys`, { label: 'ci' });
      tenantKey ||= key.apiKey;
    }
    await api('POST', `/admin/tenants/${tenantId}/keys`, { label: 'alice laptop', lifetimeDays: 30 });
    await createUser(server.app, 'maintainer', { username: 'maria.maintainer' });
    await createUser(server.app, 'finops', { username: 'fin.ops' });
    const tenantAdmin = await createUser(server.app, 'tenant-admin', {
      username: 'tara.tenant',
      tenantIds: [tenantId],
    });

    await shoot(page, '/login', 'login', 'Sign in');
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.waitForURL('**/dashboard');
    await shoot(page, '/providers', 'providers', 'Connected');
    await shoot(page, '/models', 'models', 'gpt-4o-mini');
    await shoot(page, '/tenants', 'tenants', 'Platform Team');
    await shoot(page, `/tenants/${tenantId}?tab=general`, 'tenant-general', 'Save general settings');
    await shoot(page, `/tenants/${tenantId}?tab=access`, 'tenant-model-access', 'Save model access');
    await shoot(page, `/tenants/${tenantId}?tab=routing`, 'tenant-routing', 'Save routing');
    await shoot(page, `/tenants/${tenantId}?tab=resilience`, 'tenant-resilience', 'Save resilience');
    await shoot(page, `/tenants/${tenantId}?tab=limits`, 'tenant-limits', 'Save limits');
    await shoot(page, `/tenants/${tenantId}?tab=keys`, 'tenant-keys', 'alice laptop');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByTestId('revealed-key').waitFor();
    await saveScreenshot(page, 'key-shown-once');
    await page.getByRole('button', { name: 'I have stored the key' }).click();
    await shoot(page, `/tenants/${tenantId}?tab=clients`, 'tenant-client-config', '<YOUR_API_KEY>');
    await shoot(page, '/users', 'users', 'maria.maintainer');
    await shoot(page, '/settings/ldap', 'ldap', 'Allow sign-in with directory accounts');
    await shoot(page, '/audit', 'audit-log', 'user.create');

    await api('POST', '/admin/categories/presets/software_development/apply', { providerId: provider.id });
    await shoot(page, '/categories', 'categories', 'Smalltalk and greetings');
    await page.getByRole('button', { name: 'Edit Smalltalk and greetings' }).click();
    await page
      .getByRole('dialog', { name: 'Edit Smalltalk and greetings' })
      .getByText('Are you a bot?')
      .waitFor();
    await saveScreenshot(page, 'category-editor');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: /Preset profiles/ }).click();
    await page.getByRole('combobox', { name: 'Preset' }).click();
    await page.getByRole('option', { name: 'Software development' }).click();
    await page.getByRole('combobox', { name: 'Provider' }).click();
    await page.getByRole('option', { name: 'Mock OpenAI' }).click();
    await page.getByRole('button', { name: 'Apply preset' }).click();
    await page.getByRole('table', { name: 'Preset assignments' }).waitFor();
    await page.getByRole('button', { name: 'OK' }).click();
    await page.locator('mat-snack-bar-container').waitFor({ state: 'detached' });
    await saveScreenshot(page, 'categories-preset');

    await page.goto('/routing');
    await page.getByRole('combobox', { name: 'Tenant' }).click();
    await page.getByRole('option', { name: /Platform Team/ }).click();
    await page
      .getByLabel('Prompt', { exact: true })
      .fill('Write a Python function that parses ISO dates and add unit tests for it');
    await page.getByRole('button', { name: 'Run dry run' }).click();
    await page.getByRole('table', { name: 'Routing steps' }).waitFor();
    await page.getByRole('heading', { name: 'Decision' }).evaluate((heading) => {
      heading.scrollIntoView({ block: 'start' });
    });
    await saveScreenshot(page, 'routing-dry-run');
    await page.getByRole('tab', { name: 'Rule sets' }).click();
    await page.getByText('Keyword rules').waitFor();
    await page.waitForLoadState('networkidle');
    await saveScreenshot(page, 'routing-rule-sets');

    // The trace of a real auto-routed request, looked up by the id the client saw.
    const routed = await sendChat(server.baseUrl, tenantKey, {
      content: 'Write a SQL query that lists the ten largest customers by revenue',
    });
    const requestId = routed.headers.get('x-request-id') ?? '';
    await flushTraffic(server.app);
    await page.goto(`/routing?trace=${encodeURIComponent(requestId)}`);
    await page.getByRole('table', { name: 'Routing steps' }).waitFor();
    await page.waitForLoadState('networkidle');
    await saveScreenshot(page, 'routing-trace');

    // Traffic for the usage pages: two users' conversations (x-session-id) and a one-off request.
    const conversations: [string, string, string | null, string][] = [
      ['alice', 'auto', 'release-notes', 'Summarise the changes of this release for customers'],
      ['alice', 'auto', 'release-notes', 'Make it shorter and friendlier'],
      ['alice', 'gpt-4o-mini', 'release-notes', 'Translate it to German'],
      ['bob', 'auto', 'sql-help', 'Why is this SQL query slow on a table with ten million rows?'],
      ['bob', 'gpt-4o-mini', 'sql-help', 'Which index would you add?'],
      ['carol', 'auto', null, 'hello there!'],
    ];
    for (const [user, model, session, content] of conversations) {
      await sendChat(server.baseUrl, tenantKey, {
        model,
        content,
        headers: { 'x-user': user, ...(session ? { 'x-session-id': session } : {}) },
      });
    }
    await flushTraffic(server.app);
    await page.goto('/dashboard');
    await page.getByRole('table', { name: 'Top tenants' }).waitFor();
    await page.locator('figure', { hasText: 'Model mix' }).locator('canvas').waitFor();
    await page.waitForLoadState('networkidle');
    await saveScreenshot(page, 'dashboard');
    await page.goto(`/requests?request=${encodeURIComponent(requestId)}`);
    await page
      .getByRole('region', { name: 'Request detail' })
      .getByRole('table', { name: 'Routing steps' })
      .waitFor();
    await page.waitForLoadState('networkidle');
    await saveScreenshot(page, 'request-log');
    await page.getByRole('button', { name: 'Correct this decision' }).click();
    await page
      .getByRole('dialog', { name: 'Correct this decision' })
      .locator('.mat-mdc-select-value-text')
      .waitFor();
    await saveScreenshot(page, 'request-correction');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await shoot(page, '/requests?view=sessions', 'request-log-sessions', 'release-notes');
    await shoot(page, '/system', 'system', 'this pod');
    await page.goto('/playground');
    await page.getByRole('combobox', { name: 'Tenant' }).click();
    await page.getByRole('option', { name: 'Platform Team' }).click();
    await page.getByRole('textbox', { name: 'Message' }).fill('Write a haiku about routing');
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .getByRole('article', { name: 'Answer' })
      .getByText(/total \d+ ms/)
      .waitFor();
    await saveScreenshot(page, 'playground');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await shoot(page, '/providers', 'providers-dark', 'Connected');
    await shoot(page, `/tenants/${tenantId}?tab=keys`, 'tenant-keys-dark', 'alice laptop');
    await context.close();

    const portal = await newConsoleContext(browser, server.baseUrl);
    await signIn(portal.page, tenantAdmin.username, TEST_PASSWORD);
    await portal.page.waitForURL('**/portal');
    await portal.page.getByRole('table', { name: 'API keys' }).waitFor();
    await saveScreenshot(portal.page, 'portal');
    await portal.page.getByRole('tab', { name: 'Usage' }).click();
    await portal.page.locator('figure', { hasText: 'over time' }).locator('canvas').waitFor();
    await portal.page.waitForLoadState('networkidle');
    await saveScreenshot(portal.page, 'portal-usage');
    await portal.context.close();
  }, 300_000); // every page in one go: far longer than one browser test under load
});
