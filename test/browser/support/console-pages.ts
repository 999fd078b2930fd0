import type { Locator, Page } from 'playwright-core';

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

/** The visible form control with exactly this label (dialogs and tabs keep hidden copies in the DOM). */
export function field(scope: Page | Locator, label: string): Locator {
  return scope.getByLabel(label, { exact: true }).filter({ visible: true });
}

/** The panel of this tab while it is the one shown (Material marks the others aria-hidden). */
export function shownTab(page: Page, name: string): Locator {
  return page.getByRole('tabpanel', { name, exact: true });
}

/**
 * Selects a tab and returns its panel once the console shows it. Until the tab switch is rendered
 * the previous tab's fields are still on screen, and a field with the same label there would get
 * the typing (the API keys tab and the Limits tab both have "Requests per minute").
 */
export async function openTab(page: Page, name: string): Promise<Locator> {
  await page.getByRole('tab', { name, exact: true }).click();
  const panel = shownTab(page, name);
  await panel.waitFor();
  return panel;
}

/** One key figure of a usage overview (dashboard or portal Usage tab), by its label. */
export function keyFigure(page: Page, label: string): Locator {
  return page
    .getByRole('list', { name: 'Key figures compared with the previous period' })
    .getByRole('listitem')
    .filter({ hasText: label })
    .first();
}
