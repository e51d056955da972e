/** Files for the ingestion tests, and how a user hands them to the app: drag-and-drop or the picker. */
import type { Page } from 'playwright-core';

export const USUARIOS_CSV = [
  'usuario_id,event_timestamp,usuario_idade,usuario_cidade',
  'u1,2025-01-01T10:00:00Z,31,Recife',
  'u2,2025-01-02T11:00:00Z,45,Olinda',
  'u3,2025-01-03T12:00:00Z,27,Natal',
  '',
].join('\n');

/** Row 2 has a text where the registered FLOAT feature expects a number; row 3 an unreadable time. */
export const PEDIDOS_WITH_BAD_ROWS_CSV = [
  'pedido_id,event_timestamp,pedido_valor,pedido_canal',
  'p1,2025-01-01T10:00:00Z,10.5,web',
  'p2,2025-01-02T11:00:00Z,abc,loja',
  'p3,not-a-date,7.25,web',
  '',
].join('\n');

/**
 * Drags a file over the window and drops it, as the OS does: a DataTransfer holding a File, and
 * dragenter, dragover and drop events on the page. Checks that the drop overlay shows meanwhile.
 */
export async function dropFile(page: Page, name: string, text: string, mimeType = 'text/csv'): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, text, mimeType }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: mimeType }));
      return transfer;
    },
    { name, text, mimeType },
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await page.dispatchEvent('main', 'dragover', { dataTransfer });
  await page.getByTestId('drop-overlay').waitFor();
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await page.getByTestId('drop-overlay').waitFor({ state: 'detached' });
  await dataTransfer.dispose();
}

/** Picks a file with the "Choose a file" button's input, as the system dialog would. */
export async function pickFile(page: Page, name: string, text: string, mimeType = 'text/csv'): Promise<void> {
  await page.getByTestId('choose-file-input').setInputFiles({ name, mimeType, buffer: Buffer.from(text) });
}

/** Types a name into one of the destination fields and closes its suggestions. */
export async function typeDestination(page: Page, field: 'entity' | 'group', value: string): Promise<void> {
  await page.locator(`#ingest-${field}`).fill(value);
  await page.keyboard.press('Escape');
}

/** Waits until the dry run shown answers the current choices. */
export async function waitForCurrentPreview(page: Page): Promise<void> {
  await page.locator('[data-preview-state="current"]').waitFor({ timeout: 15_000 });
}
