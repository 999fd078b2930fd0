import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core (WCAG 2.1 A/AA rules) in the page and returns the serious and critical
 * violations, each as one readable line, so `expect(lines).toEqual([])` shows what is wrong.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // A Material snack bar keeps its content (with its button) under aria-hidden for ~150 ms before
  // moving it into its live region; scanning in that window reports a transient violation.
  // Polled with page.evaluate (DevTools protocol): waitForFunction's string predicate is compiled in
  // the page, which the console's CSP (no 'unsafe-eval') refuses while the snack bar is still there.
  const hidden = `!!document.querySelector('.mat-mdc-snack-bar-label [aria-hidden="true"] button')`;
  for (let waited = 0; (await page.evaluate<boolean>(hidden)) && waited < 5000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Evaluated through the DevTools protocol, not as an inline <script>: the console's CSP forbids
  // inline scripts, and the tests must see the page as the policy leaves it.
  if (!(await page.evaluate<boolean>('typeof axe !== "undefined"'))) await page.evaluate(axeSource);
  const options = {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    resultTypes: ['violations'],
  };
  // A string expression: it runs in the page, where `axe` and `document` exist.
  const violations = await page.evaluate<AxeViolation[]>(
    `axe.run(document, ${JSON.stringify(options)}).then((result) => result.violations)`,
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact}: ${v.id} (${v.help}) at ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
}
