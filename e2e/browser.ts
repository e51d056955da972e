/** Launches the system Chromium through playwright-core (no browser download). */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. The end-to-end tests drive the system Chromium: ` +
        'install it with `apt-get update && apt-get install -y chromium`, or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface PageProblems {
  /** Uncaught exceptions and console errors other than expected failed requests. */
  list: string[];
}

/** A fresh page (own storage) that records uncaught errors and CSP violations. */
export async function openPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; problems: PageProblems; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'light', ...options });
  const page = await context.newPage();
  const problems: PageProblems = { list: [] };
  page.on('pageerror', (err) => problems.list.push(`uncaught: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // A 4xx answered by the service is reported by the browser as a failed resource; that's expected.
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    problems.list.push(`console: ${text}`);
  });
  return { page, problems, close: () => context.close() };
}

/**
 * With E2E_SCREENSHOT_DIR set, `url` in light and dark mode at 1024x700 and 1440x900 (full page),
 * once `ready` (a test id) is on screen: for a reviewer's eyes, never asserted on.
 */
export async function screenshotPage(browser: Browser, name: string, url: string, ready: string): Promise<void> {
  const dir = process.env['E2E_SCREENSHOT_DIR'];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [width, height] of [[1024, 700], [1440, 900]] as const) {
      const { page, close } = await openPage(browser, { colorScheme, viewport: { width, height } });
      try {
        await page.goto(url);
        await page.getByTestId(ready).first().waitFor({ timeout: 30_000 });
        await page.waitForTimeout(500);
        await page.screenshot({ path: join(dir, `${name}-${colorScheme}-${width}x${height}.png`), fullPage: true });
      } finally {
        await close();
      }
    }
  }
}
