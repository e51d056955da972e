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

/** Where screenshots for a reviewer's eyes go; unset, no screenshot is taken. */
export const SCREENSHOT_DIR = process.env['E2E_SCREENSHOT_DIR'];

/** Shoots one state of the page to `<base>.png` (the whole page); a caller may shoot several. */
export type Shoot = (page: Page, base: string) => Promise<void>;

const fullPage: Shoot = async (page, base) => {
  await page.screenshot({ path: `${base}.png`, fullPage: true });
};

/**
 * With SCREENSHOT_DIR set, a page in light and dark mode at 1024x700 and 1440x900: `show` brings it
 * to the state to capture, then `shoot` takes the pictures. For a reviewer's eyes, never asserted on.
 */
export async function screenshotStates(browser: Browser, name: string, show: (page: Page) => Promise<void>, shoot: Shoot = fullPage): Promise<void> {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [width, height] of [[1024, 700], [1440, 900]] as const) {
      const { page, close } = await openPage(browser, { colorScheme, viewport: { width, height } });
      try {
        await show(page);
        await page.waitForTimeout(300);
        await shoot(page, join(SCREENSHOT_DIR, `${name}-${colorScheme}-${width}x${height}`));
      } finally {
        await close();
      }
    }
  }
}

/** screenshotStates of `url`, once `ready` (a test id) is on screen. */
export async function screenshotPage(browser: Browser, name: string, url: string, ready: string): Promise<void> {
  await screenshotStates(browser, name, async (page) => {
    await page.goto(url);
    await page.getByTestId(ready).first().waitFor({ timeout: 30_000 });
  });
}
