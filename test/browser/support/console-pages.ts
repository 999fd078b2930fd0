import type { Page } from 'playwright-core';

/** Fills the login form and submits it; `stay` uses the login page already open (keeps its returnUrl). */
export async function signIn(page: Page, username: string, password: string, stay = false): Promise<void> {
  if (!stay) await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The labels of the sidebar links, in order. */
export async function navigationLabels(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link').first().waitFor();
  return (await nav.getByRole('link').allTextContents()).map((text) => text.trim());
}
