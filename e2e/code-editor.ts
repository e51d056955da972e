/** Drives the studio's Monaco editor as a user does: focus it, select everything, type over it. */
import type { Page } from 'playwright-core';

const SELECT_ALL = process.platform === 'darwin' ? 'Meta+A' : 'Control+A';

/** Waits until Monaco has mounted in the studio. */
export async function waitForCodeEditor(page: Page): Promise<void> {
  await page.locator('[data-testid="code-editor"][data-ready="true"] .monaco-editor').waitFor({ timeout: 30_000 });
}

/** Replaces the whole text of the editor, typed as one input (no auto-closed brackets), and closes any suggestions. */
export async function replaceEditorText(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="code-editor"] .monaco-editor .view-lines').click();
  await page.keyboard.press(SELECT_ALL);
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await page.keyboard.press('Escape');
}

/** The editor's text as rendered (Monaco draws each line as its own element). */
export async function editorText(page: Page): Promise<string> {
  const lines = await page.locator('[data-testid="code-editor"] .view-lines .view-line').allTextContents();
  // Monaco renders spaces as non-breaking spaces.
  return lines.map((l) => l.replace(/\u00a0/g, ' ')).join('\n');
}
