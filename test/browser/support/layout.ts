import type { Page } from 'playwright-core';

/** Phone width the console must work at (issue 14: 390 px without horizontal scrolling). */
export const PHONE_VIEWPORT = { width: 390, height: 844 };

/**
 * How far the page scrolls sideways (0 = not at all). Wide tables scroll inside their own wrapper;
 * the document itself must fit the viewport.
 */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>(
    `Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)`,
  );
}
