import { createUser, TEST_PASSWORD } from '../support/auth';
import { seriousAccessibilityViolations } from './support/axe';
import { ConsoleUnderTest } from './support/console';
import { navigationLabels, signIn } from './support/console-pages';

const ADMIN = { username: 'first-admin', password: 'first-admin-password-1' };

/** Signs in and setup are what these tests check, so they open signed-out profiles themselves. */
describe('console: setup, sign-in and role-aware navigation (Chromium)', () => {
  let ui: ConsoleUnderTest;

  beforeAll(async () => {
    // No admin yet: the first test creates it through the setup wizard.
    ui = await ConsoleUnderTest.startFresh();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('sends a fresh installation to the setup wizard, which creates the first admin and signs in', async () => {
    const { context, page, externalRequests, consoleErrors } = await ui.newProfile();
    await page.goto('/');
    await page.waitForURL('**/setup');
    await expect(page.getByRole('heading', { name: 'Set up Model Prism' }).isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Repeat password').fill('different');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await expect(page.getByText('Password must be at least 12 characters.').isVisible()).resolves.toBe(true);
    await expect(page.getByText('The repeated password does not match.').isVisible()).resolves.toBe(true);

    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Repeat password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    // Only the current step is visible (and in the accessibility tree) at a time.
    await page.getByText('Connect the first upstream provider').waitFor();
    await page.getByRole('button', { name: 'Skip for now' }).click();
    await page.getByText('Create the first tenant').waitFor();
    await page.getByRole('button', { name: 'Skip for now' }).click();
    // Without a provider the preset step only explains itself and can be skipped.
    await page.getByText('Add a provider first').waitFor();
    await page.getByRole('button', { name: 'Skip', exact: true }).click();
    await page.getByText(`You are signed in as ${ADMIN.username}.`).waitFor();
    await page.getByTestId('finish-setup').click();

    await page.waitForURL('**/dashboard');
    expect(await navigationLabels(page)).toEqual([
      'Dashboard',
      'Request log',
      'Playground',
      'Providers',
      'Models',
      'Tenants',
      'Categories',
      'Routing',
      'Users',
      'LDAP',
      'Audit log',
      'System',
      'My tenants',
    ]);
    expect(externalRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('closes the wizard once an admin exists and shows an accessible login page', async () => {
    const { context, page } = await ui.newProfile();
    await page.goto('/setup');
    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('rejects a wrong password with a message and keeps the user on the login page', async () => {
    const { context, page } = await ui.newProfile();
    await signIn(page, ADMIN.username, 'not-the-password');
    await page.getByRole('alert').getByText('Wrong username or password.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  it('keeps the session in an httpOnly cookie across reloads and returns to the requested page', async () => {
    const { context, page } = await ui.newProfile();
    await page.goto('/users');
    await page.waitForURL('**/login?returnUrl=%2Fusers');
    await signIn(page, ADMIN.username, ADMIN.password, true);
    await page.waitForURL('**/users');

    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name === 'prism_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/prism' });
    expect(await page.evaluate<string>('document.cookie')).not.toContain('prism_session');
    expect(await page.evaluate<string>('JSON.stringify(localStorage)')).not.toMatch(/eyJ/);

    await page.reload();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();

    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.waitForURL('**/login');
    await page.getByText('You have signed out.').waitFor();
    await page.goto('/users');
    await page.waitForURL('**/login?returnUrl=%2Fusers');
    await context.close();
  });

  it('shows a tenant viewer only the self-service portal and blocks admin pages', async () => {
    const viewer = await createUser(ui.app, 'tenant-viewer');
    const { context, page } = await ui.newProfile();
    await signIn(page, viewer.username, TEST_PASSWORD);
    await page.waitForURL('**/portal');
    // Tenant roles read the dashboard too, limited to their own tenants.
    expect(await navigationLabels(page)).toEqual(['Dashboard', 'My tenants']);

    for (const path of ['/providers', '/users', '/audit', '/settings/ldap']) {
      await page.goto(path);
      await page.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    }
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows a finops user the pages of their role only', async () => {
    const finops = await createUser(ui.app, 'finops');
    const { context, page } = await ui.newProfile();
    await signIn(page, finops.username, TEST_PASSWORD);
    await page.waitForURL('**/dashboard');
    expect(await navigationLabels(page)).toEqual([
      'Dashboard',
      'Request log',
      'Providers',
      'Models',
      'Tenants',
      'Categories',
      'Routing',
      'My tenants',
    ]);
    // FinOps reads the routing configuration but cannot run dry runs or change rules.
    await page.goto('/routing');
    await page.getByText('Dry runs need the routing.write permission').waitFor();
    expect(await page.getByRole('button', { name: 'Run dry run' }).isDisabled()).toBe(true);
    await page.goto('/users');
    await page.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    await context.close();
  });

  it('makes a user with a forced password change choose a new password before anything else', async () => {
    const user = await createUser(ui.app, 'maintainer', { mustChangePassword: true });
    const { context, page } = await ui.newProfile();
    await signIn(page, user.username, TEST_PASSWORD);
    await page.waitForURL('**/change-password');
    await page.goto('/providers');
    await page.waitForURL('**/change-password');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel('Current password').fill('wrong-current-password');
    await page.getByLabel('New password', { exact: true }).fill('a-brand-new-password-42');
    await page.getByLabel('Repeat new password').fill('a-brand-new-password-42');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Current password is wrong.').waitFor();

    await page.getByLabel('Current password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL('**/dashboard');
    await page.goto('/providers');
    await page.getByRole('heading', { name: 'Providers', exact: true }).waitFor();
    await context.close();
  });

  it('returns to the login page when the session is revoked elsewhere', async () => {
    const user = await createUser(ui.app, 'auditor');
    const { context, page } = await ui.newProfile();
    await signIn(page, user.username, TEST_PASSWORD);
    await page.waitForURL('**/dashboard');
    // Logging out through the API (Bearer) revokes every session of the user, the cookie included.
    const response = await fetch(`${ui.baseUrl}/api/prism/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(response.status).toBe(204);
    await page.goto('/audit');
    await page.waitForURL(/\/login/);
    await context.close();
  });

  it('works with the keyboard alone: sign-in form, skip link and navigation', async () => {
    const { context, page } = await ui.newProfile();
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const focused = (): Promise<string> =>
      page.evaluate<string>(
        "document.activeElement?.getAttribute('autocomplete') ?? document.activeElement?.textContent?.trim() ?? ''",
      );
    for (let i = 0; i < 5 && (await focused()) !== 'username'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('username');
    await page.keyboard.type(ADMIN.username);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('current-password');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/dashboard');

    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('document.activeElement?.id ?? ""')).toBe('main-content');

    const providers = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Providers' });
    await providers.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL('**/providers');
    expect(await providers.getAttribute('aria-current')).toBe('page');
    await context.close();
  });

  it('follows a dark system theme, remembers the toggle, and stays accessible in both themes', async () => {
    const { context, page } = await ui.newProfile({ colorScheme: 'dark' });
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate<boolean>("document.documentElement.classList.contains('dark-theme')")).toBe(
      true,
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await signIn(page, ADMIN.username, ADMIN.password, true);
    await page.waitForURL('**/dashboard');
    await page.goto('/users');
    await page.getByRole('table', { name: 'Users' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    await page.reload();
    await page.getByRole('button', { name: 'Switch to dark theme' }).waitFor();
    expect(await page.evaluate<boolean>("document.documentElement.classList.contains('light-theme')")).toBe(
      true,
    );
    await context.close();
  });
});
