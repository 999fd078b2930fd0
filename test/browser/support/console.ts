import type { Browser, BrowserContext, Page } from 'playwright-core';

import type { Role } from '../../../src/modules/auth/rbac';
import { createUser, setupFirstAdmin, type TestUser } from '../../support/auth';
import { type ConsoleContextOptions, launchBrowser, newConsoleContext } from './browser';
import { signIn } from './console-pages';
import { type ConsoleServer, startConsoleServer } from './console-server';

/** One signed-in browser profile (its own cookies) on a console page. */
export interface ConsoleTab {
  context: BrowserContext;
  page: Page;
  /** The user it is signed in as. */
  user: TestUser;
  /** Requests that tried to leave 127.0.0.1 (the console must work offline). */
  externalRequests: string[];
  consoleErrors: string[];
}

export interface OpenPageOptions extends ConsoleContextOptions {
  /** Tenants of a user created for a tenant role. */
  tenantIds?: string[];
}

/**
 * The console under test: the real server (`full` role, the built console) on a random port, one
 * Chromium, and the first admin. Browser specs start one in `beforeAll`, open pages with
 * {@link openPage} and close everything with {@link close} in `afterAll`.
 */
export class ConsoleUnderTest {
  private readonly tabs: BrowserContext[] = [];

  private constructor(
    readonly server: ConsoleServer,
    readonly browser: Browser,
    /** The first admin (created through the setup API). */
    readonly admin: TestUser,
  ) {}

  /** `env`: settings for the server (e.g. `CONFIG_POLL_INTERVAL_MS`). */
  static async start(env: Record<string, string> = {}): Promise<ConsoleUnderTest> {
    const [server, browser] = await Promise.all([startConsoleServer(env), launchBrowser()]);
    try {
      return new ConsoleUnderTest(server, browser, await setupFirstAdmin(server.app));
    } catch (error) {
      await browser.close();
      await server.close();
      throw error;
    }
  }

  get app(): ConsoleServer['app'] {
    return this.server.app;
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }

  /**
   * Signs in a fresh browser profile as `who` (a user, or a new user of that role), opens `path`
   * (default: where sign-in lands) and waits for the page's heading. The profile is closed by
   * {@link close}, or earlier by the caller (`tab.context.close()`).
   */
  async openPage(who: TestUser | Role, path?: string, options: OpenPageOptions = {}): Promise<ConsoleTab> {
    const user =
      typeof who === 'string' ? await createUser(this.app, who, { tenantIds: options.tenantIds }) : who;
    const tab = await newConsoleContext(this.browser, this.baseUrl, options);
    this.tabs.push(tab.context);
    const { page } = tab;
    await signIn(page, user.username, user.password);
    await page.waitForURL((url) => url.pathname !== '/login');
    if (path !== undefined) await page.goto(path);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    return { ...tab, user };
  }

  /** Closes every page opened, the browser and the server. */
  async close(): Promise<void> {
    for (const context of this.tabs) await context.close().catch(() => undefined);
    await this.browser.close();
    await this.server.close();
  }
}
