import type { Browser } from 'playwright-core';

import { setupFirstAdmin, type TestUser } from '../support/auth';
import { seriousAccessibilityViolations } from './support/axe';
import { launchBrowser, newConsoleContext } from './support/browser';
import { signIn } from './support/console-pages';
import { type ConsoleServer, startConsoleServer } from './support/console-server';

/** Sessions shorter than the five-minute warning window: the warning shows right after sign-in. */
describe('console: session expiry (Chromium)', () => {
  let browser: Browser;
  const servers: ConsoleServer[] = [];

  async function serverWithSessionsOf(lifetime: string): Promise<{ server: ConsoleServer; admin: TestUser }> {
    const server = await startConsoleServer({ JWT_EXPIRES_IN: lifetime });
    servers.push(server);
    return { server, admin: await setupFirstAdmin(server.app) };
  }

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await server.close();
  });

  it('warns before the session ends and "Sign in again" returns to the same page', async () => {
    const { server, admin } = await serverWithSessionsOf('4m');
    const { context, page } = await newConsoleContext(browser, server.baseUrl);
    await signIn(page, admin.username, admin.password);
    await page.waitForURL('**/dashboard');
    await page.goto('/categories');

    const warning = page.getByTestId('session-warning');
    await warning.getByText(/Your session ends at/).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await warning.getByRole('button', { name: 'Dismiss' }).click();
    await warning.waitFor({ state: 'detached' });

    // After a reload the expiry comes from auth/me, and the warning is back.
    await page.reload();
    await warning.waitFor();
    await warning.getByRole('button', { name: 'Sign in again' }).click();
    await page.waitForURL('**/login?returnUrl=%2Fcategories');
    await page.getByText('Sign in again to start a new session').waitFor();
    await signIn(page, admin.username, admin.password, true);
    await page.waitForURL('**/categories');
    await context.close();
  });

  it('ends the session at its expiry and opens the login page with the current page to return to', async () => {
    const { server, admin } = await serverWithSessionsOf('6');
    const { context, page } = await newConsoleContext(browser, server.baseUrl);
    await signIn(page, admin.username, admin.password);
    await page.waitForURL('**/dashboard');
    await page.goto('/routing');
    await page.waitForURL('**/login?returnUrl=%2Frouting', { timeout: 15_000 });
    await page.getByText('Your session has expired. Please sign in again.').waitFor();
    await context.close();
  });
});
