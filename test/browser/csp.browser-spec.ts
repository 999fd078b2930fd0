import { seriousAccessibilityViolations } from './support/axe';
import { ConsoleUnderTest } from './support/console';
import { signIn } from './support/console-pages';

/** Issue 15 item 10: the built console runs under its Content-Security-Policy without one violation. */
describe('console under its Content-Security-Policy (Chromium)', () => {
  let ui: ConsoleUnderTest;

  beforeAll(async () => {
    ui = await ConsoleUnderTest.start();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('loads, signs in and renders pages with no CSP violation and no console error', async () => {
    const { admin } = ui;
    // Signed out: the login page and the sign-in itself run under the policy too.
    const { context, page, consoleErrors, externalRequests } = await ui.newProfile();
    // Registered before any page script runs, so every violation of any document is recorded (a
    // string: it runs in the page, where `document` exists).
    await context.addInitScript(
      `document.addEventListener('securitypolicyviolation', (event) => {
        (window.__cspViolations ??= []).push(event.violatedDirective + ' ' + event.blockedURI);
      });`,
    );
    const violations: string[] = [];
    const collect = async (): Promise<void> => {
      violations.push(...(await page.evaluate<string[]>('window.__cspViolations ?? []')));
    };

    const response = await page.goto('/login');
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await collect();

    await signIn(page, admin.username, admin.password, true);
    await page.waitForURL('**/dashboard');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await collect();
    for (const path of ['/providers', '/tenants', '/routing', '/requests', '/users', '/audit']) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await collect();
    }
    // The styles Angular adds at run time carry the nonce, so the page is styled, not bare.
    const styled = await page.evaluate<number>("document.querySelectorAll('style[nonce]').length");
    expect(styled).toBeGreaterThan(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    expect(violations).toEqual([]);
    expect(consoleErrors.filter((e) => /Content.Security.Policy|Refused to/i.test(e))).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(externalRequests).toEqual([]);
  });
});
