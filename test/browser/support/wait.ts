import type { Locator } from 'playwright-core';

/**
 * Waits until `locator` matches exactly `count` elements. Polled from the test through locator
 * counts: page.waitForFunction compiles its predicate inside the page, which the console's CSP
 * (no 'unsafe-eval') refuses whenever the first check is not already true.
 */
export async function waitForCount(locator: Locator, count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = await locator.count();
  while (seen !== count) {
    if (Date.now() > deadline)
      throw new Error(`expected ${count} matches of ${String(locator)}, saw ${seen}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = await locator.count();
  }
}
