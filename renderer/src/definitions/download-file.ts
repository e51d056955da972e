/** Saves bytes or text as a download, from the page itself (no round trip to the service). */
export function downloadFile(fileName: string, content: Uint8Array<ArrayBuffer> | string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later rather than at once: the browser reads the blob after the click returns.
  window.setTimeout(() => URL.revokeObjectURL(url), 40_000);
}
