import type { Page } from 'playwright-core';

import type { TestUser } from '../support/auth';
import { seriousAccessibilityViolations } from './support/axe';
import { ConsoleUnderTest } from './support/console';

describe('console: users, LDAP and audit log pages (Chromium)', () => {
  let ui: ConsoleUnderTest;
  let admin: TestUser;
  let page: Page;

  beforeAll(async () => {
    ui = await ConsoleUnderTest.start();
    admin = ui.admin;
    ({ page } = await ui.openPage(admin));
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('creates a user with inline validation and shows server errors in the dialog', async () => {
    await page.goto('/users');
    await page.getByRole('table', { name: 'Users' }).getByText(admin.username).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('Username').fill('carol.ops');
    await dialog.getByLabel('Initial password').fill('short');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.getByText('Password must be at least 12 characters.').waitFor();

    await dialog.getByLabel('Initial password').fill('carol-initial-password');
    await dialog.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: 'Maintainer' }).click();
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ hasText: 'carol.ops' });
    await row.getByText('Maintainer').waitFor();
    await row.getByText('must change password').waitFor();

    // The same name again: the server's 409 appears in the dialog, which stays open.
    await page.getByRole('button', { name: 'New user' }).click();
    await dialog.getByLabel('Username').fill('Carol.Ops');
    await dialog.getByLabel('Initial password').fill('another-initial-password');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.getByRole('alert').getByText('A user named "carol.ops" already exists').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('disables a user only after confirmation', async () => {
    await page.goto('/users');
    const row = page.getByRole('row').filter({ hasText: 'carol.ops' });
    await row.getByRole('button', { name: 'Actions for carol.ops' }).click();
    await page.getByRole('menuitem', { name: 'Disable' }).click();
    const confirm = page.getByRole('dialog', { name: 'Disable carol.ops?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await row.getByText('Active').waitFor();

    await row.getByRole('button', { name: 'Actions for carol.ops' }).click();
    await page.getByRole('menuitem', { name: 'Disable' }).click();
    await confirm.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('Disabled').waitFor();
  });

  it('filters and pages the user list on the server', async () => {
    await page.goto('/users');
    const table = page.getByRole('table', { name: 'Users' });
    await table.getByText(admin.username).waitFor();

    const byStatus = page.waitForRequest(
      (r) => r.url().includes('/api/prism/admin/users?') && r.url().includes('active=false'),
    );
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Disabled' }).click();
    await byStatus;
    await table.getByText(admin.username).waitFor({ state: 'detached' });
    await table.getByText('carol.ops').waitFor();

    await page.getByRole('button', { name: 'Reset' }).click();
    await table.getByText(admin.username).waitFor();
    await page.getByLabel('Search users').fill('nobody-like-this');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No user matches the filters').waitFor();
    await page.getByRole('button', { name: 'Reset' }).click();
    await table.getByText(admin.username).waitFor();
    await page
      .locator('mat-paginator[aria-label="User pages"]')
      .getByText(/1 – \d+ of \d+/)
      .waitFor();
  });

  it('lists the changes in the audit log and filters them on the server', async () => {
    await page.goto('/audit');
    await page.getByText('user.create').first().waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel('Action').fill('not valid!');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Action may contain a name like user.update or a prefix like user.*.').waitFor();

    await page.getByLabel('Action').fill('user.disable');
    const request = page.waitForRequest(
      (r) => r.url().includes('/api/prism/admin/audit') && r.url().includes('action=user.disable'),
    );
    await page.getByRole('button', { name: 'Apply' }).click();
    await request;
    // The filtered page replaces the list: the create events disappear, the disable event stays.
    await page.getByText('user.create').first().waitFor({ state: 'detached' });
    await page.getByText('user.disable').first().waitFor();
  });

  it('validates LDAP settings inline and shows the failing step of a connection test', async () => {
    await page.goto('/settings/ldap');
    await page.getByRole('heading', { name: 'LDAP', exact: true }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const url = page.getByLabel('Server URL', { exact: true });
    await url.fill('http://not-ldap');
    await page.getByRole('button', { name: 'Save LDAP settings' }).click();
    await page.getByText('Server URL may contain an ldap:// or ldaps:// URL').waitFor();

    await url.fill('ldap://127.0.0.1:9');
    await page.getByLabel('Search base', { exact: true }).fill('dc=example,dc=com');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('status').getByText('The test failed.').waitFor();
    const steps = page.getByRole('list', { name: 'LDAP test steps' });
    await steps.getByLabel('Failed').first().waitFor();
  });
});
