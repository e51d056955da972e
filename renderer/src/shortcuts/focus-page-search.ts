/** The page's search field: the first search input in the main content. */
function pageSearchField(): HTMLInputElement | null {
  return document.querySelector<HTMLInputElement>('main input[type="search"]');
}

/**
 * Focuses the page's search field; on a page without one, opens the page that has it (`openSearchPage`)
 * and focuses its field once rendered.
 */
export function focusPageSearch(openSearchPage: () => void): void {
  const field = pageSearchField();
  if (field) {
    field.focus();
    field.select();
    return;
  }
  openSearchPage();
  const startedAt = Date.now();
  const tryFocus = () => {
    const found = pageSearchField();
    if (found) found.focus();
    else if (Date.now() - startedAt < 3000) window.setTimeout(tryFocus, 50);
  };
  window.setTimeout(tryFocus, 0);
}
