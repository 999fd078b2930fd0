import type { Browser, BrowserContext, Page } from 'playwright-core';

import type { Role } from '../../../src/modules/auth/rbac';
import { createUser, setupFirstAdmin, type TestUser } from '../../support/auth';
import { type ConsoleContextOptions, launchBrowser, newConsoleContext } from './browser';
import { signIn } from './console-pages';
import { type ConsoleServer, startConsoleServer } from './console-server';

/** One fresh browser profile (its own cookies) on the console, not signed in. */
export interface ConsoleProfile {
  context: BrowserContext;
  page: Page;
  /** Requests that tried to leave 127.0.0.1 (the console must work offline). */
  externalRequests: string[];
  consoleErrors: string[];
}

/** One signed-in browser profile on a console page. */
export interface ConsoleTab extends ConsoleProfile {
  /** The user it is signed in as. */
  user: TestUser;
}

export interface OpenPageOptions extends ConsoleContextOptions {
  /** Tenants of a user created for a tenant role. */
  tenantIds?: string[];
}

/**
 * The console under test: the real server (`full` role, the built console) on a random port, one
 * Chromium, and the first admin. Browser specs start one in `beforeAll`, open pages with
 * {@link openPage} (or signed-out profiles with {@link newProfile}) and close everything with
 * {@link close} in `afterAll`.
 */
export class ConsoleUnderTest {
  private readonly profiles: BrowserContext[] = [];

  private constructor(
    readonly server: ConsoleServer,
    readonly browser: Browser,
    private readonly firstAdmin: TestUser | null,
  ) {}

  /** `env`: settings for the server (e.g. `CONFIG_POLL_INTERVAL_MS`). */
  static async start(env: Record<string, string> = {}): Promise<ConsoleUnderTest> {
    return ConsoleUnderTest.launch(env, true);
  }

  /** A fresh installation without any user, for the setup wizard's own tests. */
  static async startFresh(env: Record<string, string> = {}): Promise<ConsoleUnderTest> {
    return ConsoleUnderTest.launch(env, false);
  }

  private static async launch(env: Record<string, string>, withAdmin: boolean): Promise<ConsoleUnderTest> {
    const [server, browser] = await Promise.all([startConsoleServer(env), launchBrowser()]);
    try {
      return new ConsoleUnderTest(server, browser, withAdmin ? await setupFirstAdmin(server.app) : null);
    } catch (error) {
      await browser.close();
      await server.close();
      throw error;
    }
  }

  /** The first admin (created through the setup API by {@link start}). */
  get admin(): TestUser {
    if (!this.firstAdmin) throw new Error('This console was started fresh, without an admin');
    return this.firstAdmin;
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
    const tab = await this.newProfile(options);
    const { page } = tab;
    await signIn(page, user.username, user.password);
    await page.waitForURL((url) => url.pathname !== '/login');
    if (path !== undefined) await page.goto(path);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    return { ...tab, user };
  }

  /**
   * A fresh browser profile with no page opened yet and nobody signed in, for specs of sign-in,
   * setup and response headers themselves. Closed by {@link close}, or earlier by the caller.
   */
  async newProfile(options: ConsoleContextOptions = {}): Promise<ConsoleProfile> {
    const profile = await newConsoleContext(this.browser, this.baseUrl, options);
    this.profiles.push(profile.context);
    return profile;
  }

  /** Closes every profile opened, the browser and the server. */
  async close(): Promise<void> {
    for (const context of this.profiles) await context.close().catch(() => undefined);
    await this.browser.close();
    await this.server.close();
  }
}
