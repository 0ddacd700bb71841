import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue } from 'axe-core';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let source: Promise<string> | undefined;

/** One violation as a line a person can read in a test failure. */
export interface Finding {
  readonly page: string;
  readonly rule: string;
  readonly impact: ImpactValue | null | undefined;
  readonly help: string;
  readonly targets: string[];
}

/**
 * Run axe-core in the page and return its violations. The source is evaluated through
 * the DevTools protocol, which the pages' Content-Security-Policy does not apply to, so
 * the policy stays as strict in the test as in use.
 */
export async function axeViolations(page: Page, label: string): Promise<Finding[]> {
  source ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(await source);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  // A run that checked nothing would pass anything.
  if (results.passes.length === 0) throw new Error(`axe checked nothing on ${label}`);
  return results.violations.map((v) => ({ page: label, rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
}

/** Whether a finding is serious or critical: these fail the check. */
export function isSevere(finding: Finding): boolean {
  return finding.impact === 'serious' || finding.impact === 'critical';
}
